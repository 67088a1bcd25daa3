/**
 * Wire encoding of the mock Messages API: the server-sent event stream and
 * the JSON bodies the real API sends, so the real Claude Code CLI parses our
 * answers exactly as it parses Anthropic's.
 */
import { randomBytes } from 'node:crypto';

/** Usage object as the Messages API returns it (the oracle sums these). */
export interface WireUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
  output_tokens: number;
  service_tier: 'standard';
}

/** One content block of an assistant message. */
export type WireBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

/** Everything needed to encode one assistant message. */
export interface WireMessage {
  id: string;
  model: string;
  blocks: WireBlock[];
  stopReason: 'end_turn' | 'tool_use' | 'max_tokens';
  usage: WireUsage;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A random id in the API's style: `prefix` then `length` base62 characters. */
export function wireId(prefix: string, length: number): string {
  const bytes = randomBytes(length);
  let out = prefix;
  for (const b of bytes) out += BASE62[b % 62];
  return out;
}

function event(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Splits text into a few deltas, as the API streams it. */
function chunks(text: string, size: number): string[] {
  if (text.length === 0) return [''];
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/**
 * The SSE stream of one message. Like the real API, `message_start` carries
 * the input-side usage with a placeholder `output_tokens: 1`, and only the
 * final `message_delta` carries the true output count: clients that keep an
 * early copy of usage see the placeholder, which dossier must not sum.
 */
export function encodeMessageStream(msg: WireMessage): string {
  const startUsage = { ...msg.usage, output_tokens: 1 };
  const parts: string[] = [
    event('message_start', {
      type: 'message_start',
      message: {
        id: msg.id,
        type: 'message',
        role: 'assistant',
        model: msg.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: startUsage,
      },
    }),
    event('ping', { type: 'ping' }),
  ];
  msg.blocks.forEach((block, index) => {
    if (block.type === 'text') {
      parts.push(event('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } }));
      for (const text of chunks(block.text, 24)) {
        parts.push(event('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text } }));
      }
    } else {
      parts.push(
        event('content_block_start', {
          type: 'content_block_start',
          index,
          content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
        }),
      );
      for (const partial_json of chunks(JSON.stringify(block.input), 40)) {
        parts.push(event('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json } }));
      }
    }
    parts.push(event('content_block_stop', { type: 'content_block_stop', index }));
  });
  parts.push(
    event('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: msg.stopReason, stop_sequence: null },
      usage: {
        input_tokens: msg.usage.input_tokens,
        cache_creation_input_tokens: msg.usage.cache_creation_input_tokens,
        cache_read_input_tokens: msg.usage.cache_read_input_tokens,
        output_tokens: msg.usage.output_tokens,
      },
    }),
    event('message_stop', { type: 'message_stop' }),
  );
  return parts.join('');
}

/** The same message as a non-streaming JSON body (`stream: false` requests). */
export function encodeMessageJson(msg: WireMessage): string {
  return JSON.stringify({
    id: msg.id,
    type: 'message',
    role: 'assistant',
    model: msg.model,
    content: msg.blocks,
    stop_reason: msg.stopReason,
    stop_sequence: null,
    usage: msg.usage,
  });
}

/** The API's error body: `{type:"error", error:{type, message}}`. */
export function encodeError(type: string, message: string): string {
  return JSON.stringify({ type: 'error', error: { type, message } });
}
