/*
 * Native structure scanner for Claude Code transcript lines.
 *
 * It walks one JSON line exactly the way collectors/transcripts/line-fields.ts
 * and json-cursor.ts do (same nesting, same strict and lenient parts, same
 * early stops) but decodes nothing: it reports, in document order, where the
 * values dossier reads begin and end, as (field, start, end) triples in an
 * Int32Array. line-spans.ts turns those triples into the same TranscriptLine
 * the JS scanner builds. What the JS scanner would reject (a JsonScanError),
 * this rejects too, except a bad escape inside a string it reports: that one
 * is found when line-spans.ts decodes the string. Where the two could differ
 * (a `type` written with escapes, more triples than the output holds) it
 * answers FALLBACK and the JS scanner reads the line.
 *
 * Every index is checked against the line's end: the bytes after it belong to
 * the next line and are never looked at.
 */
#include <node_api.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Field ids: keep in step with `enum F` in collectors/transcripts/line-spans.ts. */
enum {
  F_TYPE = 1, F_SUBTYPE, F_UUID, F_PARENT_UUID, F_SESSION_ID, F_AGENT_ID, F_TIMESTAMP,
  F_IS_SIDECHAIN, F_CWD, F_GIT_BRANCH, F_VERSION, F_ENTRYPOINT, F_PROMPT_ID,
  F_PERMISSION_MODE, F_IS_META, F_IS_COMPACT_SUMMARY, F_IS_VISIBLE_ONLY,
  F_IS_API_ERROR, F_API_ERROR_STATUS, F_ERROR, F_REQUEST_ID, F_AI_TITLE,
  F_CUSTOM_TITLE, F_SUMMARY, F_LEAF_UUID, F_ATTACHMENT,
  F_COMPACT, F_C_TRIGGER, F_C_PRE_TOKENS, F_C_POST_TOKENS,
  F_MESSAGE, F_M_ROLE, F_M_ID, F_M_MODEL, F_M_STOP_REASON, F_M_USAGE, F_M_CONTENT_STRING,
  F_CONTENT_ARRAY, F_BLOCK, F_BLOCK_END, F_B_TYPE, F_B_ID, F_B_TOOL_USE_ID, F_B_NAME,
  F_B_IS_ERROR, F_B_TEXT, F_I_FILE_PATH, F_I_NOTEBOOK_PATH, F_I_PATH, F_I_COMMAND
};

/* Set on a string field's id when its text holds a backslash (it needs JSON unescaping). */
#define ESCAPED 0x100

#define RESULT_MALFORMED (-1)
#define RESULT_FALLBACK (-2)

#define MAX_SKIP_TYPES 32
#define MAX_TYPE_LEN 64

/*
 * Line types after which the rest of the line is not read, as configured by
 * JS. Kept per Node environment (instance data), so the main thread and a
 * worker that both load the addon never share or race on it.
 */
typedef struct {
  char names[MAX_SKIP_TYPES][MAX_TYPE_LEN];
  size_t lens[MAX_SKIP_TYPES];
  size_t count;
} SkipTypes;

typedef struct {
  const uint8_t *b;
  size_t end;
  const SkipTypes *skip;
  int32_t *out;
  size_t cap;
  size_t n;
  jmp_buf fail;   /* longjmp'd with 1 (malformed) or 2 (fallback) */
} Scan;

typedef struct {
  size_t pos;
  long value_start; /* -1 before the first item and after the close */
  long value_end;   /* -1 until the current value is read or skipped */
  int first;
  size_t key_start, key_end;
} Cursor;

static void malformed(Scan *s) { longjmp(s->fail, 1); }
static void fallback(Scan *s) { longjmp(s->fail, 2); }

static inline int ch(const Scan *s, size_t i) { return i < s->end ? s->b[i] : -1; }

static void emit(Scan *s, int field, size_t start, size_t end) {
  if (s->n + 3 > s->cap) fallback(s);
  s->out[s->n++] = field;
  s->out[s->n++] = (int32_t)start;
  s->out[s->n++] = (int32_t)end;
}

static size_t skip_ws(const Scan *s, size_t i) {
  while (i < s->end) {
    uint8_t c = s->b[i];
    if (c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09) i++;
    else break;
  }
  return i;
}

