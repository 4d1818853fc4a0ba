#!/usr/bin/env node
// Runs the extension test suite (test/e2e/suite) inside code-server's extension host, driven by headless Chromium.
// Prints the suite's mocha output; exits 0 only if every test passed. Needs `npm run build` and scripts/e2e/setup.sh.
//   --result FILE   also write {passed, failed, failures} there (scripts/e2e/run-all.sh sums it up)
// Env: USERCUBE_E2E_TIMEOUT_MS (whole run, default 600000), USERCUBE_E2E_GREP (only matching tests),
//      VERBOSE=1 (also print the workbench's own console output), TIMESTAMPS=1 (prefix test lines with the time),
//      KEEP=1 (keep the scratch folder).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const util = require('node:util');
const { REPO, loadTools, requireBuild, startCodeServer, workbenchUrl, launchBrowser } = require('./code-server');

const PREFIX = '[usercube-e2e] ';
const SUITE = path.join(REPO, 'test', 'e2e', 'suite');
const resultArg = process.argv.indexOf('--result');
const resultFile = resultArg > 0 ? path.resolve(process.argv[resultArg + 1]) : undefined;
const timeoutMs = Number(process.env.USERCUBE_E2E_TIMEOUT_MS || 600_000);
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;

function writeResult(result) {
  if (resultFile) fs.writeFileSync(resultFile, JSON.stringify(result, null, 2));
}

async function main() {
  const tools = loadTools();
  requireBuild();
  const server = await startCodeServer(tools, {
    env: (work) => ({ USERCUBE_E2E_RESULT: path.join(work, 'result.json'), USERCUBE_E2E_PREFIX: PREFIX, USERCUBE_E2E_GREP: process.env.USERCUBE_E2E_GREP || '' }),
  });
  const suiteResult = path.join(server.work, 'result.json');
  console.log(`[code-server] listening on 127.0.0.1:${server.port} after ${elapsed()}; workspace ${server.workspace}`);
  const consoleLog = path.join(server.work, 'workbench-console.log');
  let browser;
  let exitCode;
  try {
    browser = await launchBrowser(tools, server.work);
    const page = await browser.newPage();
    const exited = new Promise((resolve) => page.exposeFunction('codeAutomationExit', (code) => resolve(code)));
    page.on('console', async (message) => {
      // Extension-host output arrives as ("%c INFO", "color: …", text…); drop the styling arguments.
      let args = await Promise.all(message.args().map((a) => a.jsonValue().catch(() => '?')));
      if (typeof args[0] === 'string' && args[0].startsWith('%c')) args = args.slice(2);
      const text = args.length ? util.format(...args) : message.text();
      fs.appendFileSync(consoleLog, text + '\n');
      for (const line of text.split('\n')) {
        const at = line.indexOf(PREFIX);
        if (at >= 0) {
          const content = line.slice(at + PREFIX.length);
          if (!/^\d+ passed, \d+ failed$/.test(content)) console.log(process.env.TIMESTAMPS === '1' ? `${elapsed()} ${content}` : content); // our summary comes below
        } else if (process.env.VERBOSE === '1') {
          console.log(`  (workbench ${elapsed()}) ${line}`);
        }
      }
    });
    page.on('pageerror', (error) => fs.appendFileSync(consoleLog, `pageerror: ${error.message}\n`));
    await page.goto(workbenchUrl(server.port, server.workspace, SUITE));
    exitCode = await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, timeoutMs, 'timeout'))]);
  } finally {
    if (browser) await browser.close().catch(() => undefined);
  }

  let result;
  try {
    result = JSON.parse(fs.readFileSync(suiteResult, 'utf8'));
  } catch {
    result = undefined;
  }
  const ok = exitCode === 0 && result && result.failed === 0 && result.passed > 0;
  const keep = !ok || process.env.KEEP === '1';
  if (exitCode === 'timeout') console.log(`[code-server] TIMEOUT: the extension tests did not finish within ${timeoutMs / 1000}s`);
  else console.log(`[code-server] extension host exited with code ${exitCode} after ${elapsed()}`);
  if (!result) {
    console.log('[code-server] the suite reported no result (did the extension host start the tests? is the extension building?)');
    result = { passed: 0, failed: 1, failures: [{ title: 'code-server suite', message: exitCode === 'timeout' ? 'timeout' : `no result, exit code ${exitCode}` }] };
  } else if (exitCode !== 0 && result.failed === 0) {
    result.failed = 1; // the extension host failed outside the tests
    result.failures.push({ title: 'code-server suite', message: `extension host exit code ${exitCode}` });
  }
  if (!ok) {
    const tail = fs.readFileSync(server.log, 'utf8').split('\n').filter(Boolean).slice(-15);
    console.log(`[code-server] last lines of ${server.log}:\n  ${tail.join('\n  ')}`);
    console.log(`[code-server] workbench console: ${consoleLog}`);
  }
  await server.stop({ keep });
  if (keep) console.log(`[code-server] kept ${server.work}`);
  console.log(`[code-server] ${result.passed} tests passed, ${result.failed} failed`);
  writeResult(result);
  return ok ? 0 : 1;
}

main().then((code) => process.exit(code), (error) => {
  console.error(`[code-server] FAILED: ${error.message}`);
  writeResult({ passed: 0, failed: 1, failures: [{ title: 'code-server suite', message: error.message }] });
  process.exit(1);
});
