/**
 * The CLI's view of the outside world, injected into every command so tests
 * run commands without a terminal, a real environment or a real clock.
 */

/** Something text can be written to (process.stdout, a test buffer). */
export interface TextSink {
  write(text: string): unknown;
}

/** Everything a command may touch besides the daemon client. */
export interface CliIo {
  stdout: TextSink;
  stderr: TextSink;
  /** Whether stdout is a terminal: tables fit its width and may use colour. */
  isTTY: boolean;
  env: Readonly<Record<string, string | undefined>>;
  /** Terminal width in columns, when known. */
  columns: number | undefined;
  /** Wall clock, ms since epoch; defaults to Date.now. */
  now?: () => number;
}

/** The real process's io. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    isTTY: process.stdout.isTTY === true,
    env: process.env,
    columns: process.stdout.isTTY ? process.stdout.columns : undefined,
    now: Date.now,
  };
}

/** The io's clock, or Date.now. */
export function clockOf(io: CliIo): number {
  return (io.now ?? Date.now)();
}

/**
 * Colour only on a terminal, and never when NO_COLOR is set to a non-empty
 * value (https://no-color.org).
 */
export function colorEnabled(io: Pick<CliIo, 'isTTY' | 'env'>): boolean {
  const noColor = io.env.NO_COLOR;
  return io.isTTY && (noColor === undefined || noColor === '');
}