/* i at an opening quote: index just past the closing quote, or -1 when unterminated. */
static long skip_string(const Scan *s, size_t i) {
  size_t from = i + 1;
  for (;;) {
    if (from >= s->end) return -1;
    const uint8_t *q = memchr(s->b + from, '"', s->end - from);
    if (q == NULL) return -1;
    size_t qi = (size_t)(q - s->b);
    size_t k = qi - 1;
    size_t slashes = 0;
    while (k > i && s->b[k] == '\\') {
      slashes++;
      k--;
    }
    if ((slashes & 1) == 0) return (long)(qi + 1);
    from = qi + 1;
  }
}

/* i at the first character of any value: index just past it, or -1 when it does not end. */
static long skip_value(const Scan *s, size_t i) {
  int c = ch(s, i);
  if (c == '"') return skip_string(s, i);
  if (c == '{' || c == '[') {
    long depth = 0;
    size_t j = i;
    while (j < s->end) {
      uint8_t d = s->b[j];
      if (d == '"') {
        long k = skip_string(s, j);
        if (k < 0) return -1;
        j = (size_t)k;
        continue;
      }
      if (d == '{' || d == '[') depth++;
      else if (d == '}' || d == ']') {
        depth--;
        if (depth == 0) return (long)(j + 1);
      }
      j++;
    }
    return -1;
  }
  size_t j = i;
  while (j < s->end) {
    uint8_t d = s->b[j];
    if (d == ',' || d == '}' || d == ']' || d == 0x20 || d == 0x0a || d == 0x0d || d == 0x09) break;
    j++;
  }
  return j > i ? (long)j : -1;
}

static size_t must_skip(Scan *s, size_t i) {
  long stop = skip_value(s, i);
  if (stop < 0) malformed(s);
  return (size_t)stop;
}

static void cursor_open(Scan *s, Cursor *c, size_t start, int open) {
  if (ch(s, start) != open) malformed(s);
  c->pos = start + 1;
  c->value_start = -1;
  c->value_end = -1;
  c->first = 1;
}

/* Moves past the current value and its comma: where the next item starts, or -1 at `close`. */
static long cursor_step(Scan *s, Cursor *c, int close) {
  if (c->value_start >= 0 && c->value_end < 0) c->value_end = (long)must_skip(s, (size_t)c->value_start);
  size_t i = skip_ws(s, c->value_start >= 0 ? (size_t)c->value_end : c->pos);
  if (ch(s, i) == close) {
    c->pos = i + 1;
    c->value_start = -1;
    return -1;
  }
  if (!c->first) {
    if (ch(s, i) != ',') malformed(s);
    i = skip_ws(s, i + 1);
  }
  c->first = 0;
  return (long)i;
}

static int object_next(Scan *s, Cursor *c) {
  long at = cursor_step(s, c, '}');
  if (at < 0) return 0;
  size_t i = (size_t)at;
  if (ch(s, i) != '"') malformed(s);
  long key_end = skip_string(s, i);
  if (key_end < 0) malformed(s);
  c->key_start = i + 1;
  c->key_end = (size_t)key_end - 1;
  i = skip_ws(s, (size_t)key_end);
  if (ch(s, i) != ':') malformed(s);
  size_t vs = skip_ws(s, i + 1);
  if (vs >= s->end) malformed(s);
  c->value_start = (long)vs;
  c->value_end = -1;
  return 1;
}

static long array_next(Scan *s, Cursor *c) {
  long at = cursor_step(s, c, ']');
  if (at < 0) return -1;
  if ((size_t)at >= s->end) malformed(s);
  c->value_start = at;
  c->value_end = -1;
  return at;
}

static int key_is(const Scan *s, const Cursor *c, const char *lit, size_t len) {
  return c->key_end - c->key_start == len && memcmp(s->b + c->key_start, lit, len) == 0;
}
#define KEY(lit) key_is(s, c, lit, sizeof(lit) - 1)

static int starts_with(const Scan *s, size_t i, const char *lit, size_t len) {
  return i + len <= s->end && memcmp(s->b + i, lit, len) == 0;
}

/* readString / readSticky: a string is consumed and reported; anything else is reported empty and left to be skipped. */
static void read_string(Scan *s, Cursor *c, int field) {
  size_t i = (size_t)c->value_start;
  if (ch(s, i) != '"') {
    emit(s, field, i, i);
    return;
  }
  size_t stop = must_skip(s, i);
  c->value_end = (long)stop;
  int escaped = memchr(s->b + i + 1, '\\', stop - i - 2) != NULL;
  emit(s, escaped ? field | ESCAPED : field, i, stop);
}

