/**
 * Generates a `~/.claude`-shaped tree of synthetic transcripts
 * (`<root>/projects/<project>/<session>.jsonl`, subagent files and sidecars)
 * of a given size and file count, deterministically from a seed, and
 * returns what a correct reader must find in it. Used by the backfill
 * benchmark (≈1 GB, 3,000 files) and by the crash test (a few MB).
 */
import { mkdirSync, writeFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Rng, TextPool } from './text-pool.js';
import { generateSession, type SessionTruth } from './session-writer.js';

/** What to generate. */
export interface TreeSpec {
  /** Directory that becomes the Claude root (gets a `projects/` folder). */
  root: string;
  /** Transcript (`.jsonl`) files to write, main and subagent together. */
  files: number;
  /** Approximate total bytes of all transcripts. */
  totalBytes: number;
  seed: number;
  /** Distinct project directories. */
  projects?: number;
}

/** What was generated. */
export interface TreeManifest {
  spec: TreeSpec;
  bytes: number;
  jsonlFiles: number;
  sessions: SessionTruth[];
}

const EPOCH = Date.UTC(2026, 9, 1);

/**
 * Writes the tree unless a manifest for the same spec already exists there
 * (generation of 1 GB takes a while; benchmarks reuse it). Returns the manifest.
 */
export function generateTree(spec: TreeSpec): TreeManifest {
  const manifestPath = join(spec.root, 'manifest.json');
  if (existsSync(manifestPath)) {
    const old = JSON.parse(readFileSync(manifestPath, 'utf8')) as TreeManifest;
    if (JSON.stringify(old.spec) === JSON.stringify(spec)) return old;
  }
  rmSync(join(spec.root, 'projects'), { recursive: true, force: true });
  const rng = new Rng(spec.seed);
  const pool = new TextPool(rng);
  const projects = Array.from({ length: spec.projects ?? Math.max(1, Math.round(spec.files / 25)) }, (_, i) => `/home/dev/work/repo-${i}`);

  // Session sizes: log-normal, then scaled so their sum is the requested total.
  const plan: { subagents: number; weight: number }[] = [];
  let jsonl = 0;
  while (jsonl < spec.files) {
    const subagents = spec.files - jsonl > 3 && rng.chance(0.1) ? rng.int(1, 2) : 0;
    plan.push({ subagents, weight: rng.size(1, 0.02, 40) });
    jsonl += 1 + subagents;
  }
  const weightSum = plan.reduce((a, p) => a + p.weight, 0);

  const sessions: SessionTruth[] = [];
  let bytes = 0;
  for (const [i, p] of plan.entries()) {
    const cwd = projects[i % projects.length]!;
    const projectDir = join(spec.root, 'projects', cwd.replace(/[^a-zA-Z0-9]/g, '-'));
    const target = Math.max(3000, Math.round((spec.totalBytes * p.weight) / weightSum));
    const start = EPOCH + rng.int(0, 60 * 86_400_000);
    const { files, truth } = generateSession(rng, pool, cwd, target, p.subagents, start);
    for (const f of files) {
      const path = join(projectDir, f.relPath);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, f.text);
      if (f.relPath.endsWith('.jsonl')) bytes += Buffer.byteLength(f.text);
    }
    sessions.push(truth);
  }
  const manifest: TreeManifest = { spec, bytes, jsonlFiles: jsonl, sessions };
  writeFileSync(manifestPath, JSON.stringify(manifest));
  return manifest;
}
