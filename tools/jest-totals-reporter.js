// Writes each project's test totals to reports/tests/<project>.json so tools/test-all.mjs can add them up.
const fs = require('node:fs');
const path = require('node:path');

class JestTotalsReporter {
  constructor(_globalConfig, options) {
    this.project = options.project;
  }

  onRunComplete(_contexts, results) {
    const dir = path.join(__dirname, '..', 'reports', 'tests');
    fs.mkdirSync(dir, { recursive: true });
    const totals = {
      project: this.project,
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
    };
    fs.writeFileSync(path.join(dir, `${this.project}.json`), JSON.stringify(totals));
  }
}

module.exports = JestTotalsReporter;
