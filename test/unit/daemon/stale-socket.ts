/**
 * Test helper: leaves a stale Unix socket file behind, exactly as a daemon
 * killed with SIGKILL does (a child binds the path, then kills itself).
 */
import { spawnSync } from 'node:child_process';

/** Creates a socket file at `path` that nobody listens on. */
export function makeStaleSocket(path: string): void {
  const script = `require('node:net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`;
  spawnSync(process.execPath, ['-e', script], { stdio: 'ignore' });
}
