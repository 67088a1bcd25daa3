/**
 * One-line summaries of stored events ("Bash  npm test  tu_1"): what
 * happened, in a few words, from each kind's attributes. The API sends one
 * with every timeline event so every client shows the same words.
 */
import type { StoredEvent } from '../../schema/index.js';

/** What happened, in a few words, from the event's kind-specific attributes. */
export function summarizeEvent(e: StoredEvent): string {
  switch (e.kind) {
    case 'session.started':
      return join(e.attrs.start_source, e.attrs.model, e.attrs.forked_from && `forked from ${e.attrs.forked_from}`);
    case 'session.ended':
      return e.attrs.reason;
    case 'session.activity':
      return e.attrs.name ?? '';
    case 'prompt.submitted':
      return e.attrs.command ?? quote(e.attrs.text) ?? (e.attrs.length === undefined ? '' : `${e.attrs.length} chars`);
    case 'api.request': {
      const u = e.attrs.usage;
      const tokens = u && `in ${compactTokens(u.input)} out ${compactTokens(u.output)} cache r ${compactTokens(u.cache_read)} w ${compactTokens(u.cache_write)}`;
      return join(e.attrs.model, tokens, e.attrs.request_id ?? e.attrs.message_id);
    }
    case 'api.error':
      return join(e.attrs.status_code === undefined ? undefined : String(e.attrs.status_code), e.attrs.error && oneLine(e.attrs.error), e.attrs.model);
    case 'tool.called':
      return join(e.attrs.tool_name, e.attrs.command ?? e.attrs.file_path ?? e.attrs.input_summary, e.attrs.tool_use_id);
    case 'tool.finished':
      return join(e.attrs.tool_name, e.attrs.success ? 'ok' : `failed${e.attrs.error ? `: ${oneLine(e.attrs.error)}` : ''}`, e.attrs.tool_use_id);
    case 'status.changed':
      return `${e.attrs.status} (${e.attrs.reason})`;
    case 'compaction':
      return join(e.attrs.trigger, e.attrs.pre_tokens === undefined ? undefined : `${compactTokens(e.attrs.pre_tokens)} tokens before`);
    case 'title.set':
      return `${oneLine(e.attrs.title)} (${e.attrs.title_source})`;
    case 'subagent.started':
      return join(e.attrs.agent_type, e.attrs.description && oneLine(e.attrs.description));
    case 'subagent.finished':
      return join(e.attrs.agent_type, e.attrs.total_tokens === undefined ? undefined : `${compactTokens(e.attrs.total_tokens)} tokens`);
    case 'task.changed':
      return join(e.attrs.state, e.attrs.task_id, e.attrs.subject && oneLine(e.attrs.subject));
    case 'process.seen':
      return join(`pid ${e.attrs.pid}`, e.attrs.executable);
    case 'git.context':
      return join(e.attrs.github_repo ?? e.attrs.repo_root, e.attrs.branch ?? e.attrs.head_sha);
    case 'github.ref':
      return join(`${e.attrs.ref_type} #${e.attrs.number}`, e.attrs.repo, e.attrs.action);
    case 'metric.point':
      return join(e.attrs.name, `${e.attrs.value}${e.attrs.unit ? ` ${e.attrs.unit}` : ''}`, e.attrs.type, e.attrs.model);
  }
}

function join(...parts: (string | undefined | null | false)[]): string {
  return parts.filter((p): p is string => typeof p === 'string' && p !== '').join('  ');
}

function quote(text: string | undefined): string | undefined {
  return text === undefined ? undefined : JSON.stringify(oneLine(text));
}

/** Token counts as 999, 12.3k, 1.2M. */
function compactTokens(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '-';
  if (n < 1_000) return String(Math.round(n));
  const [value, unit] = n < 999_950 ? [n / 1_000, 'k'] : n < 999_950_000 ? [n / 1_000_000, 'M'] : [n / 1_000_000_000, 'B'];
  const text = value.toFixed(1);
  return `${text.endsWith('.0') ? text.slice(0, -2) : text}${unit}`;
}

/** Whitespace (newlines included) collapsed to single spaces. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
