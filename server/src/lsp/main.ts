import { startServer } from './server';

// Started by the VS Code client over IPC, or by any editor with `usercube-conf-server --stdio`.
startServer();
