import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { testDataKey } from "@vafa/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CliError } from "./errors.js";
import { openKeyStore, parseKeyStoreUrl, usesTestDataKeys } from "./key-stores.js";
import { openStore } from "./stores.js";

// Where the CLI keeps members' data keys (club-v1 §6, docs/privacy.md).
let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "vafa-cli-keys-"));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const hex = (key: Uint8Array | undefined) =>
  key === undefined ? undefined : Buffer.from(key).toString("hex");

const usageErrorOf = async (promise: Promise<unknown>): Promise<CliError> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CliError);
  expect((error as CliError).exitCode).toBe(2);
  return error as CliError;
};

describe("§6 --key-store URLs", () => {
  it("parses file:<dir> and postgres:// (with ?schema=)", () => {
    expect(parseKeyStoreUrl("file:./keys")).toEqual({ kind: "file", dir: "./keys" });
    expect(parseKeyStoreUrl("file:///var/lib/vafa-keys")).toEqual({
      kind: "file",
      dir: "/var/lib/vafa-keys",
    });
    expect(parseKeyStoreUrl("postgres://u:p@h/db?schema=keys")).toEqual({
      kind: "postgres",
      url: "postgres://u:p@h/db",
      schema: "keys",
    });
  });

  it("anything else is a usage error naming --key-store, without a password", () => {
    for (const text of ["file:", "pglite:./x", "esdb://h:2113", "mysql://u:pw@h/db", ""]) {
      let error: unknown;
      try {
        parseKeyStoreUrl(text);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CliError);
      expect((error as CliError).exitCode).toBe(2);
      expect((error as CliError).message).toContain("--key-store");
      expect((error as CliError).message).not.toContain(":pw@");
    }
  });

  it("test data keys: --test-data-keys or VAFA_TEST_DATA_KEYS=1 only", () => {
    expect(usesTestDataKeys({ testDataKeys: true }, {})).toBe(true);
    expect(usesTestDataKeys({}, { VAFA_TEST_DATA_KEYS: "1" })).toBe(true);
    expect(usesTestDataKeys({}, { VAFA_TEST_DATA_KEYS: "true" })).toBe(false);
    expect(usesTestDataKeys({}, {})).toBe(false);
  });
});

describe("§6 openKeyStore", () => {
  it("memory: a memory key store with random keys, or the test vectors' keys", async () => {
    const random = await openKeyStore({ store: "memory:" }, {});
    expect((await random?.create("ali"))?.length).toBe(32);
    expect(hex(await random?.create("ali"))).not.toBe(hex(testDataKey("ali")));
    const vector = await openKeyStore({ store: "memory:" }, { VAFA_TEST_DATA_KEYS: "1" });
    expect(hex(await vector?.create("ali"))).toBe(hex(testDataKey("ali")));
  });

  it("EventStoreDB without --key-store: KEY_STORE_MISSING (exit 2) when the program encrypts, else none", async () => {
    const error = await usageErrorOf(openKeyStore({ store: "esdb://h:2113", required: true }, {}));
    expect(error.message).toMatch(/^KEY_STORE_MISSING: .*--key-store/);
    expect(await openKeyStore({ store: "esdb://h:2113" }, {})).toBeUndefined();
  });

  it("--key-store file:<dir> is used for any store, and keeps keys across runs", async () => {
    const keyStore = `file:${join(work, "keys")}`;
    const first = await openKeyStore({ store: "esdb://h:2113", keyStore, required: true }, {});
    const key = hex(await first?.create("sara"));
    await first?.close?.();
    const second = await openKeyStore({ store: "memory:", keyStore }, {});
    expect(hex(await second?.get("sara"))).toBe(key);
  });

  it("an --events file: --test-data-keys derives keys, a destroy lasts the run; without it there are none", async () => {
    const derived = await openKeyStore({ testDataKeys: true }, {});
    expect(hex(await derived?.get("reza"))).toBe(hex(testDataKey("reza")));
    await derived?.destroy("reza");
    expect(await derived?.get("reza")).toBeUndefined();
    await expect(derived?.create("reza")).rejects.toMatchObject({ code: "KEY_DESTROYED" });
    expect(await openKeyStore({}, {})).toBeUndefined();
    await usageErrorOf(openKeyStore({ required: true }, {}));
  });

  it("PGlite: the store's own key table, through the store's connection", async () => {
    const storeText = `pglite:${join(work, "db")}`;
    const store = await openStore(storeText, { intent: "write" });
    try {
      const keys = await openKeyStore({ store: storeText, eventStore: store, testDataKeys: true }, {});
      expect(hex(await keys?.create("nina"))).toBe(hex(testDataKey("nina")));
      await keys?.destroy("nina");
      await expect(keys?.create("nina")).rejects.toMatchObject({ code: "KEY_DESTROYED" });
    } finally {
      await store.close();
    }
  }, 60_000);
});
