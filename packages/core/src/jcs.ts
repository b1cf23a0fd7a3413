import canonicalize from "canonicalize";

// RFC 8785 canonical JSON (spec 2 hashes it once per event). The `canonicalize`
// package handles every input (toJSON, boxed primitives, cycles); the events
// the ledger hashes are plain JSON data, which `plainJcs` writes directly, by
// the same rules: keys in `Object.keys(...).sort()` order (UTF-16 code units),
// strings and numbers as JSON.stringify writes them, undefined members left
// out. Anything else (a toJSON, a boxed primitive, a non-finite number, a lone
// surrogate, undefined in an array, a prototype other than Object's, nesting
// past MAX_DEPTH) stops the fast path and the package writes the whole value:
// both give the same text (property test in jcs.unit.test.ts).

const MAX_DEPTH = 64;

/** Thrown inside `plainJcs` when the fast path does not apply. */
const NOT_PLAIN: unique symbol = Symbol("vafa.jcs.notPlain");

// ES2024, in every Node this package supports (>= 20); the lib setting is older.
type WellFormed = { isWellFormed(): boolean };

/** A string JSON.stringify writes as is between quotes: no quote, backslash, control character or surrogate. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what it rules out
const VERBATIM = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

const str = (s: string): string => {
  // Most strings (ids, times, amounts) need no escape: one regex test instead of two scans.
  if (VERBATIM.test(s)) return `"${s}"`;
  if (!(s as unknown as WellFormed).isWellFormed()) throw NOT_PLAIN;
  return JSON.stringify(s);
};

/** Event data repeats a few dozen keys: each is written once (issue 11). */
const quotedKeys = new Map<string, string>();
const QUOTED_KEYS = 1000;

const quotedKey = (key: string): string => {
  let text = quotedKeys.get(key);
  if (text === undefined) {
    text = str(key);
    if (quotedKeys.size >= QUOTED_KEYS) quotedKeys.clear();
    quotedKeys.set(key, text);
  }
  return text;
};

/**
 * `keys.sort()` in place: insertion sort by UTF-16 code units, as the default
 * comparator orders distinct strings. Event data has a handful of keys, and
 * `Array.prototype.sort` allocates a work copy per object (measured: 5% of what
 * `executeMany` allocated).
 */
const sortKeys = (keys: string[]): string[] => {
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i] as string;
    let j = i - 1;
    for (; j >= 0 && (keys[j] as string) > key; j--) keys[j + 1] = keys[j] as string;
    keys[j + 1] = key;
  }
  return keys;
};

const plain = (value: unknown, depth: number): string => {
  switch (typeof value) {
    case "string":
      return str(value);
    case "number":
      if (!Number.isFinite(value)) throw NOT_PLAIN;
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "object": {
      if (value === null) return "null";
      if (depth >= MAX_DEPTH) throw NOT_PLAIN;
      if (Array.isArray(value)) {
        let out = "[";
        for (let i = 0; i < value.length; i++) {
          const element: unknown = value[i];
          if (element === undefined) throw NOT_PLAIN;
          out += i === 0 ? plain(element, depth + 1) : `,${plain(element, depth + 1)}`;
        }
        return `${out}]`;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) throw NOT_PLAIN;
      const keys = sortKeys(Object.keys(value));
      let out = "{";
      let first = true;
      for (const key of keys) {
        const member: unknown = (value as Record<string, unknown>)[key];
        if (member === undefined) continue;
        out += `${first ? "" : ","}${quotedKey(key)}:${plain(member, depth + 1)}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      throw NOT_PLAIN;
  }
};

/** RFC 8785 canonical JSON of `value`; throws a TypeError when it has no JSON form. */
export const jcs = (value: unknown): string => {
  try {
    return plain(value, 0);
  } catch (error) {
    if (error !== NOT_PLAIN) throw error;
  }
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError("value cannot be canonicalized");
  return text;
};

/** What spec 2 hashes of an event: its body. */
export interface EventBody {
  streamId: string;
  revision: number;
  eventId: string;
  type: string;
  occurredAt: string;
  data: unknown;
}

/**
 * `jcs` of an event body, its keys already in canonical order (data, eventId,
 * occurredAt, revision, streamId, type): the same text without sorting them.
 */
export const jcsEventBody = (b: EventBody): string => {
  try {
    return `{"data":${plain(b.data, 1)},"eventId":${plain(b.eventId, 1)},"occurredAt":${plain(b.occurredAt, 1)},"revision":${plain(b.revision, 1)},"streamId":${plain(b.streamId, 1)},"type":${plain(b.type, 1)}}`;
  } catch (error) {
    if (error !== NOT_PLAIN) throw error;
  }
  return jcs({
    streamId: b.streamId,
    revision: b.revision,
    eventId: b.eventId,
    type: b.type,
    occurredAt: b.occurredAt,
    data: b.data,
  });
};
