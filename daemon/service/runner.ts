/**
 * Runs the service manager's commands (`systemctl`, `launchctl`,
 * `journalctl`). Injected into the managers so tests script the replies.
 */
import { execFile } from 'node:child_process';

/** What one command did. A missing binary is exit code 127, never a throw. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one command with arguments (no shell). */
export type CommandRunner = (command: string, args: readonly string[]) => Promise<CommandResult>;

/** How long one service-manager command may take before it is killed. */
const COMMAND_TIMEOUT_MS = 30_000;

/** The real runner: `execFile`, no shell, output as text. */
export const execRunner: CommandRunner = (command, args) =>
  new Promise((resolve) => {
    execFile(command, [...args], { timeout: COMMAND_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error === null) return resolve({ code: 0, stdout, stderr });
      const errno = (error as NodeJS.ErrnoException).code;
      const code = errno === 'ENOENT' ? 127 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr: stderr === '' ? error.message : stderr });
    });
  });
