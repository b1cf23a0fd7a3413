import { createReadStream } from "node:fs";
import { type FileHandle, open, stat } from "node:fs/promises";
import type { Readable, Writable } from "node:stream";
import { parseTime, toIso } from "@vafa/core";
import { describeFileError, usageError } from "../errors.js";
import type { CliIo } from "../io.js";
import { type InputLine, readLines } from "../lines.js";

// The input side of `vafa import`: finding the first `at`, parsing lines, opening the files.
/** The date of `ProgramPublished` when no line has a valid `at` (spec 5.10). */
export const EPOCH = "1970-01-01T00:00:00.000Z";

/** The `at` of a line, normalised, when the line is a JSON object with a valid `at`. */
export const validAtOf = (text: string): string | undefined => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const at = (value as { at?: unknown }).at;
  if (typeof at !== "string") return undefined;
  const ms = parseTime(at);
  return ms === undefined ? undefined : toIso(ms);
};

/** Reads lines until the first one with a valid `at`; returns it and the lines read on the way. */
export const readAhead = async (
  lines: AsyncIterator<InputLine>,
): Promise<{ at: string; seen: InputLine[] }> => {
  const seen: InputLine[] = [];
  for (let next = await lines.next(); !next.done; next = await lines.next()) {
    seen.push(next.value);
    const at = validAtOf(next.value.text);
    if (at !== undefined) return { at, seen };
  }
  return { at: EPOCH, seen };
};

/** A first pass over a file that stops at the first line with a valid `at` (bounded memory). */
export const firstValidAt = async (path: string): Promise<string> => {
  const lines = readLines(createReadStream(path));
  try {
    return (await readAhead(lines)).at;
  } finally {
    await lines.return(undefined);
  }
};

export type Rejection = { line: number; code: string; message: string };

export const parseLine = (text: string): { command: unknown } | { rejection: Omit<Rejection, "line"> } => {
  let command: unknown;
  try {
    command = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { rejection: { code: "VALIDATION", message: `line: not valid JSON (${reason})` } };
  }
  if (typeof command !== "object" || command === null || Array.isArray(command))
    return {
      rejection: {
        code: "VALIDATION",
        message: "line: not a JSON object; write one command object per line",
      },
    };
  return { command };
};

export const openInput = async (
  path: string,
  io: CliIo,
): Promise<{ stream: () => Readable; sizeBytes?: number }> => {
  if (path === "-") return { stream: () => io.stdin };
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    const handle = await open(path, "r");
    await handle.close();
    return { stream: () => createReadStream(path), sizeBytes: info.size };
  } catch (error) {
    throw usageError(describeFileError("commands", path, error));
  }
};

export const openRejects = async (path: string): Promise<{ handle: FileHandle; stream: Writable }> => {
  try {
    const handle = await open(path, "w");
    return { handle, stream: handle.createWriteStream() };
  } catch (error) {
    throw usageError(describeFileError("--rejects", path, error));
  }
};

export const endStream = (stream: Writable): Promise<void> =>
  new Promise((resolve) => {
    stream.end(() => resolve());
  });
