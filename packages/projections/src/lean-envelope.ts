import type { EventType } from "@vafa/core";
import type { ProjectionEvent } from "./projection.js";

// Reads the few fields a query needs from an NDJSON line's bytes, without
// JSON.parse of the whole envelope (metadata and hashes are most of a line).
// It is exact or it declines: it answers only for a line that is certainly
// valid JSON of the expected form (no white space, no escapes, no control
// characters, no repeated key it reads, no key an envelope does not have),
// and gives what JSON.parse would. Every other line is the caller's to parse.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN = 0x7b;
const CLOSE = 0x7d;
const OPEN_LIST = 0x5b;
const CLOSE_LIST = 0x5d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const MAX_DEPTH = 32;

const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, "latin1"));
const HEAD = bytes('{"streamId":"');
const REVISION = bytes(',"revision":');
const EVENT_ID = bytes(',"eventId":"');
const TYPE = bytes(',"type":"');
const KEY_OCCURRED = bytes("occurredAt");
const KEY_RECORDED = bytes("recordedAt");
const KEY_DATA = bytes("data");
const KEY_METADATA = bytes("metadata");
const LITERALS = [bytes("true"), bytes("false"), bytes("null")];

const isDigit = (c: number): boolean => c >= ZERO && c <= NINE;

/** Whether `buf[at..]` starts with `word`. */
const startsWith = (buf: Uint8Array, at: number, end: number, word: Uint8Array): boolean => {
  if (end - at < word.length) return false;
  for (let k = 0; k < word.length; k++) if (buf[at + k] !== word[k]) return false;
  return true;
};

/** Whether the bytes `[start, end)` are exactly `word`. */
const equals = (buf: Uint8Array, start: number, end: number, word: Uint8Array): boolean =>
  end - start === word.length && startsWith(buf, start, end, word);

/** The index after a string starting at `i` (a quote), or -1 (an escape or control character: declined). */
const skipString = (buf: Uint8Array, i: number, end: number): number => {
  if (buf[i] !== QUOTE) return -1;
  for (let k = i + 1; k < end; k++) {
    const c = buf[k] as number;
    if (c === QUOTE) return k + 1;
    if (c < 0x20 || c === BACKSLASH) return -1;
  }
  return -1;
};

/** The index after a JSON number at `i`, or -1. */
const skipNumber = (buf: Uint8Array, i: number, end: number): number => {
  let k = i;
  if (buf[k] === MINUS) k++;
  if (k >= end) return -1;
  if (buf[k] === ZERO) k++;
  else if (isDigit(buf[k] as number)) while (k < end && isDigit(buf[k] as number)) k++;
  else return -1;
  if (k < end && buf[k] === DOT) {
    const s = ++k;
    while (k < end && isDigit(buf[k] as number)) k++;
    if (k === s) return -1;
  }
  if (k < end && (buf[k] === 0x65 || buf[k] === 0x45)) {
    k++;
    if (k < end && (buf[k] === PLUS || buf[k] === MINUS)) k++;
    const s = k;
    while (k < end && isDigit(buf[k] as number)) k++;
    if (k === s) return -1;
  }
  return k;
};

/** The index after any JSON value at `i` (without white space), or -1. */
const skipValue = (buf: Uint8Array, i: number, end: number, depth: number): number => {
  if (i >= end) return -1;
  const c = buf[i] as number;
  if (c === QUOTE) return skipString(buf, i, end);
  if (c === OPEN || c === OPEN_LIST) {
    if (depth >= MAX_DEPTH) return -1;
    const close = c === OPEN ? CLOSE : CLOSE_LIST;
    let k = i + 1;
    if (buf[k] === close) return k + 1;
    for (;;) {
      if (c === OPEN) {
        k = skipString(buf, k, end);
        if (k < 0 || buf[k] !== COLON) return -1;
        k++;
      }
      k = skipValue(buf, k, end, depth + 1);
      if (k < 0 || k >= end) return -1;
      if (buf[k] === close) return k + 1;
      if (buf[k] !== COMMA) return -1;
      k++;
    }
  }
  if (c === MINUS || isDigit(c)) return skipNumber(buf, i, end);
  for (const word of LITERALS) if (startsWith(buf, i, end, word)) return i + word.length;
  return -1;
};

/** What `LeanReader.read` found: an event to read lean, another type (wanted or not), or nothing certain. */
export type LeanRead =
  | { kind: "event"; event: ProjectionEvent }
  | { kind: "wanted" }
  | { kind: "unwanted" }
  | { kind: "declined" };

/**
 * Reads envelopes of the given types (`types`) from their bytes: the
 * envelope's `streamId`, `type`, `occurredAt`, and of its `data` only the
 * keys in `dataKeys`, which must hold strings. `eventId`, `revision` and
 * `metadata` are checked, not kept. A line of another type
 * is wanted or not by `wanted` (its type read as `rebuildFromNdjson`'s type
 * filter reads it); a line that is not exactly the expected form is declined.
 */
export class LeanReader {
  private readonly names: { bytes: Uint8Array; type: string }[];
  private readonly keys: { bytes: Uint8Array; key: string }[];
  private readonly leanTypes: Set<string>;
  // The previous line's stream id: an export lists a stream's events together.
  private lastId: Uint8Array = new Uint8Array(0);
  private lastIdText = "";
  private readonly found: (string | undefined)[];

  constructor(types: readonly string[], dataKeys: readonly string[], wanted: readonly string[]) {
    this.leanTypes = new Set(types);
    this.names = [...new Set([...types, ...wanted])].map((type) => ({ bytes: bytes(type), type }));
    this.keys = dataKeys.map((key) => ({ bytes: bytes(key), key }));
    this.found = dataKeys.map(() => undefined);
  }