/* readBoolean: `true`/`false` are consumed by their letters alone, like the JS cursor. */
static void read_boolean(Scan *s, Cursor *c, int field) {
  size_t i = (size_t)c->value_start;
  if (starts_with(s, i, "true", 4)) {
    c->value_end = (long)(i + 4);
    emit(s, field, i, i + 4);
  } else if (starts_with(s, i, "false", 5)) {
    c->value_end = (long)(i + 5);
    emit(s, field, i, i + 5);
  } else {
    emit(s, field, i, i);
  }
}

/* readNumber: a value starting like a number is consumed and reported; JS decides whether it is finite. */
static void read_number(Scan *s, Cursor *c, int field) {
  size_t i = (size_t)c->value_start;
  int d = ch(s, i);
  if (!((d >= '0' && d <= '9') || d == '-')) {
    emit(s, field, i, i);
    return;
  }
  size_t stop = must_skip(s, i);
  c->value_end = (long)stop;
  emit(s, field, i, stop);
}

/* readRawObject: an object's exact span, else reported empty. */
static void read_raw_object(Scan *s, Cursor *c, int field) {
  size_t i = (size_t)c->value_start;
  if (ch(s, i) != '{') {
    emit(s, field, i, i);
    return;
  }
  size_t stop = must_skip(s, i);
  c->value_end = (long)stop;
  emit(s, field, i, stop);
}

static void read_compact(Scan *s, Cursor *parent) {
  size_t i = (size_t)parent->value_start;
  if (ch(s, i) != '{') {
    emit(s, F_COMPACT, i, 0);
    return;
  }
  emit(s, F_COMPACT, i, 1);
  Cursor o, *c = &o;
  cursor_open(s, c, i, '{');
  while (object_next(s, c)) {
    if (KEY("trigger")) read_string(s, c, F_C_TRIGGER);
    else if (KEY("preTokens")) read_number(s, c, F_C_PRE_TOKENS);
    else if (KEY("postTokens")) read_number(s, c, F_C_POST_TOKENS);
  }
  parent->value_end = (long)c->pos;
}

static void read_tool_input(Scan *s, Cursor *block) {
  Cursor o, *c = &o;
  cursor_open(s, c, (size_t)block->value_start, '{');
  while (object_next(s, c)) {
    if (KEY("file_path")) read_string(s, c, F_I_FILE_PATH);
    else if (KEY("notebook_path")) read_string(s, c, F_I_NOTEBOOK_PATH);
    else if (KEY("path")) read_string(s, c, F_I_PATH);
    else if (KEY("command")) read_string(s, c, F_I_COMMAND);
  }
  block->value_end = (long)c->pos;
}

static void read_block(Scan *s, Cursor *arr) {
  Cursor o, *c = &o;
  cursor_open(s, c, (size_t)arr->value_start, '{');
  emit(s, F_BLOCK, 0, 0);
  while (object_next(s, c)) {
    if (KEY("type")) read_string(s, c, F_B_TYPE);
    else if (KEY("id")) read_string(s, c, F_B_ID);
    else if (KEY("tool_use_id")) read_string(s, c, F_B_TOOL_USE_ID);
    else if (KEY("name")) read_string(s, c, F_B_NAME);
    else if (KEY("is_error")) read_boolean(s, c, F_B_IS_ERROR);
    else if (KEY("text")) read_string(s, c, F_B_TEXT);
    else if (KEY("input") && ch(s, (size_t)c->value_start) == '{') read_tool_input(s, c);
  }
  emit(s, F_BLOCK_END, 0, 0);
  arr->value_end = (long)c->pos;
}

static void read_blocks(Scan *s, Cursor *message) {
  Cursor a, *c = &a;
  cursor_open(s, c, (size_t)message->value_start, '[');
  emit(s, F_CONTENT_ARRAY, 0, 0);
  while (array_next(s, c) >= 0) {
    if (ch(s, (size_t)c->value_start) == '{') read_block(s, c);
  }
  message->value_end = (long)c->pos;
}

