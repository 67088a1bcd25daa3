/**
 * The session filter flags `ls`, `stats` and `export` share, mapped one to
 * one onto the API's query parameters (the daemon validates values and
 * names the bad one). The user's time zone goes with every query so days
 * and named ranges are the user's, not the daemon's.
 */
import { RANGE_NAMES as RANGES } from '../../schema/api.js';
import type { SessionListQuery } from '../../schema/index.js';
import { SESSION_STATUSES as STATUSES } from '../../schema/session.js';
import { parseList, usageError } from './args.js';

/** parseArgs options of the filter flags. */
export const FILTER_OPTIONS = {
  all: { type: 'boolean' },
  status: { type: 'string' },
  framework: { type: 'string' },
  cwd: { type: 'string' },
  project: { type: 'string' },
  repo: { type: 'string' },
  branch: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  range: { type: 'string' },
  'min-duration': { type: 'string' },
  id: { type: 'string' },
  search: { type: 'string', short: 'q' },
  alive: { type: 'boolean' },
  ended: { type: 'boolean' },
} as const;

/** Help lines of the filter flags. */
export const FILTER_HELP = [
  '  --all               every session, including old and hidden ones',
  `  --status LIST       only these statuses: ${STATUSES.join(', ')}`,
  '  --framework LIST    only these frameworks: claude_code, codex, gemini',
  '  --cwd PATH          working directory at or under PATH (--project is the same; "." is the current directory)',
  '  --repo OWNER/NAME   GitHub repository',
  '  --branch NAME       git branch',
  '  --since WHEN        last activity at or after WHEN: 2026-11-21, an ISO date-time, or 2h / 7d ago',
  '  --until WHEN        last activity before WHEN',
  `  --range NAME        ${RANGES.join(', ')} (in your time zone)`,
  '  --min-duration D    ran at least D (90s, 30m, 2h)',
  '  --id PREFIX         session id prefix',
  '  -q, --search TEXT   text in the title or the first or last prompt',
  '  --alive / --ended   only sessions still live / only ended ones',
].join('\n');

/** The values parseArgs gives for {@link FILTER_OPTIONS}. */
export interface FilterFlagValues {
  all?: boolean | undefined;
  status?: string | undefined;
  framework?: string | undefined;
  cwd?: string | undefined;
  project?: string | undefined;
  repo?: string | undefined;
  branch?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  range?: string | undefined;
  'min-duration'?: string | undefined;
  id?: string | undefined;
  search?: string | undefined;
  alive?: boolean | undefined;
  ended?: boolean | undefined;
}

/** The API query of the filter flags. `cwd` relative paths resolve against `workingDir`. */
export function filterQuery(values: FilterFlagValues, workingDir: string, timeZone: string): Omit<SessionListQuery, 'limit' | 'cursor'> {
  if (values.alive && values.ended) throw usageError('--alive and --ended exclude each other');
  if (values.cwd !== undefined && values.project !== undefined) throw usageError('--cwd and --project are the same filter; give one');
  const range = values.range === undefined ? undefined : parseList('range', values.range, RANGES);
  if (range && range.length > 1) throw usageError('--range takes one name');
  const place = values.cwd ?? values.project;
  const query: Omit<SessionListQuery, 'limit' | 'cursor'> = { tz: timeZone };
  if (values.all) query.all = true;
  const status = parseList('status', values.status, STATUSES);
  if (status) query.status = status;
  if (values.framework !== undefined) query.framework = values.framework.split(',').map((s) => s.trim());
  if (place !== undefined) query.cwd = absolutePath(place, workingDir);
  if (values.repo !== undefined) query.repo = values.repo;
  if (values.branch !== undefined) query.branch = values.branch;
  if (values.since !== undefined) query.since = values.since;
  if (values.until !== undefined) query.until = values.until;
  if (range) query.range = range[0]!;
  if (values['min-duration'] !== undefined) query.min_duration = values['min-duration'];
  if (values.id !== undefined) query.id = values.id;
  if (values.search !== undefined) query.q = values.search;
  if (values.alive) query.alive = true;
  if (values.ended) query.alive = false;
  return query;
}

/** The user's IANA time zone (TZ, else the runtime's). */
export function userTimeZone(env: Readonly<Record<string, string | undefined>>): string {
  const tz = env.TZ;
  if (tz !== undefined && tz !== '' && !tz.startsWith(':')) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return tz;
    } catch {
      // An unknown TZ falls back to what the runtime resolved.
    }
  }
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

function absolutePath(path: string, workingDir: string): string {
  if (path.startsWith('/')) return path;
  const parts = workingDir.split('/').filter((p) => p !== '');
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}
