/**
 * Argument parsing shared by the commands: `node:util` parseArgs in strict
 * mode, with its errors turned into usage errors (exit code 2), and the two
 * connection flags every client command takes.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DossierError } from '../../schema/errors.js';

/** `--socket PATH` and `--home DIR`: which daemon to talk to (else DOSSIER_SOCKET / DOSSIER_HOME / defaults). */
export const CONNECTION_OPTIONS = {
  socket: { type: 'string' },
  home: { type: 'string' },
} as const;

/** Help lines for {@link CONNECTION_OPTIONS}, appended to every client command's usage. */
export const CONNECTION_HELP = [
  '  --socket PATH   the daemon socket (default: $DOSSIER_SOCKET, $XDG_RUNTIME_DIR/dossier/dossier.sock, <state>/dossier.sock)',
  '  --home DIR      the state directory the daemon uses (default: $DOSSIER_HOME, $XDG_STATE_HOME/dossier)',
].join('\n');

/** A `DOSSIER_E_CLI_USAGE` error; the CLI prints it with a pointer to the command's help and exits 2. */
export function usageError(detail: string): DossierError {
  return new DossierError('DOSSIER_E_CLI_USAGE', detail);
}

/** Runs parseArgs in strict mode with positionals allowed; any complaint becomes a usage error. */
export function parseArgv<T extends Omit<ParseArgsConfig, 'strict' | 'allowPositionals'>>(
  config: T,
): ReturnType<typeof parseArgs<T & { strict: true; allowPositionals: true }>> {
  try {
    return parseArgs({ ...config, strict: true, allowPositionals: true });
  } catch (error) {
    throw usageError(simplifyParseError(error));
  }
}

/** Requires exactly the named positionals, no more, no fewer. */
export function expectPositionals(positionals: readonly string[], names: readonly string[]): string[] {
  if (positionals.length < names.length) throw usageError(`missing <${names[positionals.length]}>`);
  if (positionals.length > names.length) throw usageError(`unexpected argument ${JSON.stringify(positionals[names.length])}`);
  return [...positionals];
}

/**
 * Parses the arguments of a command that takes only `--json` and the
 * connection flags, and no positionals.
 */
export function parseJsonOnly(argv: string[]): { json: boolean; socket: string | undefined; home: string | undefined } {
  const { values, positionals } = parseArgv({ args: argv, options: { json: { type: 'boolean' }, ...CONNECTION_OPTIONS } });
  expectPositionals(positionals, []);
  return { json: values.json ?? false, socket: values.socket, home: values.home };
}

/**
 * Parses a whole-number option value from `min` to `max` (at most as many
 * digits as `max` has), or undefined when not given. Anything else is a
 * usage error `--flag: must be a whole number of <unit> from min to max (got "value")`.
 */
export function parseWholeNumber(flag: string, value: string | undefined, unit: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d+$/.test(value) && value.length <= String(max).length ? Number(value) : Number.NaN;
  if (!(n >= min && n <= max)) throw usageError(`--${flag}: must be a whole number of ${unit} from ${min} to ${max} (got ${JSON.stringify(value)})`);
  return n;
}

/**
 * Parses an option that takes one of `allowed`, or undefined when not given.
 * Anything else is a usage error `--flag: must be one of a, b (got "value")`.
 */
export function parseChoice<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  const choice = allowed.find((a) => a === value);
  if (choice === undefined) throw usageError(`--${flag}: must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
  return choice;
}

/** Parses a positive integer option value, naming the flag when it is not one. */
export function parsePositiveInt(flag: string, value: string | undefined, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > max) throw usageError(`--${flag}: must be an integer from 1 to ${max} (got ${JSON.stringify(value)})`);
  return n;
}

/** Splits a comma list option, checking every item against `allowed`. */
export function parseList<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item)) {
      throw usageError(`--${flag}: unknown value ${JSON.stringify(item)} (one of: ${allowed.join(', ')})`);
    }
  }
  if (items.length === 0) throw usageError(`--${flag}: needs at least one value`);
  return items as T[];
}

function simplifyParseError(error: unknown): string {
  const err = error as { code?: string; message?: string };
  const message = err.message ?? String(error);
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /'([^']+)'/.exec(message)?.[1];
    return option ? `unknown option ${option}` : message;
  }
  return message;
}
