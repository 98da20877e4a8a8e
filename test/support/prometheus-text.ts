/** One sample of a scrape: its metric name, its labels and its value. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * Reads the Prometheus text exposition format (version 0.0.4): comments and blank lines skipped,
 * each sample line `name{label="value",…} number [timestamp]`. Throws on a line it cannot read,
 * so that a malformed endpoint fails the test that scrapes it.
 */
export function parsePrometheusText(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+\d+)?$/.exec(line);
    if (!match) throw new Error(`Not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    const body = match[3] ?? '';
    const labelPattern = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?/gy;
    let read = 0;
    for (let label = labelPattern.exec(body); label; label = labelPattern.exec(body)) {
      labels[label[1]] = label[2].replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
      read = labelPattern.lastIndex;
    }
    if (read !== body.length) throw new Error(`Labels not read: ${line}`);
    // As Prometheus reads them: Go's float syntax, so NaN and the infinities in any case.
    const word = match[4].toLowerCase();
    const value = word === 'nan' ? NaN : /^[+]?inf$/.test(word) ? Infinity : word === '-inf' ? -Infinity : Number(match[4]);
    if (Number.isNaN(value) && word !== 'nan') throw new Error(`Not a value: ${line}`);
    samples.push({ name: match[1], labels, value });
  }
  return samples;
}

/** The sum of the samples of `name` whose labels include `where`. */
export function total(samples: Sample[], name: string, where: Record<string, string> = {}): number {
  return samples.filter((sample) => sample.name === name && Object.entries(where).every(([key, value]) => sample.labels[key] === value)).reduce((sum, sample) => sum + sample.value, 0);
}

/** Whether any sample is called `name`. */
export const has = (samples: Sample[], name: string): boolean => samples.some((sample) => sample.name === name);
