/**
 * Rule 2 of the merge for the fields the agent's own sources report: each
 * takes the value of the strongest source that has one (transcript > otel >
 * hook > process > git), the latest of that source for "current state"
 * fields and the earliest for "first" fields, and remembers that source.
 */
import type { NormalizedEvent, Source } from '../../schema/index.js';
import { SourcePick } from './pick.js';
import { isRealRequest } from './requests.js';

/** A field value and the source it came from. */
export interface SourcedValue<T> {
  value: T | null;
  source: Source | null;
}

/** Context and content fields of a session, each with its source. */
export interface ReportedFields {
  cwd: SourcedValue<string>;
  git_branch: SourcedValue<string>;
  app_version: SourcedValue<string>;
  entrypoint: SourcedValue<string>;
  transcript_path: SourcedValue<string>;
  model: SourcedValue<string>;
  title: SourcedValue<string>;
  first_user_message: SourcedValue<string>;
  last_user_message: SourcedValue<string>;
  forked_from: SourcedValue<string>;
}

/**
 * Picks the reported fields. `sorted` must come from `sortEvents`.
 * - `cwd`, `git_branch`, `app_version`, `entrypoint`, `transcript_path`: the
 *   shared context attrs any event may carry (latest).
 * - `model`: real API requests and session starts (latest); `<synthetic>`
 *   lines are not a model.
 * - `first_user_message` / `last_user_message`: prompt texts of the main
 *   agent (a subagent's prompt is its parent's instruction, not the user's).
 * - `title`: `title.set` (latest); `forked_from`: `session.started` (earliest).
 */
export function pickReportedFields(sorted: readonly NormalizedEvent[]): ReportedFields {
  const cwd = new SourcePick<string>('latest');
  const gitBranch = new SourcePick<string>('latest');
  const appVersion = new SourcePick<string>('latest');
  const entrypoint = new SourcePick<string>('latest');
  const transcriptPath = new SourcePick<string>('latest');
  const model = new SourcePick<string>('latest');
  const title = new SourcePick<string>('latest');
  const firstMessage = new SourcePick<string>('earliest');
  const lastMessage = new SourcePick<string>('latest');
  const forkedFrom = new SourcePick<string>('earliest');

  for (const e of sorted) {
    const { source, attrs } = e;
    // Most events lack most of these; testing here saves a call per absent value.
    if (attrs.cwd != null) cwd.offer(source, attrs.cwd);
    if (attrs.git_branch != null) gitBranch.offer(source, attrs.git_branch);
    if (attrs.app_version != null) appVersion.offer(source, attrs.app_version);
    if (attrs.entrypoint != null) entrypoint.offer(source, attrs.entrypoint);
    if (attrs.transcript_path != null) transcriptPath.offer(source, attrs.transcript_path);
    switch (e.kind) {
      case 'api.request':
        if (isRealRequest(e)) model.offer(source, e.attrs.model);
        break;
      case 'session.started':
        model.offer(source, e.attrs.model);
        forkedFrom.offer(source, e.attrs.forked_from);
        break;
      case 'prompt.submitted':
        if (e.agent_id === null) {
          firstMessage.offer(source, e.attrs.text);
          lastMessage.offer(source, e.attrs.text);
        }
        break;
      case 'title.set':
        title.offer(source, e.attrs.title);
        break;
      default:
        break;
    }
  }
  return {
    cwd: sourced(cwd),
    git_branch: sourced(gitBranch),
    app_version: sourced(appVersion),
    entrypoint: sourced(entrypoint),
    transcript_path: sourced(transcriptPath),
    model: sourced(model),
    title: sourced(title),
    first_user_message: sourced(firstMessage),
    last_user_message: sourced(lastMessage),
    forked_from: sourced(forkedFrom),
  };
}

function sourced<T>(pick: SourcePick<T>): SourcedValue<T> {
  return { value: pick.value, source: pick.source };
}
