import type { Severity } from '../checks/diagnostic';

export type Format = 'text' | 'json' | 'sarif';

export interface CheckArgs {
  command: 'check';
  paths: string[];
  appsettings?: string;
  modules: string[];
  format: Format;
  minSeverity: Severity;
  config?: string;
  color?: boolean;
  /** Folder of the index cache; none unless given (or USERCUBE_CONF_CACHE_DIR is set). */
  cacheDir?: string;
}

export type ParsedArgs = CheckArgs | { command: 'help' } | { command: 'version' };

export class UsageError extends Error {}

const FORMATS: readonly Format[] = ['text', 'json', 'sarif'];
const SEVERITIES: readonly Severity[] = ['error', 'warning', 'information', 'hint'];

export const USAGE = `Usage: usercube-conf check [PATH...] [options]

Checks Netwrix Identity Manager (Usercube) configuration folders and prints every problem found.

Options:
  --appsettings FILE         agent settings file of the configuration (default: found beside the Conf folder)
  --module DIR               read-only module folder whose declarations resolve references (repeatable)
  --format text|json|sarif   output format (default: text)
  --min-severity LEVEL       error, warning, information or hint (default: hint: everything)
  --config FILE              workspace file (default: usercube-conf.json found upward from the first PATH)
  --cache-dir DIR            keep an index cache in DIR, so that the next check of unchanged files is fast
                             (default: none, or the USERCUBE_CONF_CACHE_DIR environment variable)
  --no-color                 never colour the text output
  -h, --help                 show this help
  --version                  show the version

Exit code: 0 when no error was found, 1 when at least one error was found, 2 when the arguments are unusable.`;

export function parseArgs(argv: readonly string[]): ParsedArgs {
  if (argv.length === 0 || argv[0] === '-h' || argv[0] === '--help' || argv[0] === 'help') return { command: 'help' };
  if (argv[0] === '--version') return { command: 'version' };
  if (argv[0] !== 'check') throw new UsageError(`unknown command '${argv[0]}' (the command is 'check')`);
  const args: CheckArgs = { command: 'check', paths: [], modules: [], format: 'text', minSeverity: 'hint' };
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const next = inline ?? argv[++i];
      if (next === undefined || (inline === undefined && next.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--appsettings':
        args.appsettings = value();
        break;
      case '--module':
        args.modules.push(value());
        break;
      case '--format': {
        const format = value() as Format;
        if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
        args.format = format;
        break;
      }
      case '--min-severity': {
        const severity = value() as Severity;
        if (!SEVERITIES.includes(severity)) throw new UsageError(`--min-severity must be one of ${SEVERITIES.join(', ')}`);
        args.minSeverity = severity;
        break;
      }
      case '--config':
        args.config = value();
        break;
      case '--cache-dir':
        args.cacheDir = value();
        break;
      case '--no-color':
        args.color = false;
        break;
      case '-h':
      case '--help':
        return { command: 'help' };
      default:
        if (arg.startsWith('-')) throw new UsageError(`unknown option '${arg}'`);
        args.paths.push(arg);
    }
  }
  return args;
}
