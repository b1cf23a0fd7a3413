import { createHash, randomUUID } from "node:crypto";
import { link, mkdir, open, readFile, rename, unlink } from "node:fs/promises";
import { join, resolve } from "node:path";
import { type KeyGenerator, type KeyStore, VafaError } from "@vafa/core";
import { DATA_KEY_BYTES, generateKey, keyDestroyed, randomDataKey } from "../shared/data-keys.js";

// `@vafa/adapters/file-keys`: the file key store of club-v1 §6 for an
// EventStoreDB deployment (or any store whose keys should live apart from the
// events). Needs no database driver.

export interface FileKeyStoreOptions {
  /** How a new key is made (default: 32 random bytes; the test vectors pass `testDataKey`). */
  generate?: KeyGenerator;
}

/** One member's file: its key, or the tombstone left by `destroy`. */
type KeyFile =
  | { memberId: string; key: string; createdAt: string }
  | { memberId: string; destroyedAt: string };

const failed = (dir: string, error: unknown): VafaError =>
  error instanceof VafaError
    ? error
    : new VafaError(
        "STORE_UNAVAILABLE",
        `the file key store ${dir} failed: ${error instanceof Error ? error.message : String(error)}`,
        "check that the folder exists, is writable by this user, and is on a local file system",
        { cause: error },
      );

const codeOf = (error: unknown): unknown =>
  typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;

/** Writes `text` to a new file readable by its owner only, flushed to disk. */
const writeNew = async (path: string, text: string): Promise<void> => {
  const handle = await open(path, "wx", 0o600);
  try {
    await handle.writeFile(text, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
};

/** Flushes a directory's entries (a link or rename is durable only then). */
const syncDir = async (dir: string): Promise<void> => {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
};

/**
 * A key store in a folder, one file per member (`<sha256 of the member id>.json`,
 * mode 0600, folder 0700), safe for several processes at once:
 * - `create` writes a temporary file and hard-links it to the member's name,
 *   which fails when the name exists: two racing writers end with one key, and
 *   no reader ever sees a half-written file;
 * - `destroy` renames a tombstone (`{memberId, destroyedAt}`) over the member's
 *   file, so the key bytes are in no file afterwards (the file system may keep
 *   the freed blocks until reused: see docs/privacy.md).
 * Back this folder up apart from the events (docs/privacy.md).
 */
export const createFileKeyStore = async (
  path: string,
  options: FileKeyStoreOptions = {},
): Promise<KeyStore> => {
  const dir = resolve(path);
  const generate = options.generate ?? randomDataKey;
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw failed(dir, error);
  }
  const fileOf = (memberId: string) =>
    join(dir, `${createHash("sha256").update(memberId, "utf8").digest("hex")}.json`);
  const tempName = () => join(dir, `.tmp-${process.pid}-${randomUUID()}`);

  const read = async (memberId: string): Promise<KeyFile | undefined> => {
    let text: string;
    try {
      text = await readFile(fileOf(memberId), "utf8");
    } catch (error) {
      if (codeOf(error) === "ENOENT") return undefined;
      throw error;
    }
    let parsed: Partial<{ memberId: unknown; key: unknown; createdAt: unknown; destroyedAt: unknown }>;
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      parsed = {};
    }
    if (parsed.memberId === memberId && typeof parsed.destroyedAt === "string")
      return { memberId, destroyedAt: parsed.destroyedAt };
    if (
      parsed.memberId === memberId &&
      typeof parsed.key === "string" &&
      Buffer.from(parsed.key, "base64").length === DATA_KEY_BYTES
    )
      return { memberId, key: parsed.key, createdAt: String(parsed.createdAt) };
    throw new VafaError(
      "STORE_CORRUPT",
      `the key file ${fileOf(memberId)} of member ${memberId} is not a key store file`,
      "restore the key folder from its backup",
    );
  };
  const keyOf = (file: KeyFile | undefined): Uint8Array | undefined =>
    file && "key" in file ? new Uint8Array(Buffer.from(file.key, "base64")) : undefined;
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw failed(dir, error);
    }
  };

  return {
    create: (memberId) =>
      guard(async () => {
        let file = await read(memberId);
        if (file === undefined) {
          const key = generateKey(generate, memberId);
          const temp = tempName();
          const record: KeyFile = {
            memberId,
            key: Buffer.from(key).toString("base64"),
            createdAt: new Date().toISOString(),
          };
          await writeNew(temp, `${JSON.stringify(record)}\n`);
          try {
            await link(temp, fileOf(memberId));
            await syncDir(dir);
          } catch (error) {
            if (codeOf(error) !== "EEXIST") throw error;
          } finally {
            await unlink(temp);
          }
          file = await read(memberId);
        }
        const key = keyOf(file);
        if (key === undefined) throw keyDestroyed(memberId);
        return key;
      }),
    get: (memberId) => guard(async () => keyOf(await read(memberId))),
    destroy: (memberId) =>
      guard(async () => {
        const file = await read(memberId).catch(() => undefined);
        if (file !== undefined && !("key" in file)) return; // destroyed before: keep the first time
        const temp = tempName();
        const tombstone: KeyFile = { memberId, destroyedAt: new Date().toISOString() };
        await writeNew(temp, `${JSON.stringify(tombstone)}\n`);
        await rename(temp, fileOf(memberId));
        await syncDir(dir);
      }),
  };
};
