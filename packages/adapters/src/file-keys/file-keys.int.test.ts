import { readdirSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeKeyStoreContract } from "../contract/key-store.contract.js";
import { createFileKeyStore } from "./index.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "vafa-file-keys-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describeKeyStoreContract("file", async () => ({
  open: (options) => createFileKeyStore(join(dir, "contract"), options),
  cleanup: async () => {},
}));

describe("file key store specifics (club-v1 §6)", () => {
  const filesOf = (folder: string) => readdirSync(folder).map((name) => join(folder, name));

  it("keeps one file per member, readable by its owner only, in a 0700 folder; no temporary files stay", async () => {
    const folder = join(dir, "modes");
    const keys = await createFileKeyStore(folder);
    await keys.create("ali");
    await keys.create("sara");
    await keys.destroy("sara");
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    const files = filesOf(folder);
    expect(files).toHaveLength(2);
    for (const file of files) {
      expect(file).toMatch(/[0-9a-f]{64}\.json$/);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    }
  });

  it("after destroy the key's bytes (raw or base64) are in no file of the folder", async () => {
    const folder = join(dir, "raw");
    const keys = await createFileKeyStore(folder);
    const key = Buffer.from(await keys.create("reza"));
    const other = Buffer.from(await keys.create("nina"));
    const holding = (bytes: Buffer) =>
      filesOf(folder).filter((file) => {
        const content = readFileSync(file);
        return content.includes(bytes) || content.includes(bytes.toString("base64"));
      });
    expect(holding(key)).toHaveLength(1);
    await keys.destroy("reza");
    expect(holding(key)).toEqual([]);
    expect(holding(other)).toHaveLength(1);
    // A new store object on the folder (another process, say) still refuses.
    const again = await createFileKeyStore(folder);
    expect(await again.get("reza")).toBeUndefined();
    await expect(again.create("reza")).rejects.toMatchObject({ code: "KEY_DESTROYED" });
  });

  it("a file that is not a key file is STORE_CORRUPT, not a missing key", async () => {
    const folder = join(dir, "corrupt");
    const keys = await createFileKeyStore(folder);
    await keys.create("ali");
    const [file] = filesOf(folder);
    const { writeFileSync } = await import("node:fs");
    writeFileSync(file as string, "{not json");
    await expect(keys.get("ali")).rejects.toMatchObject({ code: "STORE_CORRUPT" });
    await expect(keys.create("ali")).rejects.toMatchObject({ code: "STORE_CORRUPT" });
  });
});
