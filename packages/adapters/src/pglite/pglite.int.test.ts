import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { StoredEvent } from "@vafa/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEventStoreContract } from "../contract/event-store.contract.js";
import { collect } from "../contract/fixtures.js";
import { createPgliteStore, lockFileOf, MIGRATIONS } from "./index.js";

// Every PGlite start costs seconds (WASM, initdb), so this file starts it twice:
// the contract runs on a fresh directory, then the same directory is reopened
// to check durability, migrations and the append-only trigger.
let dir: string;
let writtenByContract: StoredEvent[] = [];
let checkpointName = "";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "vafa-pglite-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describeEventStoreContract(
  "PGlite (temp dir)",
  async () => {
    // templateDir false: this contract run is on an initdb'd store (template.int.test.ts runs it on a loaded one)
    const store = await createPgliteStore({ dataDir: dir, pollIntervalMs: 50, templateDir: false });
    return {
      store,
      checkpoints: store.checkpoints,
      cleanup: async () => {
        writtenByContract = await collect(store.readAll());
        checkpointName = "after-contract";
        await store.checkpoints.save(checkpointName, writtenByContract.at(-1)?.position ?? 0n);
        await store.close();
      },
    };
  },
  { interleavingRuns: 25 },
);

describe("PGlite store specifics", () => {
  it("is durable, migrates idempotently by version, and refuses UPDATE, DELETE and TRUNCATE of events", async () => {
    expect(writtenByContract.length).toBeGreaterThan(10_000);
    const db = await PGlite.create(dir);
    try {
      // reopening runs the migrations again: nothing to do, nothing lost
      const store = await createPgliteStore({ db });
      const reread = await collect(store.readAll({ batchSize: 1000 }));
      expect(reread).toEqual(writtenByContract);
      expect(await store.checkpoints.load(checkpointName)).toBe(writtenByContract.at(-1)?.position);
      await store.close();
      expect(db.closed).toBe(false);

      const versions = await db.query<{ version: number }>(
        "SELECT version FROM vafa_migrations ORDER BY version",
      );
      expect(versions.rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
      await expect(db.query("UPDATE vafa_events SET type = 'X'")).rejects.toThrow(/append-only/);
      await expect(db.query("DELETE FROM vafa_events")).rejects.toThrow(/append-only/);
      await expect(db.query("TRUNCATE vafa_events")).rejects.toThrow(/append-only/);
      const count = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM vafa_events");
      expect(count.rows[0]?.n).toBe(writtenByContract.length);
    } finally {
      await db.close();
    }
  });
});

describe("PGlite store: one holder per folder, readers never create", () => {
  it("a second store on the same folder is STORE_LOCKED naming our pid; after close it opens", async () => {
    const store = await createPgliteStore({ dataDir: dir });
    try {
      const second = await createPgliteStore({ dataDir: dir }).catch((e: unknown) => e);
      expect(second).toMatchObject({ name: "VafaError", code: "STORE_LOCKED" });
      expect((second as Error).message).toContain(`in use by process ${process.pid}`);
      expect((second as Error).message).toContain(dir);
    } finally {
      await store.close();
    }
    expect(existsSync(lockFileOf(dir))).toBe(false);
    const again = await createPgliteStore({ dataDir: dir, mustExist: true });
    await again.close();
  });

  it("a lock left by a process that died is taken over", async () => {
    // a pid that is not running: a child that has exited
    const dead = spawnSync(process.execPath, ["-e", "process.pid"]).pid as number;
    writeFileSync(lockFileOf(dir), JSON.stringify({ pid: dead, host: hostname(), since: "x" }));
    const store = await createPgliteStore({ dataDir: dir, mustExist: true });
    expect(JSON.parse(readFileSync(lockFileOf(dir), "utf8"))).toMatchObject({ pid: process.pid });
    await store.close();
  });

  it("mustExist: a missing folder, or one without a store, is STORE_NOT_FOUND and stays as it was", async () => {
    const missing = join(dir, "nope", "deeper");
    await expect(createPgliteStore({ dataDir: missing, mustExist: true })).rejects.toMatchObject({
      code: "STORE_NOT_FOUND",
      message: expect.stringContaining(`no store at ${missing}`),
    });
    expect(existsSync(join(dir, "nope"))).toBe(false);
    const empty = await mkdtemp(join(tmpdir(), "vafa-empty-"));
    await expect(createPgliteStore({ dataDir: empty, mustExist: true })).rejects.toMatchObject({
      code: "STORE_NOT_FOUND",
    });
    expect(readdirSync(empty)).toEqual([]);
    await rm(empty, { recursive: true });
  });
});
