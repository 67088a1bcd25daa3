/**
 * Runs `ccusage claude session --json --offline` (npm ccusage@20.0.24, a
 * native binary behind a small Node launcher) on a Claude root for the
 * side-by-side benchmark. Installed through npx from the npm registry; when
 * that is not possible the caller is told why and reports it unavailable.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** The pinned version (20.0.26 has no Linux binary in the registry here). */
export const CCUSAGE = 'ccusage@20.0.24';

/** One ccusage run. */
export interface CcusageRun {
  wall_s: number;
  /** From /usr/bin/time when present. */
  cpu_s: number | null;
  peak_rss_mb: number | null;
  sessions: number;
  tokens: { input: number; output: number; cache_read: number; cache_write: number };
}

/** Path of the `ccusage` command (installing it into the npx cache once), or why there is none. */
export function locateCcusage(): { bin: string } | { reason: string } {
  try {
    const out = execFileSync('npx', ['--yes', `--package=${CCUSAGE}`, '-c', 'command -v ccusage'], {
      encoding: 'utf8',
      env: { ...process.env, npm_config_update_notifier: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 240_000,
    }).trim();
    return out && existsSync(out) ? { bin: out } : { reason: `npx found no ccusage binary (${out || 'empty'})` };
  } catch (error) {
    return { reason: `npx --yes ${CCUSAGE} failed: ${(error as Error).message.split('\n')[0]}` };
  }
}

/** Runs ccusage once on `root` (as `CLAUDE_CONFIG_DIR`). */
export function runCcusage(bin: string, root: string): Promise<CcusageRun> {
  const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
  const argv = timeBin ? [timeBin, '-f', '%U %S %M', bin] : [bin];
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(argv[0]!, [...argv.slice(1), 'claude', 'session', '--json', '--offline'], { env: { ...process.env, CLAUDE_CONFIG_DIR: root }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
    child.once('error', reject);
    child.once('close', (code) => {
      const wall = (performance.now() - t0) / 1000;
      if (code !== 0) return reject(new Error(`ccusage exited ${code}: ${err.trim().split('\n').slice(-2).join(' | ')}`));
      const parsed = JSON.parse(Buffer.concat(out).toString('utf8')) as { sessions: { inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheCreationTokens: number }[] };
      const tokens = { input: 0, output: 0, cache_read: 0, cache_write: 0 };
      for (const s of parsed.sessions) {
        tokens.input += s.inputTokens;
        tokens.output += s.outputTokens;
        tokens.cache_read += s.cacheReadTokens;
        tokens.cache_write += s.cacheCreationTokens;
      }
      const m = /(\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+)\s*$/.exec(err.trim());
      resolve({ wall_s: wall, cpu_s: m ? Number(m[1]) + Number(m[2]) : null, peak_rss_mb: m ? Number(m[3]) / 1024 : null, sessions: parsed.sessions.length, tokens });
    });
  });
}
