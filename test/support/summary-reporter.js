// Ends each Jest run with the plain line `N passed, N failed` that CI reads, and, when
// TEST_SUMMARY_FILE is set, appends the counts there so that .ci/run can total several runs.
import { appendFileSync } from 'node:fs';

export default class SummaryReporter {
  onRunComplete(_contexts, results) {
    const line = `${results.numPassedTests} passed, ${results.numFailedTests + results.numRuntimeErrorTestSuites} failed`;
    process.stdout.write(`${line}\n`);
    if (process.env.TEST_SUMMARY_FILE) appendFileSync(process.env.TEST_SUMMARY_FILE, `${line}\n`);
  }
}
