// The VS Code client: starts the language server (dist/server.js) over IPC, forwards file events and settings,
// and shows the index state in the status bar. All analysis happens in the server; nothing here reads the configuration.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  RevealOutputChannelOn,
  State,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';

/** Settings section and language client id (`usercubeConf.trace.server` is read by vscode-languageclient from it). */
const SECTION = 'usercubeConf';
const REINDEX_REQUEST = 'usercubeConf/reindex';
const STATUS_NOTIFICATION = 'usercubeConf/status';

/** Sent by the server whenever the index changes state. */
export interface IndexStatus {
  state: 'indexing' | 'ready';
  files: number;
  problems: number;
}

/** What `activate` returns: enough for the extension tests to see what the user sees. */
export interface ExtensionApi {
  /** Resolves once the language client has started (rejects if it could not). */
  readonly ready: Promise<void>;
  /** The status bar item's text and tooltip as currently shown. */
  statusBar(): { text: string; tooltip: string | undefined; visible: boolean };
  /** The last `usercubeConf/status` notification, if any. */
  lastStatus(): IndexStatus | undefined;
  /** The process id of the running language server, if any (the fault drills kill it). */
  serverProcessId(): number | undefined;
}

let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const output = vscode.window.createOutputChannel('Identity Manager (Usercube)', { log: true });
  context.subscriptions.push(output);

  const status = new StatusBar();
  context.subscriptions.push(status);

  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };

  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'xml' },
      { scheme: 'untitled', language: 'xml' },
      { scheme: 'file', pattern: '**/appsettings*.json' },
    ],
    // Settings: the server pulls them (workspace/configuration) and registers for their changes itself.
    // No synchronize.fileEvents: the server registers its own file watchers (as it does with every LSP client),
    // so forwarding VS Code's events too would deliver each change twice.
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    // Where the server keeps its index cache: this workspace's storage (none for a window without a folder).
    initializationOptions: { storagePath: context.storageUri?.fsPath },
  };

  const languageClient = new LanguageClient(SECTION, 'Identity Manager (Usercube) Configuration', serverOptions, clientOptions);
  client = languageClient;

  languageClient.onNotification(STATUS_NOTIFICATION, (params: IndexStatus) => status.show(params));
  languageClient.onDidChangeState(({ newState }) => {
    if (newState === State.Starting) status.starting();
    else if (newState === State.Stopped) status.stopped();
  });

  context.subscriptions.push(
    vscode.commands.registerCommand('usercubeConf.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('usercubeConf.reindex', async () => {
      if (languageClient.state !== State.Running) {
        throw new Error('Identity Manager: the language server is not running; see "Identity Manager: Show Output".');
      }
      try {
        return await languageClient.sendRequest(REINDEX_REQUEST);
      } catch (error) {
        output.error(`Re-index failed: ${errorText(error)}`);
        throw new Error(`Identity Manager: re-index failed: ${errorText(error)}`); // VS Code shows it as a notification
      }
    }),
  );

  status.starting();
  const ready = languageClient.start().catch((error: unknown) => {
    output.error(`The language server could not start: ${errorText(error)}`);
    status.stopped();
    void vscode.window.showErrorMessage('Identity Manager: the language server could not start.', 'Show Output').then(showOutputIfChosen);
    throw error;
  });
  ready.catch(() => undefined); // reported above; tests await `ready` themselves

  return { ready, statusBar: () => status.snapshot(), lastStatus: () => status.last, serverProcessId: () => languageClient.serverProcess?.pid };
}

export async function deactivate(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) await running.stop();
}

function showOutputIfChosen(choice: string | undefined): void {
  if (choice === 'Show Output') void vscode.commands.executeCommand('usercubeConf.showOutput');
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The status bar item: index state from the server; a click shows the output. */
class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('usercubeConf.status', vscode.StatusBarAlignment.Left, 10);
  private visible = false;
  last: IndexStatus | undefined;

  constructor() {
    this.item.name = 'Identity Manager (Usercube)';
    this.item.command = 'usercubeConf.showOutput';
  }

  starting(): void {
    this.set('$(sync~spin) Usercube: starting…', 'The Identity Manager language server is starting. Click to show its output.');
  }

  stopped(): void {
    this.set('$(error) Usercube: stopped', 'The Identity Manager language server is not running. Click to show its output.');
  }

  show(status: IndexStatus): void {
    this.last = status;
    if (status.state === 'indexing') {
      this.set('$(sync~spin) Indexing…', 'Identity Manager: indexing the configuration. Click to show the output.');
    } else {
      const summary = `${plural(status.files, 'file')}, ${plural(status.problems, 'problem')}`;
      this.set(`$(check) Usercube: ${summary}`, `Identity Manager: ${summary} in the indexed configuration. Click to show the output.`);
    }
  }

  snapshot(): { text: string; tooltip: string | undefined; visible: boolean } {
    return { text: this.item.text, tooltip: typeof this.item.tooltip === 'string' ? this.item.tooltip : undefined, visible: this.visible };
  }

  private set(text: string, tooltip: string): void {
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.show();
    this.visible = true;
  }

  dispose(): void {
    this.item.dispose();
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
