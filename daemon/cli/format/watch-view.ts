/**
 * The live table of `dossier watch` on a terminal: the sessions the stream
 * has shown, most recent activity first, redrawn in place at most a few
 * times a second however fast changes arrive.
 */
import type { SessionRecord, WatchEvent } from '../../../schema/index.js';
import type { TextSink } from '../io.js';
import { paint } from './color.js';
import { formatClock } from './human.js';
import { renderSessionTable } from './sessions-table.js';

/** Most rows drawn; older sessions stay known but off screen. */
export const MAX_ROWS = 40;
const REDRAW_MS = 200;
const CLEAR = '\u001b[H\u001b[2J';

/** Keeps the sessions seen and redraws the table. */
export class WatchView {
  readonly #sessions = new Map<string, SessionRecord>();
  readonly #out: TextSink;
  readonly #options: { width: number | undefined; color: boolean; now: () => number };
  #timer: NodeJS.Timeout | null = null;
  #note = 'connecting…';

  constructor(out: TextSink, options: { width: number | undefined; color: boolean; now: () => number }) {
    this.#out = out;
    this.#options = options;
  }

  /** Takes one stream event; a reset forgets every session (a full snapshot follows). */
  apply(event: WatchEvent): void {
    if (event.type === 'reset') this.#sessions.clear();
    if (event.type === 'snapshot' || event.type === 'session') this.#sessions.set(event.session.session_id, event.session);
    if (event.type === 'ready') this.#note = 'live';
    if (event.type === 'error') this.#note = `stream error: ${event.error.message}`;
    this.#schedule();
  }

  /** A status line under the title (reconnecting, …). */
  note(text: string): void {
    this.#note = text;
    this.#schedule();
  }

  /** Draws now and cancels a pending redraw. */
  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#draw();
  }

  #schedule(): void {
    if (this.#timer !== null) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#draw();
    }, REDRAW_MS);
  }

  #draw(): void {
    const now = this.#options.now();
    const sessions = [...this.#sessions.values()]
      .sort((a, b) => (b.last_activity ?? -1) - (a.last_activity ?? -1) || (a.session_id < b.session_id ? -1 : 1))
      .slice(0, MAX_ROWS);
    const title = paint(`dossier watch · ${this.#sessions.size} sessions · ${this.#note} · ${formatClock(now)}`, 'bold', this.#options.color);
    const table = sessions.length === 0 ? ['(no sessions yet)'] : renderSessionTable(sessions, now, { width: this.#options.width, color: this.#options.color });
    this.#out.write(`${CLEAR}${title}\n${table.join('\n')}\n`);
  }
}
