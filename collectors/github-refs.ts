/**
 * Finds the GitHub issues and pull requests a session touched, from what it
 * ran (`gh pr view 12`, `gh issue close 7 -R owner/repo`) and from GitHub
 * URLs in tool inputs and outputs (`gh pr create` prints the new PR's URL).
 * Pure and bounded: any collector may call it on any text.
 */
import { splitShellCommands } from './shell-words.js';

/** What kind of text is being read: a command an agent ran, or text a tool printed. */
export type GithubTextKind = 'command' | 'output';

/** One issue or PR reference, shaped like the attrs of a `github.ref` event. */
export interface GithubRef {
  ref_type: 'issue' | 'pr';
  number: number;
  /** `owner/repo` for github.com; `host/owner/repo` for other hosts. */
  repo?: string;
  url?: string;
  /** The `gh` verb (`view`, `merge`, `close`, …), or `create` when a create command printed this URL. */
  action?: string;
}

/** Longest text read; the rest of a huge output is ignored. */
export const MAX_SCANNED_CHARS = 256 * 1024;
/** Most references returned for one text. */
export const MAX_REFS_PER_TEXT = 32;

const GROUPS: Readonly<Record<string, GithubRef['ref_type']>> = { pr: 'pr', issue: 'issue' };

/** Verbs whose first argument names one issue or PR, per group. */
const TARGET_VERBS: Readonly<Record<GithubRef['ref_type'], ReadonlySet<string>>> = {
  pr: new Set(['view', 'checkout', 'merge', 'close', 'reopen', 'comment', 'edit', 'review', 'diff', 'ready', 'checks', 'lock', 'unlock', 'update-branch', 'revert']),
  issue: new Set(['view', 'close', 'reopen', 'comment', 'edit', 'develop', 'pin', 'unpin', 'lock', 'unlock', 'delete', 'transfer']),
};

/** Long flags of `gh pr|issue …` that take a value (all others are switches). */
const LONG_VALUE_FLAGS = new Set([
  'repo', 'title', 'body', 'body-file', 'base', 'head', 'assignee', 'label', 'milestone', 'project', 'reviewer',
  'template', 'json', 'jq', 'comment', 'subject', 'author-email', 'match-head-commit', 'branch', 'color', 'reason',
  'name', 'branch-repo', 'search', 'state', 'limit', 'author', 'app', 'duplicate-of',
  'add-label', 'remove-label', 'add-assignee', 'remove-assignee', 'add-reviewer', 'remove-reviewer',
  'add-project', 'remove-project',
]);

/** Short flags that take a value, per verb (`-s` is a switch for `merge` but not elsewhere). */
const SHORT_VALUE_FLAGS: Readonly<Record<string, string>> = {
  '*': 'Rq',
  create: 'tbFBHalmprT',
  view: 't',
  merge: 'btAF',
  close: 'cr',
  reopen: 'c',
  checkout: 'b',
  comment: 'bF',
  edit: 'tbFBm',
  review: 'bF',
  develop: 'nb',
};

const URL_PATTERN =
  /(?<![\w.@/-])(?:https?:\/\/)?(?:www\.)?github\.com\/([A-Za-z0-9][A-Za-z0-9-]{0,38})\/([A-Za-z0-9._-]{1,100})\/(pull|issues)\/(\d{1,9})(?![\w-])/gi;

const MAY_HOLD_REF = /gh|github\.com/i;

/** The part of a `github.ref` dedupe key that names the ref, so every collector keys the same ref alike. */
export function githubRefKey(ref: GithubRef): string {
  return `${ref.ref_type}:${ref.number}:${ref.repo ?? ''}`;
}

/**
 * Issue and PR references in `text`. For a `command`: every `gh pr|issue
 * <verb> <number|#number|url>` (with `-R/--repo` read), then GitHub issue and
 * PR URLs anywhere in it; for an `output`: the URLs only. Deduplicated in
 * order of appearance, at most {@link MAX_REFS_PER_TEXT}, never throws.
 */
export function extractGithubRefs(text: string, kind: GithubTextKind): GithubRef[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  const scanned = text.length > MAX_SCANNED_CHARS ? text.slice(0, MAX_SCANNED_CHARS) : text;
  // Most texts name neither `gh` nor github.com: one native scan answers them before any splitting or regex.
  if (!MAY_HOLD_REF.test(scanned)) return [];
  const found = kind === 'command' ? [...refsFromGhCommands(scanned), ...refsFromUrls(scanned)] : refsFromUrls(scanned);
  return dedupe(found);
}

/**
 * References of one tool call: its command and its output together. When the
 * command created an issue or PR (`gh pr create`, `gh issue create`), URLs of
 * that kind in the output are the created ones and get `action: 'create'`.
 */
export function extractToolCallGithubRefs(command: string | undefined, output: string | undefined): GithubRef[] {
  const fromCommand = command ? extractGithubRefs(command, 'command') : [];
  const created = command ? createdKinds(command) : new Set<GithubRef['ref_type']>();
  const fromOutput = (output ? extractGithubRefs(output, 'output') : []).map((ref) =>
    created.has(ref.ref_type) ? { ...ref, action: 'create' } : ref,
  );
  return dedupe([...fromCommand, ...fromOutput]);
}

function createdKinds(command: string): Set<GithubRef['ref_type']> {
  const kinds = new Set<GithubRef['ref_type']>();
  for (const call of ghCalls(command.slice(0, MAX_SCANNED_CHARS))) {
    if (call.verb === 'create') kinds.add(call.group);
  }
  return kinds;
}

