import { severityRank } from '../checks/diagnostic';
import { CheckInputError, checkPaths } from '../engine/check';
import { loadSchema } from '../schema/schema';
import { WorkspaceConfigError } from '../workspace/workspaceConfig';
import { parseArgs, USAGE, UsageError } from './args';
import { formatJson, formatSarif, formatText } from './formatters';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  isTty: boolean;
}

export const VERSION = '0.1.0';

/** Runs the CLI and returns its exit code: 0 clean, 1 errors found, 2 unusable arguments. */
export function runCli(argv: readonly string[], io: CliIo): number {
  let args;
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`usercube-conf: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
  if (args.command === 'help') {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  if (args.command === 'version') {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  let result;
  try {
    const cacheDir = args.cacheDir ?? (process.env.USERCUBE_CONF_CACHE_DIR || undefined);
    result = checkPaths(args.paths, loadSchema(), { appsettings: args.appsettings, modules: args.modules, configFile: args.config, cacheDir });
  } catch (error) {
    if (error instanceof CheckInputError || error instanceof WorkspaceConfigError) {
      io.stderr(`usercube-conf: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const threshold = severityRank(args.minSeverity);
  const diagnostics = result.diagnostics.filter((d) => severityRank(d.severity) <= threshold);
  const input = { diagnostics, files: result.files, cwd: io.cwd, linesOf: result.linesOf, color: args.color ?? io.isTty, version: VERSION };
  const output = args.format === 'json' ? formatJson(input) : args.format === 'sarif' ? formatSarif(input) : formatText(input);
  io.stdout(output);
  return diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}

/** Entry point of the `usercube-conf` binary. */
export function main(): void {
  const chunks: string[] = [];
  const code = runCli(process.argv.slice(2), {
    stdout: (text) => chunks.push(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    isTty: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  });
  process.stdout.write(chunks.join(''), () => process.exit(code));
}
