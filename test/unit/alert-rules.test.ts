import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const rules = join(root, 'ops/prometheus/alerts.yml');

/** promtool, built from Go modules and cached by scripts/ensure-promtool.sh (setup.sh --tests builds it). */
const promtool = () => execFileSync('sh', [join(root, 'scripts/ensure-promtool.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();

function sourceText(dir: string): string {
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .map((path) => (statSync(path).isDirectory() ? sourceText(path) : path.endsWith('.ts') ? readFileSync(path, 'utf8') : ''))
    .join('\n');
}

describe('the alert rules in ops/prometheus', () => {
  it('pass `promtool check rules` and every test in alerts.test.yml (`promtool test rules`)', () => {
    const binary = promtool();
    const checked = execFileSync(binary, ['check', 'rules', rules], { encoding: 'utf8' });
    expect(checked).toMatch(/SUCCESS: 10 rules found/);
    const tested = execFileSync(binary, ['test', 'rules', join(root, 'ops/prometheus/alerts.test.yml')], { encoding: 'utf8' });
    expect(tested).toMatch(/SUCCESS/);
    // The example scrape configuration, with the rules it loads.
    const config = execFileSync(binary, ['check', 'config', join(root, 'ops/prometheus/prometheus.yml')], { encoding: 'utf8' });
    expect(config).toMatch(/SUCCESS: 1 rule files found/);
  }, 600_000);

  it('has a dashboard whose every panel queries Prometheus for metrics the system defines', () => {
    const dashboard = JSON.parse(readFileSync(join(root, 'ops/grafana/police-contact-operations.json'), 'utf8')) as { panels: Array<{ title: string; targets: Array<{ expr: string }> }> };
    expect(dashboard.panels.length).toBeGreaterThan(10);
    const src = sourceText(join(root, 'src'));
    for (const panel of dashboard.panels) {
      expect({ panel: panel.title, queries: panel.targets.length > 0 }).toEqual({ panel: panel.title, queries: true });
      for (const { expr } of panel.targets) {
        for (const [, name] of expr.matchAll(/\b(pcm_[a-z_]+)/g)) {
          const base = name.replace(/_(bucket|count|sum)$/, '');
          // Node's own figures come from prom-client's defaults, under the `pcm_` prefix.
          expect({ panel: panel.title, name, defined: src.includes(`'${base}'`) || base.startsWith('pcm_process_') }).toEqual({ panel: panel.title, name, defined: true });
        }
      }
    }
  });

  it('test each rule, read only metrics the system exports, and point each at its section of docs/operations.md', () => {
    const text = readFileSync(rules, 'utf8');
    const alerts = [...text.matchAll(/- alert: (\w+)/g)].map(([, name]) => name);
    expect(alerts).toHaveLength(10);
    const tests = readFileSync(join(root, 'ops/prometheus/alerts.test.yml'), 'utf8');
    const operations = readFileSync(join(root, 'docs/operations.md'), 'utf8');
    const headings = new Set([...operations.matchAll(/^#+ (.+)$/gm)].map(([, heading]) => heading.trim().toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-')));
    for (const alert of alerts) {
      expect({ alert, tested: tests.includes(`alertname: ${alert}`) }).toEqual({ alert, tested: true });
      expect({ alert, runbook: text.includes(`runbook: docs/operations.md#${alert.toLowerCase()}`), documented: headings.has(alert.toLowerCase()) }).toEqual({ alert, runbook: true, documented: true });
    }
    // Each of the system's metrics a rule reads is defined in the sources (histograms by their base name).
    const src = sourceText(join(root, 'src'));
    const read = new Set([...text.matchAll(/\b(pcm_[a-z_]+)/g)].map(([, name]) => name.replace(/_(bucket|count|sum)$/, '')));
    expect(read.size).toBeGreaterThan(5);
    for (const name of read) expect({ name, defined: src.includes(`'${name}'`) }).toEqual({ name, defined: true });
  });
});
