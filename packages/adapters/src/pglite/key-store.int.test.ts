import { readdirSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeKeyStoreContract } from "../contract/key-store.contract.js";
import { createPgliteStore, type SqlEventStore } from "./index.js";

// One PGlite (seconds to start) for the contract and the raw-bytes check:
// the event store is opened on our own PGlite so the test can read the catalog.
let dir: string;
let db: PGlite;
let store: SqlEventStore;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "vafa-pglite-keys-"));
  db = await PGlite.create(dir);
  store = await createPgliteStore({ db });
}, 120_000);
afterAll(async () => {
  await store?.close();
  await db?.close();
  await rm(dir, { recursive: true, force: true });
});

describeKeyStoreContract(
  "PGlite (the event store's own table)",
  async () => ({
    open: async (options) => store.keyStore(options),
    cleanup: async () => {},
  }),
  { modelRuns: 10 },
);

/** Every file under `folder` whose bytes contain `needle`. */
const filesHolding = (folder: string, needle: Buffer): string[] => {
  const found: string[] = [];
  const walk = (path: string) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const child = join(path, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile() && readFileSync(child).includes(needle)) found.push(child);
    }
  };
  walk(folder);
  return found;
};

describe("PGlite key table on disk (club-v1 §6)", () => {
  const relationFile = async (): Promise<string> => {
    const { rows } = await db.query<{ path: string }>(
      "SELECT pg_relation_filepath('vafa_member_keys') AS path",
    );
    return join(dir, rows[0]?.path as string);
  };

  it("the key table is created with the schema, in the same database", async () => {
    const { rows } = await db.query<{ found: boolean }>(
      "SELECT to_regclass('public.vafa_member_keys') IS NOT NULL AS found",
    );
    expect(rows[0]?.found).toBe(true);
  });

  it("after destroy the 32 key bytes are in no relation file of the database (only WAL may hold them)", async () => {
    const keys = store.keyStore();
    const key = Buffer.from(await keys.create("reza"));
    const kept = Buffer.from(await keys.create("ali"));
    await db.exec("CHECKPOINT");
    const before = await relationFile();
    expect(readFileSync(before).includes(key)).toBe(true);

    await keys.destroy("reza");

    const after = await relationFile();
    expect(after).not.toBe(before); // VACUUM FULL wrote a new file
    expect(readFileSync(after).includes(key)).toBe(false);
    expect(readFileSync(after).includes(kept)).toBe(true);
    // The old file is gone or empty, and no file of the database (base/) holds the key.
    expect(statSync(before, { throwIfNoEntry: false })?.size ?? 0).toBe(0);
    expect(filesHolding(join(dir, "base"), key)).toEqual([]);
    // What does still hold it until recycled is the WAL (docs/privacy.md).
    const elsewhere = filesHolding(dir, key).map((file) => file.slice(dir.length + 1));
    expect(elsewhere.every((file) => file.startsWith("pg_wal/"))).toBe(true);
    const { rows } = await db.query<{ key: Uint8Array | null; destroyed: boolean }>(
      "SELECT key, destroyed_at IS NOT NULL AS destroyed FROM vafa_member_keys WHERE member_id = 'reza'",
    );
    expect(rows).toEqual([{ key: null, destroyed: true }]);
  });
});