static void read_message(Scan *s, Cursor *parent) {
  size_t i = (size_t)parent->value_start;
  if (ch(s, i) != '{') return; /* not an object: the JS reader leaves `message` as it was */
  emit(s, F_MESSAGE, i, 0);
  Cursor o, *c = &o;
  cursor_open(s, c, i, '{');
  while (object_next(s, c)) {
    if (KEY("role")) read_string(s, c, F_M_ROLE);
    else if (KEY("id")) read_string(s, c, F_M_ID);
    else if (KEY("model")) read_string(s, c, F_M_MODEL);
    else if (KEY("stop_reason")) read_string(s, c, F_M_STOP_REASON);
    else if (KEY("usage")) read_raw_object(s, c, F_M_USAGE);
    else if (KEY("content")) {
      int d = ch(s, (size_t)c->value_start);
      if (d == '"') read_string(s, c, F_M_CONTENT_STRING);
      else if (d == '[') read_blocks(s, c);
    }
  }
  parent->value_end = (long)c->pos;
}

/* True when the `type` just read ends the line (a type whose rest is never read). */
static int type_ends_line(Scan *s, size_t start, size_t stop) {
  if (ch(s, start) != '"') return 0;
  size_t len = stop - start - 2;
  if (memchr(s->b + start + 1, '\\', len) != NULL) fallback(s); /* needs unescaping to compare: let JS decide */
  for (size_t t = 0; t < s->skip->count; t++) {
    if (s->skip->lens[t] == len && memcmp(s->b + start + 1, s->skip->names[t], len) == 0) return 1;
  }
  return 0;
}

/* Reads one top-level member; 1 when the line ends here. */
static int read_top_field(Scan *s, Cursor *c) {
  size_t len = c->key_end - c->key_start;
  if (len == 0) return 0;
  switch (s->b[c->key_start]) {
    case 'a':
      if (KEY("attachment")) {
        emit(s, F_ATTACHMENT, 0, 0);
        return 1;
      }
      if (KEY("agentId")) read_string(s, c, F_AGENT_ID);
      else if (KEY("apiErrorStatus")) read_number(s, c, F_API_ERROR_STATUS);
      else if (KEY("aiTitle")) read_string(s, c, F_AI_TITLE);
      return 0;
    case 'c':
      if (KEY("cwd")) read_string(s, c, F_CWD);
      else if (KEY("customTitle")) read_string(s, c, F_CUSTOM_TITLE);
      else if (KEY("compactMetadata")) read_compact(s, c);
      return 0;
    case 'e':
      if (KEY("entrypoint")) read_string(s, c, F_ENTRYPOINT);
      else if (KEY("error")) read_string(s, c, F_ERROR);
      return 0;
    case 'g':
      if (KEY("gitBranch")) read_string(s, c, F_GIT_BRANCH);
      return 0;
    case 'i':
      if (KEY("isSidechain")) read_boolean(s, c, F_IS_SIDECHAIN);
      else if (KEY("isMeta")) read_boolean(s, c, F_IS_META);
      else if (KEY("isCompactSummary")) read_boolean(s, c, F_IS_COMPACT_SUMMARY);
      else if (KEY("isVisibleInTranscriptOnly")) read_boolean(s, c, F_IS_VISIBLE_ONLY);
      else if (KEY("isApiErrorMessage")) read_boolean(s, c, F_IS_API_ERROR);
      return 0;
    case 'l':
      if (KEY("leafUuid")) read_string(s, c, F_LEAF_UUID);
      return 0;
    case 'm':
      if (KEY("message")) read_message(s, c);
      return 0;
    case 'p':
      if (KEY("parentUuid")) {
        emit(s, F_PARENT_UUID, starts_with(s, (size_t)c->value_start, "null", 4) ? 1 : 0, 0);
      } else if (KEY("promptId")) read_string(s, c, F_PROMPT_ID);
      else if (KEY("permissionMode")) read_string(s, c, F_PERMISSION_MODE);
      return 0;
    case 'r':
      if (KEY("requestId")) read_string(s, c, F_REQUEST_ID);
      return 0;
    case 's':
      if (KEY("subtype")) read_string(s, c, F_SUBTYPE);
      else if (KEY("sessionId")) read_string(s, c, F_SESSION_ID);
      else if (KEY("summary")) read_string(s, c, F_SUMMARY);
      return 0;
    case 't':
      if (KEY("type")) {
        read_string(s, c, F_TYPE);
        return c->value_end >= 0 && type_ends_line(s, (size_t)c->value_start, (size_t)c->value_end);
      }
      if (KEY("timestamp")) read_string(s, c, F_TIMESTAMP);
      return 0;
    case 'u':
      if (KEY("uuid")) read_string(s, c, F_UUID);
      return 0;
    case 'v':
      if (KEY("version")) read_string(s, c, F_VERSION);
      return 0;
    default:
      return 0;
  }
}

