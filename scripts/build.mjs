// Bundles the CLI, the language server and the VS Code client with esbuild (dist/).
import { build } from 'esbuild';

const common = { bundle: true, mainFields: ['module', 'main'], platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning', legalComments: 'none' };

await Promise.all([
  build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', format: 'cjs' }),
  build({ ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js', format: 'cjs' }),
  // Worker threads of the initial index (loaded by dist/cli.js and dist/server.js from their own folder).
  build({ ...common, entryPoints: ['server/src/engine/indexWorker.ts'], outfile: 'dist/indexWorker.js', format: 'cjs' }),
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', format: 'cjs', external: ['vscode'] }),
]);
