// Which shard owns a line of an NDJSON export, read from its bytes: the parallel
// audit and the sharded rebuild split the work by a hash of the stream id.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const HEAD = Buffer.from('{"streamId":"');
const STREAM_KEY = Buffer.from('"streamId"');
const ESCAPE_U = Buffer.from("\\u");

/** FNV-1a over UTF-8 bytes. */
const hashBytes = (buf: Uint8Array, start: number, end: number): number => {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ (buf[i] as number), 0x01000193);
  return h >>> 0;
};

/** The hash of a stream id (of its UTF-8 bytes): `hash % shards` owns the stream. */
export const streamHash = (streamId: string): number => {
  const bytes = Buffer.from(streamId, "utf8");
  return hashBytes(bytes, 0, bytes.length);
};

/** A stream id read from a line's bytes. */
export interface RoutedLine {
  hash: number;
  /** Offsets of the id in the chunk. */
  idStart: number;
  idEnd: number;
}

/**
 * Reads the stream id of each line of a chunk without parsing, when that is
 * certainly what JSON.parse would find: the line starts `{"streamId":"`, the
 * id is ASCII without escapes, and no other `"streamId"` key or `\u` escape
 * could replace it. Otherwise `read` gives null and the caller parses the line.
 * Lines must be read in order within a chunk; call `newChunk` between chunks.
 */
export class StreamIdReader {
  /** Next `"streamId"` and `\u` at or after the current line (searched once per chunk, not per line). */
  private nextKey = -1;
  private nextEscape = -1;

  newChunk(): void {
    this.nextKey = -1;
    this.nextEscape = -1;
  }

  read(buf: Buffer, start: number, end: number): RoutedLine | null {
    if (end - start < HEAD.length || buf.compare(HEAD, 0, HEAD.length, start, start + HEAD.length) !== 0)
      return null;
    const idStart = start + HEAD.length;
    const idEnd = buf.indexOf(QUOTE, idStart);
    if (idEnd < 0 || idEnd >= end) return null;
    for (let i = idStart; i < idEnd; i++) {
      const b = buf[i] as number;
      if (b >= 0x80 || b === BACKSLASH) return null;
    }
    if (this.nextKey !== Number.POSITIVE_INFINITY && this.nextKey < idEnd) {
      const at = buf.indexOf(STREAM_KEY, idEnd);
      this.nextKey = at < 0 ? Number.POSITIVE_INFINITY : at;
    }
    if (this.nextKey < end) return null;
    if (this.nextEscape !== Number.POSITIVE_INFINITY && this.nextEscape < idEnd) {
      const at = buf.indexOf(ESCAPE_U, idEnd);
      this.nextEscape = at < 0 ? Number.POSITIVE_INFINITY : at;
    }
    if (this.nextEscape < end) return null;
    return { hash: hashBytes(buf, idStart, idEnd), idStart, idEnd };
  }
}

/** Whether the id at `idStart` in `buf` starts with `prefix` (ASCII). */
export const idStartsWith = (buf: Buffer, line: RoutedLine, prefix: Buffer): boolean =>
  line.idEnd - line.idStart >= prefix.length &&
  buf.compare(prefix, 0, prefix.length, line.idStart, line.idStart + prefix.length) === 0;
