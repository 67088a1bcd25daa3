/**
 * Enforces the dependency directions of ARCHITECTURE §4 by reading every
 * source file's imports. A violation fails the test run with the file, the
 * import and the rule it breaks.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const sourceRoots = ['schema', 'core', 'collectors', 'daemon'];

interface ImportRef {
  file: string;
  spec: string;
  /** Repo-relative target for relative imports, undefined for packages. */
  target?: string;
  /** `import type` / `export type`: erased at build, so it loads nothing. */
  typeOnly?: boolean;
}

function listSources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listSources(full));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

const importPattern = /(?:^|\n)\s*(?:import|export)\s+(type\s)?[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;

function importsOf(file: string): ImportRef[] {
  const text = readFileSync(file, 'utf8');
  const refs: ImportRef[] = [];
  for (const m of text.matchAll(importPattern)) {
    const spec = m[2] ?? m[3] ?? m[4];
    if (!spec) continue;
    const rel = relative(root, file);
    const typeOnly = m[1] !== undefined;
    if (spec.startsWith('.')) {
      refs.push({ file: rel, spec, target: relative(root, resolve(dirname(file), spec)).split(sep).join('/'), typeOnly });
    } else {
      refs.push({ file: rel, spec, typeOnly });
    }
  }
  return refs;
}

function area(path: string): string {
  const parts = path.split(/[\\/]/);
  if (parts[0] === 'core' || parts[0] === 'collectors' || parts[0] === 'daemon') {
    return parts.length > 2 ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  return parts[0] ?? '';
}

/**
 * Folders of CLI-side helpers too big for one command file (the hook
 * forwarder, setup's settings editor, service unit writers, config loading):
 * they run in the CLI process and follow the CLI's rules.
 */
const CLI_HELPER_FOLDERS = new Set(['daemon/hook', 'daemon/setup', 'daemon/service', 'daemon/config']);

/** Returns why an import is forbidden, or null when it is allowed. */
function violation(ref: ImportRef): string | null {
  const from = area(ref.file);
  const top = from.split('/')[0];
  if (!ref.target) {
    if (from === 'core/merge' && (ref.spec.startsWith('node:') || ref.spec === 'better-sqlite3')) {
      return 'core/merge is pure: no node:* modules, no SQLite';
    }
    if (from === 'schema' && ref.spec !== 'zod') return 'schema imports nothing but zod';
    return null;
  }
  const to = area(ref.target);
  const toTop = to.split('/')[0];
  if (top === 'schema') return toTop === 'schema' ? null : 'schema imports nothing of ours';
  if (from === 'core/merge') return toTop === 'schema' || to === 'core/merge' ? null : 'core/merge imports only schema';
  if (top === 'core') return toTop === 'schema' || toTop === 'core' ? null : 'core imports only schema and core';
  if (top === 'collectors') {
    if (toTop === 'schema' || to === 'core/pipeline') return null;
    if (toTop === 'collectors') {
      return to === from || to === 'collectors' ? null : 'collectors never import each other';
    }
    return 'collectors import schema and core/pipeline only';
  }
  if (from === 'daemon/cli' || CLI_HELPER_FOLDERS.has(from)) {
    // The `daemon` command is the one CLI entry that runs the composition root itself.
    if (ref.target.startsWith('daemon/main')) return ref.file.replace(/\\/g, '/') === 'daemon/cli/daemon.ts' ? null : 'only the daemon command may start daemon/main';
    if (toTop === 'schema' || to === 'daemon' || to === 'daemon/cli' || CLI_HELPER_FOLDERS.has(to)) return null;
    // The hook forwarder shares the wire format and process facts with the hooks and process collectors.
    if (to === 'collectors/process' || ref.target.startsWith('collectors/hooks/wire')) return null;
    return 'the CLI talks to the daemon only through the client and schema types (no core, collectors, api or store)';
  }
  return null;
}

describe('architecture: dependency directions', () => {
  const files = sourceRoots.flatMap((r) => {
    try {
      return listSources(join(root, r));
    } catch {
      return [];
    }
  });

  it('finds the source tree', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it('every import follows ARCHITECTURE §4', () => {
    const problems = files
      .flatMap(importsOf)
      .map((ref) => ({ ref, why: violation(ref) }))
      .filter((p) => p.why !== null)
      .map((p) => `${p.ref.file} imports '${p.ref.spec}': ${p.why}`);
    expect(problems).toEqual([]);
  });

  it('only daemon/main may exit the process', () => {
    const offenders = files
      .filter((f) => /process\.exit\s*\(/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(root, f).split(sep).join('/'))
      .filter((f) => !f.startsWith('daemon/main'));
    expect(offenders).toEqual([]);
  });

  it('the transcripts reader worker loads no validators: zod and schema/index stay out of its module graph', () => {
    // Loading them doubled the worker's start (200-260 ms against 96-128 ms), which
    // every backfill and every reader restart waits for.
    const seen = new Set<string>();
    const queue = ['collectors/transcripts/worker.ts'];
    const loaded: string[] = [];
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const ref of importsOf(join(root, file))) {
        if (ref.typeOnly) continue;
        if (ref.target === undefined) loaded.push(ref.spec);
        else queue.push(ref.target.replace(/\.js$/, '.ts'));
      }
    }
    expect(seen.size).toBeGreaterThan(10);
    expect([...seen].filter((f) => f === 'schema/index.ts' || f === 'schema/events.ts')).toEqual([]);
    expect(loaded.filter((spec) => spec === 'zod' || spec.startsWith('zod/'))).toEqual([]);
  });

  it('the checker itself rejects a forbidden import', () => {
    expect(violation({ file: 'core/merge/x.ts', spec: 'node:fs' })).not.toBeNull();
    expect(violation({ file: 'collectors/otlp/a.ts', spec: '../../core/store/db.js', target: 'core/store/db.js' })).not.toBeNull();
    expect(violation({ file: 'collectors/otlp/a.ts', spec: '../transcripts/x.js', target: 'collectors/transcripts/x.js' })).not.toBeNull();
    expect(violation({ file: 'daemon/cli/ls.ts', spec: '../../core/store/db.js', target: 'core/store/db.js' })).not.toBeNull();
    expect(violation({ file: 'collectors/otlp/a.ts', spec: '../../core/pipeline/sink.js', target: 'core/pipeline/sink.js' })).toBeNull();
    expect(violation({ file: 'daemon/hook/a.ts', spec: '../../core/store/db.js', target: 'core/store/db.js' })).not.toBeNull();
  });
});
