import { copyFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { describeEventStoreContract } from "../contract/event-store.contract.js";
import { collect, purchaseEvents, uniqueStreamId } from "../contract/fixtures.js";
import { createPgliteStore, lockFileOf, type PgliteTemplateEvent, type SqlEventStore } from "./index.js";
import { readTemplate, templateFile } from "./template.js";

// issue 11: a new PGlite store loads a cached template instead of running initdb.
// Every test names its own temporary templateDir: never the user's cache.
let root: string;
const temp = async (label: string) => mkdtemp(join(root, `${label}-`));

/** Opens a store, recording what the template cache did. */
const open = async (options: Parameters<typeof createPgliteStore>[0]) => {
  const events: PgliteTemplateEvent[] = [];
  const store = await createPgliteStore({ ...options, onTemplate: (event) => events.push(event) });
  return { store, kinds: () => events.map((event) => event.kind), events };
};

/** Appends one stream and reads it back, with a revision check: the store works. */
const works = async (store: SqlEventStore) => {
  const streamId = uniqueStreamId("template");
  await store.appendToStream(
    streamId,
    purchaseEvents({ streamId, fromRevision: 0, count: 2, commandId: "c" }),
    {
      expectedRevision: "no_stream",
    },
  );
  expect((await store.readStream(streamId)).map((e) => e.revision)).toEqual([0, 1]);
  await expect(
    store.appendToStream(streamId, purchaseEvents({ streamId, fromRevision: 2, count: 1, commandId: "d" }), {
      expectedRevision: 0,
    }),
  ).rejects.toMatchObject({ code: "CONCURRENCY", actualRevision: 1 });
  expect(await collect(store.readAll())).toHaveLength(2);
};

let templateDir: string;
let file: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "vafa-template-"));
  templateDir = await temp("cache");
  file = templateFile(templateDir, "public") as string;
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("PGlite template cache (issue 11)", () => {
  it("the first new store runs initdb and writes exactly one template, without our lock file in it", async () => {
    const first = await open({ dataDir: await temp("first"), templateDir });
    expect(first.kinds()).toEqual(["written"]);
    expect(first.events[0]).toMatchObject({ file });
    await works(first.store);
    await first.store.close();
    expect(readdirSync(templateDir)).toEqual([file.slice(templateDir.length + 1)]);
    expect(file).toMatch(/pglite-\d+\.\d+\.\d+[^/]*-[0-9a-f]{16}\.tgz$/);
    // a template must not carry its maker's lock (pid) into a new directory
    expect(gunzipSync(readFileSync(file)).includes("vafa.lock")).toBe(false);
  });

  it("a second new store loads it: the file stays as it was, the lock is ours, the store is empty and works", async () => {
    const before = readFileSync(file);
    const mtime = statSync(file).mtimeMs;
    const dir = await temp("second");
    const second = await open({ dataDir: dir, templateDir });
    expect(second.kinds()).toEqual(["loaded"]);
    expect(JSON.parse(readFileSync(lockFileOf(dir), "utf8"))).toMatchObject({ pid: process.pid });
    expect(await collect(second.store.readAll())).toEqual([]);
    await works(second.store);
    await second.store.close();
    expect(statSync(file).mtimeMs).toBe(mtime);
    expect(readFileSync(file).equals(before)).toBe(true);
    // durable: the directory reopens with what was appended (no template for a store that exists)
    const again = await open({ dataDir: dir, templateDir, mustExist: true });
    expect(again.kinds()).toEqual([]);
    expect(await collect(again.store.readAll())).toHaveLength(2);
    await again.store.close();
  });

  it("an in-memory store loads it too, on the caller's thread as well; mustExist in memory still finds no store", async () => {
    const memory = await open({ templateDir, thread: false });
    expect(memory.kinds()).toEqual(["loaded"]);
    await works(memory.store);
    await memory.store.close();
    const reader = await open({ templateDir, mustExist: true }).catch((error: unknown) => error);
    expect(reader).toMatchObject({ code: "STORE_NOT_FOUND" });
  });

  it("garbage bytes in the template: discarded, initdb as without one, the store works, the template is replaced", async () => {
    writeFileSync(file, "not a tarball at all");
    // on the caller's thread: the template is written from there too (the others use PGlite's thread)
    const store = await open({ dataDir: await temp("garbage"), templateDir, thread: false });
    expect(store.kinds()).toEqual(["discarded", "written"]);
    await works(store.store);
    await store.store.close();
    expect(readdirSync(templateDir)).toHaveLength(1);
    expect(gunzipSync(readFileSync(file)).length).toBeGreaterThan(1_000_000);
  });

  it("a gzip holding no data directory is discarded before PGlite sees it", async () => {
    const good = readFileSync(file);
    writeFileSync(file, gzipSync(Buffer.alloc(4096, 7)));
    const events: PgliteTemplateEvent[] = [];
    expect(readTemplate(file, (event) => events.push(event))).toBeNull();
    expect(events).toEqual([{ kind: "discarded", file, reason: "not a data directory" }]);
    expect(existsSync(file)).toBe(false);
    writeFileSync(file, good);
  });

  it("another schema's template under this name loads but is not what the name says: discarded, replaced", async () => {
    const good = readFileSync(file);
    const otherDir = await temp("other-cache");
    const other = await open({ schema: "other", templateDir: otherDir });
    await other.store.close();
    expect(other.kinds()).toEqual(["written"]);
    copyFileSync(templateFile(otherDir, "other") as string, file);
    const mismatched = await open({ templateDir });
    expect(mismatched.kinds()).toEqual(["discarded", "written"]);
    await works(mismatched.store);
    await mismatched.store.close();
    expect(readFileSync(file).equals(good)).toBe(false);
    expect(readTemplate(file)).not.toBeNull();
  });

  it("templateDir false reads and writes nothing, whatever VAFA_PGLITE_TEMPLATE_DIR says", async () => {
    const envDir = await temp("env-cache");
    vi.stubEnv("VAFA_PGLITE_TEMPLATE_DIR", envDir);
    try {
      const store = await open({ dataDir: await temp("off"), templateDir: false });
      expect(store.kinds()).toEqual([]);
      await works(store.store);
      await store.store.close();
      expect(readdirSync(envDir)).toEqual([]);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("a cache directory that cannot be written is ignored", async () => {
    const blocker = join(await temp("blocked"), "a-file");
    writeFileSync(blocker, "");
    const store = await open({ templateDir: join(blocker, "cache") });
    expect(store.kinds()).toEqual([]);
    await works(store.store);
    await store.store.close();
  });
});

// The contract on a store opened from a template (pglite.int.test.ts runs it on an initdb'd one);
// it reuses the template of the tests above, or makes one when run alone.
describeEventStoreContract(
  "PGlite opened from a template (issue 11)",
  async () => {
    if (!existsSync(file)) await (await open({ templateDir })).store.close();
    const opened = await open({ dataDir: await temp("contract"), templateDir, pollIntervalMs: 50 });
    expect(opened.kinds()).toEqual(["loaded"]);
    return {
      store: opened.store,
      checkpoints: opened.store.checkpoints,
      cleanup: () => opened.store.close(),
    };
  },
  { interleavingRuns: 10 },
);
