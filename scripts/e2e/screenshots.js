#!/usr/bin/env node
// `npm run screenshots`: opens the fixture workspace in code-server with the extension, shows the Problems panel
// and a completion list of connectors, and writes docs/images/problems-and-completion.png.
// Drives the real UI with keyboard shortcuts and VS Code's CSS classes, which can change between VS Code versions:
// this is a manual tool, not part of CI. Env: SHOT (output path), KEEP=1 (keep the scratch folder).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { REPO, loadTools, requireBuild, startCodeServer, workbenchUrl, launchBrowser } = require('./code-server');

const SHOT = path.resolve(process.env.SHOT || path.join(REPO, 'docs', 'images', 'problems-and-completion.png'));
const HIGHLIGHT_SHOT = path.join(path.dirname(SHOT), 'highlighting.png');
const HIGHLIGHT_FILE = 'Expressions.xml';
const FILE = 'Jobs.xml';
const VALUE_BEFORE = 'Connector="HR">'; // completion is asked for right after Connector="
const started = Date.now();
const log = (...args) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s]`, ...args);
const T = (ms) => ({ timeout: ms });

async function main() {
  const tools = loadTools();
  requireBuild();
  const server = await startCodeServer(tools, {
    settings: {
      'workbench.colorTheme': 'Default Light Modern', 'editor.minimap.enabled': false, 'window.commandCenter': false,
      'workbench.secondarySideBar.defaultVisibility': 'hidden', 'workbench.layoutControl.enabled': false,
    },
  });
  const text = fs.readFileSync(path.join(server.workspace, 'Conf', FILE), 'utf8').split(/\r?\n/);
  const line = text.findIndex((l) => l.includes(VALUE_BEFORE));
  const column = text[line].indexOf(VALUE_BEFORE) + 'Connector="'.length;
  let browser;
  let ok = false;
  try {
    browser = await launchBrowser(tools, server.work);
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(workbenchUrl(server.port, server.workspace));
    await page.waitForSelector('.monaco-workbench .explorer-folders-view', T(90_000));
    log('workbench ready');

    await page.keyboard.press('Control+P'); // Quick Open
    await page.waitForSelector('.quick-input-widget input', T(10_000));
    await page.keyboard.type(FILE);
    await page.waitForSelector(`.quick-input-list .monaco-list-row >> text=${FILE}`, T(15_000));
    await page.keyboard.press('Enter');
    await page.waitForSelector('.monaco-editor .view-lines', T(20_000));
    log(`${FILE} open`);

    await page.keyboard.press('Control+Shift+M'); // Problems panel: problems of closed files too
    await page.waitForSelector('.markers-panel >> text=/Unknown element/', T(90_000));
    await page.waitForSelector('.markers-panel >> text=/Directory_Usr/', T(30_000));
    log('problems listed');

    await page.click('.editor-group-container .monaco-editor .view-lines');
    await page.keyboard.press('Control+G'); // Go to Line accepts line:column
    await page.keyboard.type(`${line + 1}:${column + 1}`);
    await page.keyboard.press('Enter');
    // Ask for suggestions until the connectors are listed (the server may still be indexing the first time).
    const listed = '.suggest-widget.visible .monaco-list-row >> text=AD';
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press('Control+Space');
      try {
        await page.waitForSelector(listed, T(10_000));
        break;
      } catch (error) {
        if (attempt === 3) throw error;
        await page.keyboard.press('Escape');
      }
    }
    await page.waitForSelector('.suggest-widget.visible .monaco-list-row >> text=HR', T(5_000));
    log('completion lists the connectors');
    await page.waitForTimeout(500); // let the widget's details pane finish rendering for the picture
    ok = true;
    fs.mkdirSync(path.dirname(SHOT), { recursive: true });
    await page.screenshot({ path: SHOT });
    log(`wrote ${path.relative(REPO, SHOT)}`);

    // Second picture: binding paths and C# expressions highlighted (grammar + semantic tokens).
    ok = false;
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    await page.waitForSelector('.quick-input-widget input', T(10_000));
    await page.keyboard.type(HIGHLIGHT_FILE);
    await page.waitForSelector(`.quick-input-list .monaco-list-row >> text=${HIGHLIGHT_FILE}`, T(15_000));
    await page.keyboard.press('Enter');
    await page.waitForSelector(`.tab.active >> text=${HIGHLIGHT_FILE}`, T(20_000));
    await page.keyboard.press('Control+J'); // hide the panel: the editor is the subject
    await page.waitForTimeout(2000); // semantic tokens arrive after the first paint
    const editor = await page.$('.editor-group-container');
    await (editor ?? page).screenshot({ path: HIGHLIGHT_SHOT });
    log(`wrote ${path.relative(REPO, HIGHLIGHT_SHOT)}`);
    ok = true;
  } catch (error) {
    log(`FAILED: ${error.message.split('\n')[0]}`);
    if (browser) {
      const failedShot = path.join(server.work, 'failed.png');
      const page = browser.contexts()[0]?.pages()[0];
      if (page) await page.screenshot({ path: failedShot }).catch(() => undefined);
      log(`screenshot of the failure: ${failedShot}`);
    }
  } finally {
    if (browser) await browser.close().catch(() => undefined);
  }
  const keep = !ok || process.env.KEEP === '1';
  await server.stop({ keep });
  if (keep) log(`kept ${server.work}`);
  return ok ? 0 : 1;
}

main().then((code) => process.exit(code), (error) => {
  console.error(`screenshots FAILED: ${error.message}`);
  process.exit(1);
});
