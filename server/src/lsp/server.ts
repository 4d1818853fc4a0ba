import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  ProposedFeatures,
  ResponseError,
  SemanticTokensBuilder,
  TextDocuments,
  TextDocumentSyncKind,
  createConnection,
  type Connection,
  type DocumentSymbol,
  type InitializeParams,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from '../checks/diagnostic';
import { WorkspaceManager, type ManagerSettings } from '../engine/workspaceManager';
import { codeActions } from '../features/codeActions';
import { completionList } from '../features/completion';
import { completeSettings } from '../features/settingsCompletion';
import { DEFAULT_DOCS_BASE } from '../features/docs';
import { hover } from '../features/hover';
import { findDefinition, findReferences, prepareRename, rename, type TextEditPlain } from '../features/navigation';
import { documentSymbols, workspaceSymbols, type OutlineSymbol } from '../features/outline';
import { semanticTokens, TOKEN_MODIFIERS, TOKEN_TYPES } from '../features/semanticTokens';
import { loadSchema } from '../schema/schema';
import { LineIndex } from '../syntax/lineIndex';
import { parseDocument } from '../syntax/scan';
import { pathToUri, toCompletionItem, toLocation, toLspDiagnostic, toRange, toSymbolKind, uriToPath } from './convert';

const TYPING_DELAY_MS = 150;
const PUBLISH_SLICE_MS = 15;

interface ClientSettings extends ManagerSettings {
  documentationBaseUrl?: string;
}

