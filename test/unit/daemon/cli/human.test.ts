import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatRelative, formatTokens, formatUsd, oneLine, shortModel } from '../../../../daemon/cli/format/human.js';

describe('human formats', () => {
  it('shortens token counts', () => {
    expect(formatTokens(0)).toBe('0');
    expect(formatTokens(999)).toBe('999');
    expect(formatTokens(1000)).toBe('1k');
    expect(formatTokens(12_345)).toBe('12.3k');
    expect(formatTokens(999_949)).toBe('999.9k');
    expect(formatTokens(999_950)).toBe('1M');
    expect(formatTokens(1_234_567)).toBe('1.2M');
    expect(formatTokens(3_400_000_000)).toBe('3.4B');
    expect(formatTokens(-1)).toBe('-');
  });

  it('writes durations with two units at most', () => {
    expect(formatDuration(null)).toBe('-');
    expect(formatDuration(45_900)).toBe('45s');
    expect(formatDuration(12 * 60_000 + 5_000)).toBe('12m');
    expect(formatDuration(3 * 3_600_000 + 5 * 60_000)).toBe('3h05m');
    expect(formatDuration(2 * 86_400_000 + 4 * 3_600_000)).toBe('2d04h');
  });

  it('writes times relative to now, and old ones as dates', () => {
    const now = Date.UTC(2026, 10, 21, 12, 0, 0);
    expect(formatRelative(null, now)).toBe('-');
    expect(formatRelative(now + 5_000, now)).toBe('now');
    expect(formatRelative(now - 500, now)).toBe('now');
    expect(formatRelative(now - 45_000, now)).toBe('45s ago');
    expect(formatRelative(now - 3 * 3_600_000 - 60_000, now)).toBe('3h ago');
    expect(formatRelative(now - 2 * 86_400_000, now)).toBe('2d ago');
    expect(formatRelative(now - 40 * 86_400_000, now)).toMatch(/^2026-10-1[12]$/);
  });

  it('formats money, bytes, models and text', () => {
    expect(formatUsd(null)).toBe('-');
    expect(formatUsd(0.0042)).toBe('$0.0042');
    expect(formatUsd(12.345)).toBe('$12.35');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MB');
    expect(shortModel('claude-sonnet-4-5-20250929')).toBe('sonnet-4-5');
    expect(shortModel('claude-opus-4-1')).toBe('opus-4-1');
    expect(shortModel(null)).toBe('-');
    expect(oneLine('  fix the\n\tflaky  test ')).toBe('fix the flaky test');
  });
});