interface GhCall {
  group: GithubRef['ref_type'];
  verb: string;
  target?: string;
  repoFlag?: string;
}

function refsFromGhCommands(text: string): GithubRef[] {
  const refs: GithubRef[] = [];
  for (const call of ghCalls(text)) {
    if (call.target === undefined || !TARGET_VERBS[call.group].has(call.verb)) continue;
    const repo = call.repoFlag === undefined ? undefined : normalizeRepo(call.repoFlag);
    const number = /^#?(\d{1,9})$/.exec(call.target);
    if (number) {
      const n = Number(number[1]);
      if (n >= 1) refs.push({ ref_type: call.group, number: n, ...(repo ? { repo } : {}), action: call.verb });
      continue;
    }
    const [fromUrl] = refsFromUrls(call.target);
    if (fromUrl) refs.push({ ...fromUrl, action: call.verb });
  }
  return refs;
}

/** Every `gh pr …` / `gh issue …` invocation in a command line, with its verb, first argument and repo flag. */
function ghCalls(text: string): GhCall[] {
  const calls: GhCall[] = [];
  for (const words of splitShellCommands(text)) {
    const start = commandStart(words);
    if (start === -1) continue;
    const positionals: string[] = [];
    let repoFlag: string | undefined;
    for (let k = start + 1; k < words.length; k++) {
      const word = words[k]!;
      if (word === '--') continue;
      if (!word.startsWith('-') || word === '-') {
        if (positionals.length < 3) positionals.push(word);
        continue;
      }
      const verb = positionals[1] ?? '';
      const { takesValue, name, inlineValue } = readFlag(word, verb);
      const value = inlineValue ?? (takesValue ? words[++k] : undefined);
      if ((name === 'R' || name === 'repo') && value !== undefined) repoFlag = value;
    }
    const group = GROUPS[positionals[0] ?? ''];
    const verb = positionals[1];
    if (!group || verb === undefined) continue;
    calls.push({ group, verb, ...(positionals[2] !== undefined ? { target: positionals[2] } : {}), ...(repoFlag ? { repoFlag } : {}) });
  }
  return calls;
}

/** Index of the `gh` word after env assignments and wrappers (`env`, `command`, `time`, …), or -1. */
function commandStart(words: readonly string[]): number {
  for (let k = 0; k < words.length; k++) {
    const word = words[k]!;
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) continue;
    if (word === 'env' || word === 'command' || word === 'exec' || word === 'time' || word === 'nohup' || word === 'sudo') continue;
    return word === 'gh' || word.endsWith('/gh') ? k : -1;
  }
  return -1;
}

function readFlag(word: string, verb: string): { takesValue: boolean; name: string; inlineValue?: string } {
  if (word.startsWith('--')) {
    const eq = word.indexOf('=');
    const name = eq === -1 ? word.slice(2) : word.slice(2, eq);
    if (eq !== -1) return { takesValue: true, name, inlineValue: word.slice(eq + 1) };
    return { takesValue: LONG_VALUE_FLAGS.has(name), name };
  }
  const name = word[1] ?? '';
  const shortValues = (SHORT_VALUE_FLAGS['*'] ?? '') + (SHORT_VALUE_FLAGS[verb] ?? '');
  if (!shortValues.includes(name)) return { takesValue: false, name };
  // `-R owner/repo` or the glued form `-Rowner/repo`.
  return word.length > 2 ? { takesValue: true, name, inlineValue: word.slice(2) } : { takesValue: true, name };
}

function refsFromUrls(text: string): GithubRef[] {
  const refs: GithubRef[] = [];
  for (const m of text.matchAll(URL_PATTERN)) {
    const number = Number(m[4]);
    if (number < 1) continue;
    const repoName = m[2]!.replace(/\.git$/i, '');
    refs.push({
      ref_type: m[3]!.toLowerCase() === 'pull' ? 'pr' : 'issue',
      number,
      repo: `${m[1]}/${repoName}`,
      url: `https://github.com/${m[1]}/${repoName}/${m[3]!.toLowerCase()}/${number}`,
    });
    if (refs.length >= MAX_REFS_PER_TEXT) break;
  }
  return refs;
}

/** `owner/repo`, `github.com/owner/repo`, `HOST/owner/repo` or a repo URL → `owner/repo` (github.com) or `host/owner/repo`. */
function normalizeRepo(value: string): string | undefined {
  const trimmed = value.trim().replace(/^[a-z]+:\/\//i, '').replace(/\.git$/i, '').replace(/\/+$/, '');
  const parts = trimmed.split('/').filter((p) => p.length > 0);
  if (parts.length < 2 || parts.some((p) => !/^[\w.-]+$/.test(p))) return undefined;
  if (parts.length === 2) return `${parts[0]}/${parts[1]}`;
  const host = parts[0]!.toLowerCase().replace(/^www\./, '');
  return host === 'github.com' ? parts.slice(1, 3).join('/') : [host, ...parts.slice(1)].join('/');
}

function dedupe(refs: readonly GithubRef[]): GithubRef[] {
  const seen = new Set<string>();
  const out: GithubRef[] = [];
  for (const ref of refs) {
    const key = `${ref.ref_type}:${ref.number}:${(ref.repo ?? '').toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(ref);
    if (out.length >= MAX_REFS_PER_TEXT) break;
  }
  return out;
}
