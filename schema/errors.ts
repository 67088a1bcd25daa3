/**
 * The one registry of error codes. Each code has a message template, the HTTP
 * status the API answers with, and whether retrying can help. A retired code
 * is never reused: mark it `retired: true` instead of deleting it.
 */

interface ErrorSpec {
  readonly message: string;
  readonly status: number;
  readonly retryable: boolean;
  readonly retired?: boolean;
}

/** Every error code dossier can return, by name. */
export const ERROR_CODES = {
  DOSSIER_E_API_BAD_JSON: { message: 'request body is not valid JSON', status: 400, retryable: false },
  DOSSIER_E_API_BAD_REQUEST: { message: 'request is malformed', status: 400, retryable: false },
  DOSSIER_E_API_BAD_QUERY: { message: 'query parameter is invalid', status: 400, retryable: false },
  DOSSIER_E_API_BODY_TOO_LARGE: { message: 'request body is too large', status: 413, retryable: false },
  DOSSIER_E_API_UNSUPPORTED_MEDIA: { message: 'content type is not supported', status: 415, retryable: false },
  DOSSIER_E_API_NOT_FOUND: { message: 'no such route', status: 404, retryable: false },
  DOSSIER_E_API_METHOD_NOT_ALLOWED: { message: 'method not allowed on this route', status: 405, retryable: false },
  DOSSIER_E_API_FORBIDDEN_ORIGIN: { message: 'requests carrying an Origin header are refused', status: 403, retryable: false },
  DOSSIER_E_API_BAD_HOST: { message: 'unexpected Host header', status: 403, retryable: false },
  DOSSIER_E_EVENT_INVALID: { message: 'event is invalid', status: 422, retryable: false },
  DOSSIER_E_SESSION_NOT_FOUND: { message: 'no session matches that id', status: 404, retryable: false },
  DOSSIER_E_SESSION_AMBIGUOUS: { message: 'that id prefix matches several sessions', status: 409, retryable: false },
  DOSSIER_E_PIPELINE_QUEUE_FULL: { message: 'ingest queue is full', status: 503, retryable: true },
  DOSSIER_E_PIPELINE_STOPPED: { message: 'ingest pipeline is shutting down', status: 503, retryable: true },
  DOSSIER_E_STORE_TOO_NEW: { message: 'database was written by a newer dossier', status: 500, retryable: false },
  DOSSIER_E_STORE_CORRUPT: { message: 'database failed its integrity check', status: 500, retryable: false },
  DOSSIER_E_STORE_WRITE: { message: 'database write failed', status: 500, retryable: true },
  DOSSIER_E_DAEMON_RUNNING: { message: 'another dossier daemon is already running', status: 500, retryable: false },
  DOSSIER_E_DAEMON_NOT_RUNNING: { message: 'the dossier daemon is not running', status: 503, retryable: true },
  DOSSIER_E_DAEMON_PORT_IN_USE: { message: 'a configured port is already in use', status: 500, retryable: false },
  DOSSIER_E_CONFIG_INVALID: { message: 'configuration is invalid', status: 400, retryable: false },
  DOSSIER_E_CLI_USAGE: { message: 'invalid command line', status: 400, retryable: false },
  DOSSIER_E_INTERNAL: { message: 'internal error', status: 500, retryable: false },
} as const satisfies Record<string, ErrorSpec>;

/** One registered error code. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** An error with a registered code, an optional cause, and details safe to show the caller. */
export class DossierError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;

  constructor(code: ErrorCode, detail?: string, options?: { cause?: unknown }) {
    const spec: ErrorSpec = ERROR_CODES[code];
    super(detail ? `${spec.message}: ${detail}` : spec.message, options);
    this.name = 'DossierError';
    this.code = code;
    this.status = spec.status;
    this.retryable = spec.retryable;
  }
}

/** True when the value is a {@link DossierError} (optionally with the given code). */
export function isDossierError(value: unknown, code?: ErrorCode): value is DossierError {
  return value instanceof DossierError && (code === undefined || value.code === code);
}
