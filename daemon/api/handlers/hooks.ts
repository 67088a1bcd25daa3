/**
 * `POST /v1/hooks/{framework}`: one agent hook call. The body is the payload
 * exactly as the agent produced it; `dossier hook` adds what it knows (fire
 * time, the agent's process) as `dossier-hook-*` headers, an agent's own
 * HTTP hook sends none. The reply comes after commit and is an empty JSON
 * object: Claude Code parses a 2xx JSON body as hook output, and `{}` asks
 * for nothing.
 */
import type { IncomingMessage } from 'node:http';
import { receiveHookCall } from '../../../collectors/hooks/receive.js';
import { metaFromHeaders } from '../../../collectors/hooks/wire.js';
import { DossierError } from '../../../schema/index.js';
import type { ApiDeps } from '../deps.js';
import type { RequestContext, RouteResult } from '../router.js';

/** Handles one hook call; mapping refusals are 400/404, pipeline refusals retryable 503s. */
export async function postHook(deps: ApiDeps, ctx: RequestContext): Promise<RouteResult> {
  if (ctx.body === undefined) throw new DossierError('DOSSIER_E_API_BAD_REQUEST', 'hook payload: empty body');
  const meta = metaFromHeaders((name) => headerOf(ctx.req, name));
  await receiveHookCall({ sink: deps.sink, counters: deps.counters, now: deps.now, options: deps.hookOptions }, ctx.params.framework ?? '', ctx.body, meta);
  return { status: 200, body: {} };
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
