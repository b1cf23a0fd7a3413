import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SqlClient } from "../postgres/sql-client.js";
import { pgliteThreadClient } from "./thread-client.js";

// Issue 11: PGlite on a worker thread behaves as PGlite in process: errors keep
// their SQLSTATE code, a transaction whose work throws leaves nothing, and an
// idle store does not keep the process alive. (The event-store contract runs
// on this client too: pglite.int.test.ts opens the default, threaded store.)

let client: SqlClient;
beforeAll(async () => {
  client = await pgliteThreadClient({});
  await client.query("CREATE TABLE t (id integer PRIMARY KEY, v text)");
}, 60_000);
afterAll(async () => {
  await client.close();
});

describe("PGlite on a worker thread", () => {
  it("returns rows and keeps a failed query's SQLSTATE code (a unique violation is 23505)", async () => {
    await client.query("INSERT INTO t VALUES ($1, $2)", [1, "one"]);
    expect(await client.query("SELECT id, v FROM t")).toEqual([{ id: 1, v: "one" }]);
    await expect(client.query("INSERT INTO t VALUES ($1, $2)", [1, "again"])).rejects.toMatchObject({
      code: "23505",
    });
  });

  it("commits a transaction's work, and rolls it all back when the work throws", async () => {
    const committed = await client.transaction(async (tx) => {
      await tx.query("INSERT INTO t VALUES (2, 'two')");
      return (await tx.query<{ n: number }>("SELECT count(*)::int AS n FROM t"))[0]?.n;
    });
    expect(committed).toBe(2);
    await expect(
      client.transaction(async (tx) => {
        await tx.query("INSERT INTO t VALUES (3, 'three')");
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(await client.query("SELECT id FROM t ORDER BY id")).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it("queries wait for a transaction in progress, as on PGlite's one connection", async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tx = client.transaction(async (q) => {
      await q.query("INSERT INTO t VALUES (4, 'four')");
      await held;
    });
    const read = client.query<{ id: number }>("SELECT id FROM t WHERE id = 4");
    release();
    await tx;
    expect(await read).toEqual([{ id: 4 }]);
  });

  it("an idle store does not keep the process alive (the thread is unref'd between requests)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "vafa-thread-"));
    try {
      const script = `
        const { pgliteThreadClient } = await import(${JSON.stringify(new URL("./thread-client.ts", import.meta.url).href)});
        const c = await pgliteThreadClient({ dataDir: ${JSON.stringify(join(dir, "db"))} });
        await c.query("SELECT 1");
        console.log("queried");`;
      const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
        encoding: "utf8",
        timeout: 45_000,
      });
      expect(run.stdout.trim()).toBe("queried");
      expect(run.status).toBe(0); // exited by itself, not killed by the timeout
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
