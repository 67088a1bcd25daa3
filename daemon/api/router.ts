/**
 * The route table's shape and its matcher. The whole API is one array of
 * routes sorted by path pattern, then method; the matcher walks it in order.
 * Because `{` sorts after every letter and digit, a literal segment always
 * comes before a `{param}` at the same place, so literals win.
 */
import type { IncomingMessage } from 'node:http';

/** Methods the API serves. */
export type HttpMethod = 'GET' | 'POST';

/** What a handler gets for one request. */
export interface RequestContext {
  req: IncomingMessage;
  /** Decoded `{name}` segments of the pattern. */
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  /** The parsed JSON body for routes with `body: 'json'`; undefined when the body was empty. */
  body: unknown;
}

/** What a handler answers: a status, a JSON-serializable body, extra headers. */
export interface RouteResult {
  status: number;
  body: unknown;
  headers?: Readonly<Record<string, string>>;
  /**
   * A long-lived response instead of `body`: the server writes the status,
   * the version header and `headers` (which must name the content type),
   * then hands over the response. `close` is called once, when the client
   * goes away or the server shuts down; after it, write nothing more.
   */
  stream?: StreamBody;
  /** A text body sent as is instead of JSON (exports); `headers` name its content type. */
  text?: string;
}

/** A streamed response body (see {@link RouteResult.stream}). */
export interface StreamBody {
  /** Starts writing; `res.write` for each chunk. */
  start(res: import('node:http').ServerResponse): void;
  /** Stops: unsubscribe, clear timers. The server ends the response itself. */
  close(): void;
}

/** A handler answers or throws a `DossierError` (any other throw is a 500). */
export type RouteHandler = (ctx: RequestContext) => Promise<RouteResult> | RouteResult;

/** One row of the route table. */
export interface Route {
  method: HttpMethod;
  /** Absolute path; `{name}` captures one non-empty segment. */
  pattern: string;
  /** `json`: the body is read (bounded) and parsed before the handler runs. */
  body?: 'json';
  /** Writes are refused once the daemon begins shutting down. */
  write?: boolean;
  handler: RouteHandler;
}

/** Result of matching a request against the table. */
export type RouteMatch =
  | { kind: 'matched'; route: Route; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: HttpMethod[] }
  | { kind: 'not-found' };

/** Orders two routes as the table must be ordered: by pattern, then method. */
export function compareRoutes(a: Pick<Route, 'method' | 'pattern'>, b: Pick<Route, 'method' | 'pattern'>): number {
  if (a.pattern !== b.pattern) return a.pattern < b.pattern ? -1 : 1;
  if (a.method !== b.method) return a.method < b.method ? -1 : 1;
  return 0;
}

/**
 * Checks a route table once at start-up: sorted by {@link compareRoutes}, no
 * duplicate (method, pattern), well-formed patterns. Throws on the first
 * problem; returns the same table frozen.
 */
export function defineRoutes(routes: readonly Route[]): readonly Route[] {
  routes.forEach((route, i) => {
    if (!route.pattern.startsWith('/') || /\{[^}]*$|\{\}/.test(route.pattern)) {
      throw new Error(`route ${route.method} ${route.pattern}: malformed pattern`);
    }
    const previous = routes[i - 1];
    if (previous && compareRoutes(previous, route) >= 0) {
      throw new Error(`route table is not sorted or has a duplicate at ${route.method} ${route.pattern}`);
    }
  });
  return Object.freeze([...routes]);
}

/** Finds the route for a method and a URL path (no query string). */
export function matchRoute(routes: readonly Route[], method: string, pathname: string): RouteMatch {
  const segments = splitPath(pathname);
  if (segments === null) return { kind: 'not-found' };
  const allowed: HttpMethod[] = [];
  for (const route of routes) {
    const params = matchPattern(route.pattern, segments);
    if (params === null) continue;
    if (route.method === method) return { kind: 'matched', route, params };
    if (!allowed.includes(route.method)) allowed.push(route.method);
  }
  return allowed.length > 0 ? { kind: 'method-not-allowed', allowed } : { kind: 'not-found' };
}

function matchPattern(pattern: string, segments: readonly string[]): Record<string, string> | null {
  const parts = pattern.split('/').slice(1);
  if (parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const segment = segments[i]!;
    if (part.startsWith('{') && part.endsWith('}')) {
      if (segment === '') return null;
      params[part.slice(1, -1)] = segment;
    } else if (part !== segment) {
      return null;
    }
  }
  return params;
}

/** Splits and percent-decodes a path; null when a segment cannot be decoded. A trailing slash is ignored. */
function splitPath(pathname: string): string[] | null {
  const trimmed = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  try {
    return trimmed.split('/').slice(1).map((s) => decodeURIComponent(s));
  } catch {
    return null;
  }
}