  read(chunk: Buffer, start: number, end: number): LeanRead {
    const buf = chunk as Uint8Array;
    if (!startsWith(buf, start, end, HEAD)) return DECLINED;
    const idStart = start + HEAD.length - 1;
    let k = skipString(buf, idStart, end);
    if (k < 0 || !startsWith(buf, k, end, REVISION)) return DECLINED;
    const idEnd = k;
    k = skipNumber(buf, k + REVISION.length, end);
    if (k < 0 || !startsWith(buf, k, end, EVENT_ID)) return DECLINED;
    k = skipString(buf, k + EVENT_ID.length - 1, end);
    if (k < 0 || !startsWith(buf, k, end, TYPE)) return DECLINED;
    const typeStart = k + TYPE.length;
    k = skipString(buf, typeStart - 1, end);
    if (k < 0) return DECLINED;
    const type = this.typeName(chunk, typeStart, k - 1);
    if (type === undefined) return UNWANTED;
    if (!this.leanTypes.has(type)) return WANTED;
    return this.rest(chunk, k, end, idStart, idEnd, type);
  }

  /** The wanted type these bytes name, if any (compared as bytes, as the type filter compares them). */
  private typeName(chunk: Buffer, start: number, end: number): string | undefined {
    for (const n of this.names) if (equals(chunk, start, end, n.bytes)) return n.type;
    return undefined;
  }

  private streamId(chunk: Buffer, start: number, end: number): string {
    const last = this.lastId;
    if (equals(chunk, start, end, last)) return this.lastIdText;
    this.lastId = new Uint8Array(chunk.subarray(start, end));
    this.lastIdText = chunk.toString("utf8", start + 1, end - 1);
    return this.lastIdText;
  }

  /** The envelope's members after `type`: `occurredAt`, `data`, `metadata` once each, `recordedAt` at most once. */
  private rest(
    chunk: Buffer,
    from: number,
    end: number,
    idStart: number,
    idEnd: number,
    type: string,
  ): LeanRead {
    const buf = chunk as Uint8Array;
    let occurredAt: string | undefined;
    let data = false;
    let metadata = false;
    let recorded = false;
    let k = from;
    for (;;) {
      if (k >= end) return DECLINED;
      if (buf[k] === CLOSE) break;
      if (buf[k] !== COMMA) return DECLINED;
      const keyStart = k + 1;
      k = skipString(buf, keyStart, end);
      if (k < 0 || buf[k] !== COLON) return DECLINED;
      const keyEnd = k;
      k++;
      if (equals(buf, keyStart + 1, keyEnd - 1, KEY_OCCURRED)) {
        if (occurredAt !== undefined || buf[k] !== QUOTE) return DECLINED;
        const s = k;
        k = skipString(buf, k, end);
        if (k < 0) return DECLINED;
        occurredAt = chunk.toString("utf8", s + 1, k - 1);
      } else if (equals(buf, keyStart + 1, keyEnd - 1, KEY_DATA)) {
        if (data) return DECLINED;
        data = true;
        k = this.data(buf, k, end);
        if (k < 0) return DECLINED;
      } else if (equals(buf, keyStart + 1, keyEnd - 1, KEY_METADATA)) {
        if (metadata || buf[k] !== OPEN) return DECLINED;
        metadata = true;
        k = skipValue(buf, k, end, 0);
        if (k < 0) return DECLINED;
      } else if (equals(buf, keyStart + 1, keyEnd - 1, KEY_RECORDED)) {
        if (recorded) return DECLINED;
        recorded = true;
        k = skipValue(buf, k, end, 0);
        if (k < 0) return DECLINED;
      } else return DECLINED;
    }
    if (k + 1 !== end || occurredAt === undefined || !data || !metadata) return DECLINED;
    const values: Record<string, string> = {};
    const found = this.found;
    for (let i = 0; i < found.length; i++) {
      const v = found[i];
      if (v !== undefined) values[(this.keys[i] as { key: string }).key] = v;
    }
    const streamId = this.streamId(chunk, idStart, idEnd);
    return { kind: "event", event: { streamId, type: type as EventType, occurredAt, data: values } };
  }

  /** Checks the `data` object at `i`, keeping the wanted keys' strings in `found`; the index after it or -1. */
  private data(buf: Uint8Array, i: number, end: number): number {
    const found = this.found;
    found.fill(undefined);
    if (buf[i] !== OPEN) return -1;
    let k = i + 1;
    if (buf[k] === CLOSE) return k + 1;
    for (;;) {
      const keyStart = k;
      k = skipString(buf, k, end);
      if (k < 0 || buf[k] !== COLON) return -1;
      const keyEnd = k;
      k++;
      let wanted = -1;
      for (let w = 0; w < this.keys.length; w++)
        if (equals(buf, keyStart + 1, keyEnd - 1, (this.keys[w] as { bytes: Uint8Array }).bytes)) wanted = w;
      if (wanted >= 0) {
        // A repeated key (JSON.parse keeps the last) or a value other than a string: declined.
        if (found[wanted] !== undefined || buf[k] !== QUOTE) return -1;
        const s = k;
        k = skipString(buf, k, end);
        if (k < 0) return -1;
        found[wanted] = (buf as Buffer).toString("utf8", s + 1, k - 1);
      } else {
        k = skipValue(buf, k, end, 1);
        if (k < 0) return -1;
      }
      if (k >= end) return -1;
      if (buf[k] === CLOSE) return k + 1;
      if (buf[k] !== COMMA) return -1;
      k++;
    }
  }
}

const DECLINED: LeanRead = { kind: "declined" };
const WANTED: LeanRead = { kind: "wanted" };
const UNWANTED: LeanRead = { kind: "unwanted" };
