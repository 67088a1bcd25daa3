import { describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../../schema/index.js';
import type { SessionFilter } from '../../../core/store/types.js';
import { liveSessionsFrom } from '../../../daemon/live-sessions.js';

function record(i: number): SessionRecord {
  return { session_id: `s${i}`, framework: 'claude_code', pid: i, process_start_time: 1000 + i, last_activity: 2000 + i } as SessionRecord;
}

describe('liveSessionsFrom', () => {
  it('asks for every non-ended session, hidden ones included, across pages', async () => {
    const filters: SessionFilter[] = [];
    const pages = [
      { sessions: [record(1), record(2)], next_cursor: 'c1' },
      { sessions: [record(3)], next_cursor: null },
    ];
    const list = liveSessionsFrom({
      listSessions: (filter) => {
        filters.push(filter);
        return pages[filters.length - 1]!;
      },
    });
    const facts = await list();
    expect(facts).toEqual([1, 2, 3].map((i) => ({ session_id: `s${i}`, framework: 'claude_code', pid: i, process_start_time: 1000 + i, last_activity: 2000 + i })));
    expect(filters).toEqual([
      { status: ['busy', 'waiting', 'idle'], include_hidden: true, limit: 1000 },
      { status: ['busy', 'waiting', 'idle'], include_hidden: true, limit: 1000, cursor: 'c1' },
    ]);
  });
});
