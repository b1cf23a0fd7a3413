import { PassThrough, Readable } from "node:stream";
import type { CliIo } from "../io.js";

/** An in-memory `CliIo` for tests: captured output, given input, a Ctrl-C button. */
export const memoryIo = (stdinText: string | Readable = "", options: { tty?: boolean } = {}) => {
  const stdout = Object.assign(new PassThrough(), { isTTY: options.tty ?? false });
  const stderr = Object.assign(new PassThrough(), { isTTY: options.tty ?? false });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on("data", (chunk: Buffer) => out.push(chunk));
  stderr.on("data", (chunk: Buffer) => err.push(chunk));
  const handlers = new Set<() => void>();
  const io: CliIo = {
    stdin: typeof stdinText === "string" ? Readable.from([Buffer.from(stdinText)]) : stdinText,
    stdout,
    stderr,
    onInterrupt(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
  };
  return {
    io,
    stdout: () => Buffer.concat(out).toString("utf8"),
    stderr: () => Buffer.concat(err).toString("utf8"),
    /** Simulates Ctrl-C. */
    interrupt: () => {
      for (const handler of handlers) handler();
    },
  };
};
