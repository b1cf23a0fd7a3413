import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { CliError } from "./errors.js";
import { DEFAULT_STORE, displayStoreUrl, openStore, parseStoreUrl } from "./stores.js";

describe("8 --store URLs", () => {
  it("8 the default store is pglite:./.vafa", () => {
    expect(DEFAULT_STORE).toBe("pglite:./.vafa");
    expect(parseStoreUrl(DEFAULT_STORE)).toEqual({ kind: "pglite", dir: "./.vafa" });
  });

  it("8 parses pglite, postgres, esdb and memory", () => {
    expect(parseStoreUrl("pglite:/var/lib/vafa")).toEqual({ kind: "pglite", dir: "/var/lib/vafa" });
    expect(parseStoreUrl("postgres://u:p@h:5432/db")).toEqual({
      kind: "postgres",
      url: "postgres://u:p@h:5432/db",
    });
    expect(parseStoreUrl("postgresql://h/db")).toEqual({ kind: "postgres", url: "postgresql://h/db" });
    expect(parseStoreUrl("esdb://localhost:2113?tls=false")).toEqual({
      kind: "esdb",
      url: "esdb://localhost:2113?tls=false",
    });
    expect(parseStoreUrl("memory:")).toEqual({ kind: "memory" });
  });

  it("an unknown scheme or an empty pglite dir is a usage error (exit 2) naming the value", () => {
    for (const text of ["mysql://h/db", "pglite:", "./.vafa", ""]) {
      let error: unknown;
      try {
        parseStoreUrl(text);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CliError);
      expect((error as CliError).exitCode).toBe(2);
      expect((error as CliError).message).toContain("--store");
    }
  });

  it("a password is never printed", () => {
    expect(displayStoreUrl("postgres://vafa:s3cret@db:5432/x")).toBe("postgres://vafa:***@db:5432/x");
    expect(displayStoreUrl("pglite:./.vafa")).toBe("pglite:./.vafa");
  });

  it("an unreachable PostgreSQL is a failure (exit 1) in one line naming the store", async () => {
    const error = await openStore("postgres://vafa:pw@127.0.0.1:1/x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(1);
    expect((error as CliError).message).toMatch(
      /^store postgres:\/\/vafa:\*\*\*@127\.0\.0\.1:1\/x: .*ECONNREFUSED/,
    );
    expect((error as CliError).message).not.toContain("\n");
  });

  it("memory: opens an empty store", async () => {
    const store = await openStore("memory:");
    expect(await store.listStreams("")).toEqual([]);
    await store.close();
  });
});

describe("postgres schema in the store URL", () => {
  it("takes ?schema= out of the URL and keeps it apart", () => {
    expect(parseStoreUrl("postgres://u:p@h:5432/db?schema=club_a")).toEqual({
      kind: "postgres",
      url: "postgres://u:p@h:5432/db",
      schema: "club_a",
    });
    expect(() => parseStoreUrl("postgres://h/db?schema=a;drop")).toThrow(/schema/);
  });
});

describe("pglite: a new store starts from the template cache (issue 11)", () => {
  it("a writer opening a new directory writes the template under VAFA_PGLITE_TEMPLATE_DIR, the next loads it; off writes none", async () => {
    const root = await mkdtemp(join(tmpdir(), "vafa-cli-template-"));
    const cache = join(root, "cache");
    vi.stubEnv("VAFA_PGLITE_TEMPLATE_DIR", cache);
    try {
      const first = await openStore(`pglite:${join(root, "a")}`, { intent: "write" });
      await first.close();
      const [file] = readdirSync(cache);
      expect(readdirSync(cache)).toEqual([expect.stringMatching(/^pglite-.*\.tgz$/)]);
      const mtime = statSync(join(cache, file as string)).mtimeMs;
      // loaded, not rewritten: the file is the same one, and the new directory got a store
      const second = await openStore(`pglite:${join(root, "b")}`, { intent: "write" });
      expect(await second.listStreams("program-")).toEqual([]);
      await second.close();
      expect(readdirSync(cache)).toEqual([file]);
      expect(statSync(join(cache, file as string)).mtimeMs).toBe(mtime);
      expect(existsSync(join(root, "b", "PG_VERSION"))).toBe(true);

      vi.stubEnv("VAFA_PGLITE_TEMPLATE_DIR", "off");
      rmSync(cache, { recursive: true });
      const third = await openStore(`pglite:${join(root, "c")}`, { intent: "write" });
      await third.close();
      expect(existsSync(cache)).toBe(false);
    } finally {
      vi.unstubAllEnvs();
      await rm(root, { recursive: true, force: true });
    }
  });
});
