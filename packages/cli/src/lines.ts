import type { Readable } from "node:stream";

/** One physical line of an NDJSON input (spec 8 line rules). */
export interface InputLine {
  /** 1-based physical line number (blank lines count). */
  line: number;
  /** The line's text: leading BOM (first line only) and trailing `\r` removed. */
  text: string;
  /** Bytes of the input consumed up to the end of this line (for progress). */
  bytesRead: number;
}

const NEWLINE = 0x0a;
const BLANK = /^[ \t]*$/;

/** Whether a line is blank (only spaces and tabs) and must be skipped. */
export const isBlankLine = (text: string): boolean => BLANK.test(text);

const decodeLine = (parts: Buffer[], isFirst: boolean): string => {
  const bytes = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
  let text = bytes.toString("utf8");
  if (isFirst && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.endsWith("\r")) text = text.slice(0, -1);
  return text;
};

/**
 * Splits a byte stream on `\n` and yields every non-blank line with its
 * physical line number. Memory is bounded by the longest line: only the bytes
 * of the line being assembled are kept.
 */
export async function* readLines(
  input: Readable | AsyncIterable<Buffer | string>,
): AsyncGenerator<InputLine> {
  let pending: Buffer[] = [];
  let lineNumber = 0;
  let bytesRead = 0;
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    let start = 0;
    for (let end = buffer.indexOf(NEWLINE, start); end !== -1; end = buffer.indexOf(NEWLINE, start)) {
      pending.push(buffer.subarray(start, end));
      bytesRead += end + 1 - start;
      lineNumber += 1;
      const text = decodeLine(pending, lineNumber === 1);
      pending = [];
      start = end + 1;
      if (!isBlankLine(text)) yield { line: lineNumber, text, bytesRead };
    }
    if (start < buffer.length) {
      pending.push(buffer.subarray(start));
      bytesRead += buffer.length - start;
    }
  }
  // The last line has no `\n` after it; an empty tail (file ends with `\n`) is blank.
  if (pending.length > 0) {
    lineNumber += 1;
    const text = decodeLine(pending, lineNumber === 1);
    if (!isBlankLine(text)) yield { line: lineNumber, text, bytesRead };
  }
}