/** The protocol shell: wires LSP requests and notifications to the engine and converts its plain answers. */
export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): void {
  const schema = loadSchema();
  const manager = new WorkspaceManager(schema);
  const documents = new TextDocuments(TextDocument);
  const published = new Map<string, string>();
  /** Number of diagnostics published per file (the status counts them without parsing what was published). */
  const publishedCount = new Map<string, number>();
  const pending = new Map<string, NodeJS.Timeout>();
  let capabilities: InitializeParams['capabilities'] = {};
  let docsBase = DEFAULT_DOCS_BASE;
  let indexGeneration = 0;
  let ready = false;

  const linesOf = (file: string) => manager.setOf(file)?.linesOf(file);

  connection.onInitialize((params) => {
    capabilities = params.capabilities;
    const folders = params.workspaceFolders?.map((f) => uriToPath(f.uri)) ?? (params.rootUri ? [uriToPath(params.rootUri)] : []);
    manager.setFolders(folders);
    applySettings(params.initializationOptions as ClientSettings | undefined);
    // The index cache lives in the editor's storage for this workspace (VS Code: ExtensionContext.storageUri).
    const storage = params.initializationOptions as { storagePath?: unknown; globalStoragePath?: unknown } | undefined;
    manager.setCacheDir(typeof storage?.storagePath === 'string' ? storage.storagePath : typeof storage?.globalStoragePath === 'string' ? storage.globalStoragePath : undefined);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        completionProvider: { triggerCharacters: ['<', ' ', '"', "'", ':', '.'] },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        semanticTokensProvider: { legend: { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] }, full: true },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'usercube-conf', version: '0.1.0' },
    };
  });

  connection.onInitialized(async () => {
    if (capabilities.workspace?.didChangeConfiguration?.dynamicRegistration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'usercubeConf' });
    }
    if (capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.xml' }, { globPattern: '**/appsettings*.json' }, { globPattern: '**/usercube-conf.json' }],
      });
    }
    if (capabilities.workspace?.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders(async (event) => {
        const current = new Set((await connection.workspace.getWorkspaceFolders())?.map((f) => uriToPath(f.uri)) ?? []);
        for (const removed of event.removed) current.delete(uriToPath(removed.uri));
        manager.setFolders([...current]);
        await reindexAll();
      });
    }
    await pullSettings();
    await reindexAll();
  });

  async function pullSettings(): Promise<void> {
    if (!capabilities.workspace?.configuration) return;
    try {
      const settings = (await connection.workspace.getConfiguration('usercubeConf')) as Record<string, unknown> | null;
      if (settings) applySettings(settings as ClientSettings);
    } catch {
      // a client without the section: keep the defaults
    }
  }

  function applySettings(raw: ClientSettings | Record<string, unknown> | undefined): void {
    if (!raw) return;
    const value = raw as Record<string, unknown>;
    const severities = (value.severity ?? value.severities) as ManagerSettings['severities'];
    const maxKB = typeof value.maxFileSizeKB === 'number' && value.maxFileSizeKB > 0 ? value.maxFileSizeKB : undefined;
    manager.setSettings({
      configurationRoots: Array.isArray(value.configurationRoots) ? (value.configurationRoots as string[]) : undefined,
      modules: Array.isArray(value.modules) ? (value.modules as string[]) : undefined,
      appsettingsPath: typeof value.appsettingsPath === 'string' && value.appsettingsPath ? value.appsettingsPath : undefined,
      severities: severities && typeof severities === 'object' ? severities : undefined,
      maxFileSizeBytes: maxKB ? maxKB * 1024 : undefined,
    });
    if (typeof value.documentationBaseUrl === 'string' && value.documentationBaseUrl) docsBase = value.documentationBaseUrl;
  }

  async function reindexAll(): Promise<void> {
    const generation = ++indexGeneration;
    ready = false;
    sendStatus('indexing');
    const progress = capabilities.window?.workDoneProgress ? await connection.window.createWorkDoneProgress() : undefined;
    progress?.begin('Indexing configuration', 0, 'Looking for configuration files…', false);
    let lastReport = 0;
    const completed = await manager.reindex((done, total) => {
      const now = Date.now();
      if (progress && (now - lastReport > 100 || done === total)) {
        lastReport = now;
        progress.report(total ? Math.round((done / total) * 100) : 100, `Indexing configuration: ${done}/${total} files`);
      }
    }, () => generation !== indexGeneration);
    progress?.done();
    if (!completed || generation !== indexGeneration) return;
    for (const problem of manager.problems) connection.window.showWarningMessage(`usercube-conf: ${problem}`);
    ready = true;
    await publish([...new Set([...manager.diagnosedFiles(), ...published.keys()])]);
    if (generation !== indexGeneration) return;
    sendStatus('ready');
  }

  function sendStatus(state: 'indexing' | 'ready'): void {
    const files = manager.allSets().reduce((n, s) => n + s.configurationFiles().length, 0);
    let problems = 0;
    for (const count of publishedCount.values()) problems += count;
    void connection.sendNotification('usercubeConf/status', { state, files, problems });
  }

  /**
   * Diagnoses and publishes files, yielding to waiting requests every PUBLISH_SLICE_MS: after a change that affects
   * many files (or a very large one), completion and navigation are not held up until every file is re-checked.
   */
  async function publish(files: Iterable<string>): Promise<void> {
    const generation = indexGeneration;
    let sliceStart = Date.now();
    for (const file of files) {
      if (Date.now() - sliceStart >= PUBLISH_SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        // A reindex started meanwhile: it publishes everything again when done.
        if (generation !== indexGeneration) return;
        sliceStart = Date.now();
      }
      const diagnostics = manager.diagnose(file).map((d) => toLspDiagnostic(d, linesOf));
      const key = JSON.stringify(diagnostics);
      if (published.get(file) === key) continue;
      if (diagnostics.length === 0 && !published.has(file)) continue;
      if (diagnostics.length === 0) {
        published.delete(file);
        publishedCount.delete(file);
      } else {
        published.set(file, key);
        publishedCount.set(file, diagnostics.length);
      }
      void connection.sendDiagnostics({ uri: pathToUri(file), diagnostics });
    }
  }

  async function afterChange(affected: string[]): Promise<void> {
    if (manager.needsReindex) await reindexAll();
    else if (ready) {
      await publish(affected);
      sendStatus('ready');
    }
  }

  documents.onDidOpen((event) => {
    const file = uriToPath(event.document.uri);
    void manager.openDocumentAsync(file, event.document.getText()).then(afterChange);
  });

  documents.onDidChangeContent((event) => {
    const file = uriToPath(event.document.uri);
    clearTimeout(pending.get(file));
    // Typing: wait until the user pauses; a newer change cancels the older one.
    pending.set(
      file,
      setTimeout(() => {
        pending.delete(file);
        const document = documents.get(event.document.uri);
        // Large buffers are parsed on a worker thread meanwhile (see changeDocumentAsync).
        if (document) void manager.changeDocumentAsync(file, document.getText()).then(afterChange);
      }, TYPING_DELAY_MS),
    );
  });

  documents.onDidClose((event) => {
    const file = uriToPath(event.document.uri);
    clearTimeout(pending.get(file));
    pending.delete(file);
    void afterChange(manager.closeDocument(file));
  });

  connection.onDidChangeWatchedFiles((event) => {
    const affected = new Set<string>();
    for (const change of event.changes) {
      const file = uriToPath(change.uri);
      const files = change.type === FileChangeType.Deleted ? manager.fileDeleted(file) : manager.fileChangedOnDisk(file);
      files.forEach((f) => affected.add(f));
      if (change.type === FileChangeType.Deleted) affected.add(file);
    }
    void afterChange([...affected]);
  });

  connection.onDidChangeConfiguration(async () => {
    await pullSettings();
    await reindexAll();
  });

  connection.onRequest('usercubeConf/reindex', async () => {
    await reindexAll();
    return { files: manager.allSets().reduce((n, s) => n + s.configurationFiles().length, 0) };
  });

  /** Applies a pending debounced change at once, so a request sees the latest text. */
  function flush(uri: string): string {
    const file = uriToPath(uri);
    const timer = pending.get(file);
    if (timer) {
      clearTimeout(timer);
      pending.delete(file);
      const document = documents.get(uri);
      if (document) void afterChange(manager.changeDocument(file, document.getText()));
    }
    return file;
  }

  function offsetOf(file: string, position: { line: number; character: number }): number | undefined {
    return linesOf(file)?.offsetAt(position);
  }

  connection.onCompletion((params) => {
    const file = flush(params.textDocument.uri);
    const set = manager.setOf(file);
    const text = manager.textOf(file);
    if (text === undefined) return [];
    const lines = new LineIndex(text);
    const offset = lines.offsetAt(params.position);
    if (set && set.settingsFile()?.path === file) return completeSettings(set, text, offset).map((entry) => toCompletionItem(entry, lines));
    const targetSet = set ?? manager.allSets().find((s) => file.startsWith(s.root));
    if (!targetSet) return [];
    const doc = set?.file(file)?.doc ?? parseDocument(text); // the fast scanner: a large buffer may not be analysed yet
    const { entries, incomplete } = completionList(targetSet, file, text, doc, offset);
    return { isIncomplete: incomplete, items: entries.map((entry) => toCompletionItem(entry, lines)) };
  });

  connection.onHover((params) => {
    const file = flush(params.textDocument.uri);
    const set = manager.setOf(file);
    const offset = offsetOf(file, params.position);
    if (!set || offset === undefined) return null;
    const result = hover(set, file, offset, docsBase);
    return result ? { contents: { kind: 'markdown', value: result.markdown }, range: toRange(linesOf(file), result.span) } : null;
  });

  connection.onDefinition((params) => {
    const file = flush(params.textDocument.uri);
    const set = manager.setOf(file);
    const offset = offsetOf(file, params.position);
    if (!set || offset === undefined) return [];
    return findDefinition(set, file, offset).map((t) => toLocation(linesOf, t.file, t.span));
  });

  connection.onReferences((params) => {
    const file = flush(params.textDocument.uri);
    const set = manager.setOf(file);
    const offset = offsetOf(file, params.position);
    if (!set || offset === undefined) return [];
    return findReferences(set, file, offset, params.context.includeDeclaration).map((t) => toLocation(linesOf, t.file, t.span));
  });

  connection.onPrepareRename((params) => {
    const file = flush(params.textDocument.uri);
    const set = manager.setOf(file);
    const offset = offsetOf(file, params.position);
    if (!set || offset === undefined) return null;
    const result = prepareRename(set, file, offset);
    if ('error' in result) throw new ResponseError(0, result.error);
    return { range: toRange(linesOf(file), result.span), placeholder: result.placeholder };
  });

  connection.onRenameRequest((params) => {
    const file = flush(params.textDocument.uri);
    const set = manager.setOf(file);
    const offset = offsetOf(file, params.position);
    if (!set || offset === undefined) return null;
    const result = rename(set, file, offset, params.newName);
    if ('error' in result) throw new ResponseError(0, result.error);
    return toWorkspaceEdit(result);
  });

  connection.onDocumentSymbol((params) => {
    const file = flush(params.textDocument.uri);
    const set = manager.setOf(file);
    if (!set) return [];
    const lines = linesOf(file);
    const convert = (symbol: OutlineSymbol): DocumentSymbol => ({
      name: symbol.name || symbol.detail,
      detail: symbol.detail,
      kind: toSymbolKind(symbol.kind),
      range: toRange(lines, symbol.span),
      selectionRange: toRange(lines, symbol.selection),
      children: symbol.children.map(convert),
    });
    return documentSymbols(set, file).map(convert);
  });

  connection.onWorkspaceSymbol((params) =>
    workspaceSymbols(manager.allSets(), params.query).map((s) => ({
      name: s.name,
      kind: toSymbolKind(s.kind),
      containerName: s.container ?? s.elementName,
      location: toLocation(linesOf, s.file, s.span),
    })),
  );

  connection.onCodeAction((params) => {
    const file = flush(params.textDocument.uri);
    const set = manager.setOf(file);
    const lines = linesOf(file);
    if (!set || !lines) return [];
    const start = lines.offsetAt(params.range.start);
    const end = lines.offsetAt(params.range.end);
    const relevant: Diagnostic[] = manager.diagnose(file).filter((d) => d.span.start <= end && d.span.end >= start);
    return codeActions(set, relevant, (f) => manager.textOf(f)).map((action) => ({
      title: action.title,
      kind: CodeActionKind.QuickFix,
      isPreferred: action.preferred,
      diagnostics: [toLspDiagnostic(action.diagnostic, linesOf)],
      edit: toWorkspaceEdit(action.edits),
    }));
  });

  connection.languages.semanticTokens.on((params) => {
    const file = flush(params.textDocument.uri);
    const set = manager.setOf(file);
    const lines = linesOf(file);
    const builder = new SemanticTokensBuilder();
    if (!set || !lines) return builder.build();
    for (const token of semanticTokens(set, file)) {
      const start = lines.positionAt(token.span.start);
      const end = lines.positionAt(token.span.end);
      if (end.line !== start.line) continue; // tokens cannot span lines
      const modifiers = token.modifiers.reduce((bits, m) => bits | (1 << TOKEN_MODIFIERS.indexOf(m)), 0);
      builder.push(start.line, start.character, end.character - start.character, TOKEN_TYPES.indexOf(token.type), modifiers);
    }
    return builder.build();
  });

  function toWorkspaceEdit(edits: TextEditPlain[]): WorkspaceEdit {
    const changes: Record<string, TextEdit[]> = {};
    for (const edit of edits) {
      const uri = pathToUri(edit.file);
      const lines = linesOf(edit.file) ?? new LineIndex(manager.textOf(edit.file) ?? '');
      (changes[uri] ??= []).push({ range: toRange(lines, edit.span), newText: edit.newText });
    }
    return { changes };
  }

  documents.listen(connection);
  connection.listen();
}
