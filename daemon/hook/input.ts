/**
 * Reading a hook payload from stdin, bounded in size and in time: the agent
 * waits for the hook, so neither a huge payload nor a stdin that never
 * closes may hold it up. A payload over the socket's body bound is slimmed
 * (tool output and file contents dropped: the daemon never keeps them)
 * rather than lost.
 */

/** Most bytes read from stdin; past this the call is dropped (no payload is that large). */
export const MAX_STDIN_BYTES = 64 * 1024 * 1024;

/** Largest body sent or spooled; bigger payloads are slimmed first. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** The texts the mapping keeps are cut to this many characters anyway (`LIMITS.maxTextLength`). */
const KEPT_TEXT_CHARS = 16_384;

/** tool_input fields the mapping reads; everything else in it may be file content. */
const KEPT_INPUT_FIELDS = ['file_path', 'notebook_path', 'path', 'command', 'description', 'pattern', 'url', 'subject'];

/**
 * Reads the stream to its end, or until `deadlineMs` passes (then what
 * arrived is used). Resolves undefined when nothing usable arrived or the
 * input exceeded {@link MAX_STDIN_BYTES}.
 */
export function readHookInput(stream: NodeJS.ReadableStream, deadlineMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let done = false;
    const finish = (value: Buffer | undefined): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      stream.removeAllListeners('data');
      stream.pause();
      resolve(value);
    };
    const timer = setTimeout(() => finish(total > 0 ? Buffer.concat(chunks, total) : undefined), deadlineMs);
    stream.on('data', (chunk: Buffer | string) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      total += bytes.length;
      if (total > MAX_STDIN_BYTES) return finish(undefined);
      chunks.push(bytes);
    });
    stream.once('end', () => finish(total > 0 ? Buffer.concat(chunks, total) : undefined));
    stream.once('error', () => finish(undefined));
  });
}

/**
 * Returns the body to send: the input itself when it fits, else a slimmed
 * copy, else undefined (not JSON, or still too large).
 */
export function boundedBody(input: Buffer, maxBytes: number = MAX_BODY_BYTES): Buffer | undefined {
  if (input.length <= maxBytes) return input;
  let parsed: unknown;
  try {
    parsed = JSON.parse(input.toString('utf8'));
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const slim = Buffer.from(JSON.stringify(slimPayload(parsed as Record<string, unknown>)));
  return slim.length <= maxBytes ? slim : undefined;
}

/** A copy of the payload without tool output and with long texts cut; ids and names stay. */
export function slimPayload(payload: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(payload)) {
    if (key === 'tool_response') continue;
    if (key === 'tool_input') out[key] = slimInput(value);
    else if (key === 'tool_calls' && Array.isArray(value)) out[key] = value.map(slimCall);
    else out[key] = typeof value === 'string' ? value.slice(0, KEPT_TEXT_CHARS) : isLarge(value) ? undefined : value;
  }
  return out;
}

function slimCall(call: unknown): unknown {
  if (call === null || typeof call !== 'object' || Array.isArray(call)) return call;
  const { tool_response: _dropped, tool_input, ...rest } = call as Record<string, unknown>;
  return { ...rest, tool_input: slimInput(tool_input) };
}

function slimInput(input: unknown): unknown {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of KEPT_INPUT_FIELDS) {
    const value = (input as Record<string, unknown>)[key];
    if (typeof value === 'string') out[key] = value.slice(0, KEPT_TEXT_CHARS);
  }
  return out;
}

/** Nested values the mapping never reads are dropped when they are big. */
function isLarge(value: unknown): boolean {
  return value !== null && typeof value === 'object' && JSON.stringify(value).length > KEPT_TEXT_CHARS;
}
