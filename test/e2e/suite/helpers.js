// Shared helpers of the extension tests: the fixture workspace, polling, and reading what the user sees.
const assert = require('assert');
const vscode = require('vscode');

const EXTENSION_ID = 'usercube-conf.usercube-conf';
const SOURCE = 'usercube-conf';

function workspaceRoot() {
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  assert.ok(folder, 'the tests need the fixture workspace (test/e2e/workspace) open as the first workspace folder');
  return folder.uri;
}

/** URI of a fixture file, e.g. fixture('Conf/UI.xml'). */
function fixture(relativePath) {
  return vscode.Uri.joinPath(workspaceRoot(), ...relativePath.split('/'));
}

/** Text of a fixture file on disk, without opening it in the editor (opening would send didOpen to the server). */
async function diskText(uri) {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `probe` until it returns a truthy value, and returns that value. On timeout, fails with `what` and the
 * last value `show` made of the probe's state, so a failure says what was seen instead.
 */
async function waitFor(what, probe, { timeout = 30_000, interval = 100, show } = {}) {
  const end = Date.now() + timeout;
  let last;
  let lastError;
  for (;;) {
    try {
      last = await probe();
      lastError = undefined;
      if (last) return last;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= end) break;
    await sleep(interval);
  }
  const seen = lastError ? `error: ${lastError.message}` : show ? show() : JSON.stringify(last);
  throw new Error(`timed out after ${timeout / 1000}s waiting for ${what}; last seen: ${seen}`);
}

/** The diagnostic code as a plain string (VS Code wraps it in {value, target} when the server links documentation). */
function codeOf(diagnostic) {
  return typeof diagnostic.code === 'object' && diagnostic.code !== null ? String(diagnostic.code.value) : String(diagnostic.code);
}

/** Our diagnostics of one file, as VS Code holds them (the Problems panel shows the same). */
function ourDiagnostics(uri) {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

function describeDiagnostics(uri) {
  const list = ourDiagnostics(uri).map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${codeOf(d)} ${d.message}`);
  return `${list.length} diagnostic(s) in ${vscode.workspace.asRelativePath(uri)}${list.length ? ': ' + list.join(' | ') : ''}`;
}

/** Waits for a diagnostic with `code` in `uri` (optionally also matching `where(d)`) and returns it. */
function waitForDiagnostic(uri, code, where = () => true, timeout) {
  return waitFor(`a '${code}' diagnostic in ${vscode.workspace.asRelativePath(uri)}`,
    () => ourDiagnostics(uri).find((d) => codeOf(d) === code && where(d)),
    { timeout, show: () => describeDiagnostics(uri) });
}

/** Waits until `uri` has no diagnostic with `code` (matching `where(d)`). */
function waitForNoDiagnostic(uri, code, where = () => true, timeout) {
  return waitFor(`the '${code}' diagnostic in ${vscode.workspace.asRelativePath(uri)} to disappear`,
    () => !ourDiagnostics(uri).some((d) => codeOf(d) === code && where(d)),
    { timeout, show: () => describeDiagnostics(uri) });
}

/** Position of the `nth` occurrence of `needle` in `text`, plus `delta` characters. */
function positionIn(document, needle, delta = 0, nth = 1) {
  const text = document.getText();
  let offset = -1;
  for (let i = 0; i < nth; i++) {
    offset = text.indexOf(needle, offset + 1);
    assert.ok(offset >= 0, `fixture changed? '${needle}' not found ${nth} time(s) in ${vscode.workspace.asRelativePath(document.uri)}`);
  }
  return document.positionAt(offset + delta);
}

/** Range of `needle` (its `nth` occurrence) in `document`. */
function rangeOf(document, needle, nth = 1) {
  const start = positionIn(document, needle, 0, nth);
  return new vscode.Range(start, start.translate(0, needle.length));
}

/** Line (0-based) of the first line of `text` that contains `needle`. */
function lineOf(text, needle) {
  const line = text.split(/\r?\n/).findIndex((l) => l.includes(needle));
  assert.ok(line >= 0, `fixture changed? '${needle}' not found`);
  return line;
}

/** Opens a fixture file in an editor, as a user would. */
async function openFixture(relativePath) {
  const document = await vscode.workspace.openTextDocument(fixture(relativePath));
  await vscode.window.showTextDocument(document, { preview: false });
  return document;
}

/** Throws away unsaved edits of a document (the tests never save). */
async function revert(document) {
  if (!document.isDirty) return;
  await vscode.window.showTextDocument(document, { preview: false });
  await vscode.commands.executeCommand('workbench.action.files.revert');
  await waitFor(`${vscode.workspace.asRelativePath(document.uri)} to be reverted`, () => !document.isDirty);
}

/** Replaces `needle` (its `nth` occurrence) in an open document by `replacement`, without saving. */
async function replaceText(document, needle, replacement, nth = 1) {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, rangeOf(document, needle, nth), replacement);
  assert.ok(await vscode.workspace.applyEdit(edit), `the edit of ${vscode.workspace.asRelativePath(document.uri)} was refused`);
}

/** Location or LocationLink -> { uri, range } (the range of the target, not of its surroundings). */
function target(location) {
  return location.targetUri
    ? { uri: location.targetUri, range: location.targetSelectionRange || location.targetRange }
    : { uri: location.uri, range: location.range };
}

function labelOf(item) {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

/** Markdown/plain text of a hover's contents. */
function hoverText(hover) {
  return hover.contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
}

/** The extension, once active and with its language client started. */
async function activeExtension() {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not installed in this extension host`);
  await waitFor(`${EXTENSION_ID} to activate`, () => extension.isActive, { timeout: 60_000 });
  try {
    await extension.exports.ready;
  } catch (error) {
    throw new Error(`the language server did not start: ${error && error.message} (its output is in "Identity Manager (Usercube)")`);
  }
  return extension;
}

module.exports = {
  EXTENSION_ID, SOURCE, fixture, diskText, waitFor, codeOf, ourDiagnostics, describeDiagnostics, waitForDiagnostic,
  waitForNoDiagnostic, positionIn, rangeOf, lineOf, openFixture, revert, replaceText, target, labelOf, hoverText, activeExtension,
};
