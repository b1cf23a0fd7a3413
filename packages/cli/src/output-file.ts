import { type FileHandle, open } from "node:fs/promises";
import type { Writable } from "node:stream";
import { describeFileError, usageError } from "./errors.js";
import type { CliIo } from "./io.js";

/** Where a command writes: `--out <file>` or standard output. */
export interface Output {
  stream: Writable;
  /** Flushes and closes a file; leaves standard output open. */
  close(): Promise<void>;
}

export const openOutput = async (path: string | undefined, io: CliIo, flag = "--out"): Promise<Output> => {
  if (path === undefined || path === "-") return { stream: io.stdout, close: async () => {} };
  let handle: FileHandle;
  try {
    handle = await open(path, "w");
  } catch (error) {
    throw usageError(describeFileError(flag, path, error));
  }
  const stream = handle.createWriteStream();
  return {
    stream,
    close: () =>
      new Promise<void>((resolve, reject) => {
        stream.once("error", reject);
        stream.end(() => resolve());
      }),
  };
};