/* Scans bytes [start, end) as one line; returns the int32s written, or a RESULT_ code. */
static long scan_line(Scan *s, size_t start) {
  size_t i = skip_ws(s, start);
  if (ch(s, i) != '{') return RESULT_MALFORMED;
  Cursor top, *c = &top;
  cursor_open(s, c, i, '{');
  while (object_next(s, c)) {
    if (read_top_field(s, c)) return (long)s->n;
  }
  if (skip_ws(s, c->pos) != s->end) return RESULT_MALFORMED;
  return (long)s->n;
}

static napi_value throw_type(napi_env env, const char *msg) {
  napi_throw_type_error(env, NULL, msg);
  return NULL;
}

/* scanLine(buffer: Uint8Array, start: number, end: number, out: Int32Array): number */
static napi_value ScanLine(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 4) return throw_type(env, "scanLine(buffer, start, end, out)");
  napi_typedarray_type type;
  size_t length;
  void *data;
  napi_value ab;
  size_t offset;
  if (napi_get_typedarray_info(env, argv[0], &type, &length, &data, &ab, &offset) != napi_ok || type != napi_uint8_array) return throw_type(env, "buffer must be a Uint8Array");
  int64_t start, end;
  if (napi_get_value_int64(env, argv[1], &start) != napi_ok || napi_get_value_int64(env, argv[2], &end) != napi_ok) return throw_type(env, "start and end must be numbers");
  if (start < 0 || end < start || (uint64_t)end > length || end > INT32_MAX) return throw_type(env, "start/end out of range");
  napi_typedarray_type out_type;
  size_t out_len;
  void *out_data;
  if (napi_get_typedarray_info(env, argv[3], &out_type, &out_len, &out_data, &ab, &offset) != napi_ok || out_type != napi_int32_array) return throw_type(env, "out must be an Int32Array");

  SkipTypes *skip = NULL;
  if (napi_get_instance_data(env, (void **)&skip) != napi_ok || skip == NULL) return throw_type(env, "configure() must be called first");

  Scan s;
  s.skip = skip;
  s.b = (const uint8_t *)data;
  s.end = (size_t)end;
  s.out = (int32_t *)out_data;
  s.cap = out_len;
  s.n = 0;
  long result;
  /* setjmp only as a whole controlling expression: C11 7.13.1.1 leaves it undefined as an initializer. */
  switch (setjmp(s.fail)) {
    case 0: result = scan_line(&s, (size_t)start); break;
    case 1: result = RESULT_MALFORMED; break;
    default: result = RESULT_FALLBACK; break;
  }
  napi_value ret;
  napi_create_int64(env, result, &ret);
  return ret;
}

static void free_skip_types(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  free(data);
}

/* configure(skipTypes: string[]): the line types whose rest is not read. */
static napi_value Configure(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1) return throw_type(env, "configure(skipTypes)");
  uint32_t count;
  if (napi_get_array_length(env, argv[0], &count) != napi_ok) return throw_type(env, "skipTypes must be an array");
  if (count > MAX_SKIP_TYPES) return throw_type(env, "too many skip types");
  SkipTypes next;
  next.count = 0;
  for (uint32_t k = 0; k < count; k++) {
    napi_value item;
    size_t len;
    if (napi_get_element(env, argv[0], k, &item) != napi_ok) return throw_type(env, "skipTypes must be strings");
    if (napi_get_value_string_utf8(env, item, next.names[k], MAX_TYPE_LEN, &len) != napi_ok) return throw_type(env, "skipTypes must be strings");
    if (len >= MAX_TYPE_LEN - 1) return throw_type(env, "skip type too long");
    next.lens[k] = len;
    next.count = k + 1;
  }
  SkipTypes *current = NULL;
  napi_get_instance_data(env, (void **)&current);
  if (current == NULL) {
    current = malloc(sizeof(SkipTypes));
    if (current == NULL) return throw_type(env, "out of memory");
    if (napi_set_instance_data(env, current, free_skip_types, NULL) != napi_ok) {
      free(current);
      return throw_type(env, "cannot keep the configuration");
    }
  }
  *current = next;
  return NULL;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "scanLine", NAPI_AUTO_LENGTH, ScanLine, NULL, &fn);
  napi_set_named_property(env, exports, "scanLine", fn);
  napi_create_function(env, "configure", NAPI_AUTO_LENGTH, Configure, NULL, &fn);
  napi_set_named_property(env, exports, "configure", fn);
  return exports;
}
