/**
 * Git and GitHub enrichment speed:
 * - one cwd resolved with real git (layout, remote, branch, merge base, diff)
 *   in a repository of 2,000 files with a feature branch and uncommitted
 *   edits: cold (empty cache), warm (layout and merge base cached), and the
 *   history mode (layout and remote only);
 * - what the enricher adds to the ingest path: events per second through the
 *   cwd tap (`CwdHub.observe`) with a subscribed enricher;
 * - `extractGithubRefs` on realistic command lines and on large tool output.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { extractGithubRefs } from '../../collectors/github-refs.js';
import { CwdHub, defaultGitConfig, gitEnricherFactory } from '../../collectors/git/index.js';
import { GitResolver, type ResolveMode } from '../../collectors/git/resolve.js';
import { GitRunner } from '../../collectors/git/runner.js';
import { Counters } from '../../core/pipeline/counters.js';
import type { NormalizedEvent } from '../../schema/index.js';
import type { BenchRow } from '../row.js';

const SUITE = 'git-enrich';
const FILES = 2_000;

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', args, {
    cwd,
    stdio: 'ignore',
    env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@b', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@b' },
  });
}

function buildRepo(root: string): string {
  const repo = join(root, 'repo');
  mkdirSync(join(repo, 'src'), { recursive: true });
  git(repo, 'init', '-q', '-b', 'main');
  for (let i = 0; i < FILES; i++) writeFileSync(join(repo, 'src', `f${i}.ts`), `export const v${i} = ${i};\n`.repeat(20));
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'init');
  git(repo, 'remote', 'add', 'origin', 'git@github.com:acme/bench.git');
  git(repo, 'update-ref', 'refs/remotes/origin/main', 'HEAD');
  git(repo, 'symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main');
  git(repo, 'checkout', '-q', '-b', 'feature');
  for (let i = 0; i < 50; i++) writeFileSync(join(repo, 'src', `f${i}.ts`), `export const changed${i} = true;\n`);
  git(repo, 'commit', '-q', '-am', 'feature');
  for (let i = 50; i < 60; i++) writeFileSync(join(repo, 'src', `f${i}.ts`), 'uncommitted\n');
  return repo;
}

async function timeResolve(resolver: GitResolver, cwd: string, mode: ResolveMode): Promise<number> {
  const signal = new AbortController().signal;
  const started = performance.now();
  const result = await resolver.resolve(cwd, mode, { commandTimeoutMs: 30_000, deadline: Date.now() + 60_000, signal, now: Date.now });
  if (result.kind !== 'resolved') throw new Error(`bench repo did not resolve: ${JSON.stringify(result)}`);
  return performance.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function resolutionRows(repo: string): Promise<BenchRow[]> {
  const runs = 9;
  const cold: number[] = [];
  const warm: number[] = [];
  const history: number[] = [];
  for (let i = 0; i < runs; i++) {
    const resolver = new GitResolver(new GitRunner({ binary: 'git' }), 60_000);
    cold.push(await timeResolve(resolver, repo, 'live'));
    warm.push(await timeResolve(resolver, repo, 'live'));
    history.push(await timeResolve(new GitResolver(new GitRunner({ binary: 'git' }), 60_000), repo, 'static'));
  }
  const note = `${FILES} files, 60 changed; median of ${runs}`;
  return [
    { suite: SUITE, case: 'resolve cwd, cold cache (8 git runs)', value: median(cold), unit: 'ms', note },
    { suite: SUITE, case: 'resolve cwd, warm cache (3 git runs)', value: median(warm), unit: 'ms', note },
    { suite: SUITE, case: 'resolve cwd, history mode (3 git runs)', value: median(history), unit: 'ms', note },
  ];
}

/** Events per second through the tap with an enricher subscribed (its git work never runs: no sighting is new after the first). */
async function tapRow(repo: string): Promise<BenchRow> {
  const hub = new CwdHub();
  const settings = { logger: pino({ level: 'silent' }), counters: new Counters(), checkpoints: { load: () => new Map<string, string>() }, home: tmpdir(), now: Date.now };
  const sink = { accepting: true, submit: async () => ({ received: 1, inserted: 1, duplicates: 0 }) };
  const enricher = gitEnricherFactory.create(settings, { ...defaultGitConfig(), onCwd: hub.subscribe }, sink);
  await enricher.start();
  const batch: NormalizedEvent[] = Array.from({ length: 1_000 }, (_, i) => ({
    dedupe_key: `t:${i}`,
    source: 'transcript',
    framework: 'claude_code',
    session_id: `s${i % 20}`,
    agent_id: null,
    ts: 1_700_000_000_000 + i,
    received_at: 1_700_000_000_000 + i,
    kind: 'session.activity',
    attrs: { cwd: i % 2 === 0 ? repo : `${repo}/src` },
  }));
  const rounds = 500;
  const started = performance.now();
  for (let r = 0; r < rounds; r++) hub.observe(batch);
  const seconds = (performance.now() - started) / 1000;
  await enricher.shutdown(5_000);
  return { suite: SUITE, case: 'cwd tap on the ingest path', value: (rounds * batch.length) / seconds, unit: 'events/s', note: '1,000-event batches, 20 sessions × 2 cwds' };
}

const COMMANDS = [
  'gh pr view 123 --json title,body,comments',
  'git status && git diff --stat',
  'gh pr create --title "feat: retry" --body "$(cat <<\'EOF\'\n## Summary\n- retries\n\nFixes https://github.com/acme/w/issues/57\nEOF\n)"',
  'npm test -- --run test/unit/foo.test.ts 2>&1 | tail -50',
  'gh issue close 42 --comment "fixed in #43" -R acme/widgets',
  'cd packages/api && npx tsc --noEmit',
  'gh pr checkout 77 && npm ci && npm run build',
  'rg -n "TODO" src | head -20',
];

function refsRows(): BenchRow[] {
  const rounds = 20_000;
  let found = 0;
  let started = performance.now();
  for (let r = 0; r < rounds; r++) for (const c of COMMANDS) found += extractGithubRefs(c, 'command').length;
  const commandsPerSecond = (rounds * COMMANDS.length) / ((performance.now() - started) / 1000);

  // Worst case: GitHub-looking noise everywhere and the one PR URL at the very end, so the whole cap is scanned.
  const line = 'src/app.ts:12:3 - error TS2345: see github.com/acme/w/blob/main/src/app.ts and https://example.com/x\n';
  const tail = 'https://github.com/acme/w/pull/12\n';
  const output = line.repeat(Math.ceil((256 * 1024) / line.length)).slice(0, 256 * 1024 - tail.length) + tail;
  const outRounds = 200;
  started = performance.now();
  for (let r = 0; r < outRounds; r++) found += extractGithubRefs(output, 'output').length;
  const mbPerSecond = (outRounds * output.length) / 1e6 / ((performance.now() - started) / 1000);
  if (found === 0) throw new Error('the refs bench found nothing: the workload is wrong');
  return [
    { suite: SUITE, case: 'extractGithubRefs on command lines', value: commandsPerSecond, unit: 'commands/s', note: `${COMMANDS.length} realistic commands` },
    { suite: SUITE, case: 'extractGithubRefs on tool output', value: mbPerSecond, unit: 'MB/s', note: '256 KiB (the scan cap) of GitHub-looking noise, one PR URL at the end' },
  ];
}

/** Runs the suite. */
export async function run(): Promise<BenchRow[]> {
  const root = mkdtempSync(join(tmpdir(), 'dossier-bench-git-'));
  try {
    const repo = buildRepo(root);
    return [...(await resolutionRows(repo)), await tapRow(repo), ...refsRows()];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
