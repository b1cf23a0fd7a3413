import { once } from "node:events";
import type { Readable, Writable } from "node:stream";

/** Where a command reads and writes; the real process by default, streams in tests. */
export interface CliIo {
  stdin: Readable;
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  /** Calls `handler` on SIGINT (Ctrl-C) until the returned function is called. */
  onInterrupt(handler: () => void): () => void;
}

export const processIo = (): CliIo => ({
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  onInterrupt(handler) {
    process.on("SIGINT", handler);
    return () => {
      process.off("SIGINT", handler);
    };
  },
});

/** Writes and waits for the stream to accept more (back-pressure), so output of any size uses bounded memory. */
export const writeOut = async (stream: Writable, text: string): Promise<void> => {
  if (!stream.write(text)) await once(stream, "drain");
};
