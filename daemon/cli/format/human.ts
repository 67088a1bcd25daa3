/**
 * Short human forms of numbers and times for tables: 12.3k tokens, 3h05m,
 * 5m ago. Pure functions; the clock is passed in.
 */

/** Token counts: 999, 12.3k, 1.2M, 3.4B. */
export function formatTokens(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '-';
  if (n < 1_000) return String(Math.round(n));
  if (n < 999_950) return `${trimZero((n / 1_000).toFixed(1))}k`;
  if (n < 999_950_000) return `${trimZero((n / 1_000_000).toFixed(1))}M`;
  return `${trimZero((n / 1_000_000_000).toFixed(1))}B`;
}

/** A duration: 45s, 12m, 3h05m, 2d04h. Negative or unknown → `-`. */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return '-';
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h${pad2(minutes % 60)}m`;
  const days = Math.floor(hours / 24);
  return `${days}d${pad2(hours % 24)}h`;
}

/** Time relative to `now`: `now`, `45s ago`, `12m ago`, `3h ago`, `2d ago`; a date past 30 days; `-` when unknown. */
export function formatRelative(ts: number | null, now: number): string {
  if (ts === null) return '-';
  const ago = now - ts;
  if (ago < 0) return 'now';
  if (ago < 1_000) return 'now';
  if (ago < 30 * 86_400_000) return `${formatDuration(ago).replace(/^(\d+[a-z]).*$/, '$1')} ago`;
  return formatDate(ts).slice(0, 10);
}

/** Local date and time, `YYYY-MM-DD HH:MM:SS`. */
export function formatDate(ts: number): string {
  const d = new Date(ts);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${formatClock(ts)}`;
}

/** Local time of day, `HH:MM:SS`. */
export function formatClock(ts: number): string {
  const d = new Date(ts);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** Local time with milliseconds, `YYYY-MM-DD HH:MM:SS.mmm`. */
export function formatTimestamp(ts: number): string {
  return `${formatDate(ts)}.${String(new Date(ts).getMilliseconds()).padStart(3, '0')}`;
}

/** Bytes: 512 B, 12.3 KB, 4.5 MB, 1.2 GB. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** Integers with thousands separators: 1,234,567. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** US dollars: $0.0123 under a cent, else $12.34; `-` when unknown. */
export function formatUsd(n: number | null): string {
  if (n === null) return '-';
  return n > 0 && n < 0.01 ? `$${n.toFixed(4)}` : `$${n.toFixed(2)}`;
}

/** Model ids without the vendor prefix and date suffix: `claude-sonnet-4-5-20250929` → `sonnet-4-5`. */
export function shortModel(model: string | null): string {
  if (model === null) return '-';
  return model.replace(/^claude-/, '').replace(/-\d{8}$/, '');
}

/** One line of free text: whitespace (newlines included) collapsed to single spaces. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function trimZero(s: string): string {
  return s.endsWith('.0') ? s.slice(0, -2) : s;
}
