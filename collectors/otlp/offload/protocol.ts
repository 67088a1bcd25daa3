/**
 * Messages between the receiver and its decode workers. A worker decodes and
 * maps one logs or traces request; events come back as columns with their
 * attrs already serialized (`EventColumns`), which the receiver's thread
 * rebuilds and stores faster than it could parse or clone event objects.
 */
import type { EventColumns } from '../../../core/pipeline/event-columns.js';
import type { ClaudeMapOptions } from '../claude/logs.js';
import type { DecodeLimits, Encoding, Signal } from '../model.js';

/** One request for a worker. */
export interface DecodeTask {
  id: number;
  body: Uint8Array;
  encoding: Encoding;
  /** null: tell the signal from the body (`POST /`). */
  signal: Signal | null;
  receivedAt: number;
  limits: DecodeLimits;
  /** What of the content the mapping stores (prompt text). */
  mapping: ClaudeMapOptions;
}

/** What mapping produced, with the events serialized. */
export interface MappedReply {
  id: number;
  kind: 'mapped';
  signal: Signal;
  items: number;
  events: EventColumns;
  rejected: number;
  firstRejection: string;
  ignored: number;
  foreign: number;
  withoutSession: number;
}

/** A worker's answer to one task. `main-thread`: the body is metrics, whose mapping needs the receiver's series state. */
export type DecodeReply =
  | MappedReply
  | { id: number; kind: 'empty' }
  | { id: number; kind: 'invalid'; message: string }
  | { id: number; kind: 'main-thread' };
