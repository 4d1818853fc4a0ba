// Entry point of the extension test suite, in the @vscode/test-electron contract: the extension host loads this
// module (extensionTestsPath) and awaits run(). The same file runs under desktop VS Code (test/e2e/run-electron.js)
// and under code-server (scripts/e2e/run-code-server-suite.js).
// Env: USERCUBE_E2E_RESULT  file to write {passed, failed, failures} to (read by the code-server runner)
//      USERCUBE_E2E_PREFIX  prefix for every reporter line, so the runner can tell them from the workbench's noise
//      USERCUBE_E2E_GREP    run only the tests whose title matches this pattern
const fs = require('fs');
const path = require('path');
const util = require('util');
const Mocha = require('mocha'); // pinned to 11: mocha 12 is ESM-only

exports.run = async function run() {
  const prefix = process.env.USERCUBE_E2E_PREFIX || '';
  if (prefix) {
    Mocha.reporters.Base.consoleLog = (...args) => {
      console.log(util.format(...args).split('\n').map((line) => prefix + line).join('\n'));
    };
  }
  const mocha = new Mocha({ ui: 'tdd', reporter: 'spec', color: false, timeout: 90_000, slow: 5_000 });
  if (process.env.USERCUBE_E2E_GREP) mocha.grep(process.env.USERCUBE_E2E_GREP);
  for (const file of fs.readdirSync(__dirname).sort()) {
    if (file.endsWith('.test.js')) mocha.addFile(path.join(__dirname, file));
  }
  const failures = [];
  const stats = await new Promise((resolve, reject) => {
    try {
      const runner = mocha.run(() => resolve(runner.stats));
      runner.on('fail', (test, error) => failures.push({ title: test.fullTitle(), message: String(error && error.message) }));
    } catch (error) {
      reject(error);
    }
  });
  const summary = `${stats.passes} passed, ${stats.failures} failed`;
  Mocha.reporters.Base.consoleLog(summary);
  if (process.env.USERCUBE_E2E_RESULT) {
    fs.writeFileSync(process.env.USERCUBE_E2E_RESULT, JSON.stringify({ passed: stats.passes, failed: stats.failures, failures }, null, 2));
  }
  if (stats.failures > 0) throw new Error(`${stats.failures} of ${stats.passes + stats.failures} extension tests failed`);
};
