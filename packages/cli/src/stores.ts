import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import type { EventStore } from "@vafa/core";
import { failure, usageError } from "./errors.js";

export const DEFAULT_STORE = "pglite:./.vafa";

/** A parsed `--store` value. */
export type StoreLocation =
  | { kind: "memory" }
  | { kind: "pglite"; dir: string }
  | { kind: "postgres"; url: string; schema?: string }
  | { kind: "esdb"; url: string };

const STORE_HELP = "use pglite:<dir>, postgres://user@host/db, esdb://host:2113 or memory:";

/** Parses `--store` (spec 8); an unknown form is a usage error. */
export const parseStoreUrl = (text: string): StoreLocation => {
  if (text === "memory:" || text === "memory") return { kind: "memory" };
  if (text.startsWith("pglite:")) {
    const dir = text.slice("pglite:".length).replace(/^\/\/(?=\/)/, "");
    if (dir.length === 0) throw usageError(`--store ${text}: pglite needs a directory, like pglite:./.vafa`);
    return { kind: "pglite", dir };
  }
  if (/^postgres(ql)?:\/\//.test(text)) return parsePostgres(text);
  if (/^esdb(\+discover)?:\/\//.test(text)) return { kind: "esdb", url: text };
  throw usageError(`--store ${JSON.stringify(text)}: unknown store; ${STORE_HELP}`);
};

/** `postgres://...?schema=name` keeps the Vafa tables in that schema (default `public`). */
const parsePostgres = (text: string): StoreLocation => {
  const url = new URL(text);
  const schema = url.searchParams.get("schema");
  if (schema === null) return { kind: "postgres", url: text };
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema))
    throw usageError(`--store: schema ${JSON.stringify(schema)} must be a plain SQL identifier`);
  url.searchParams.delete("schema");
  return { kind: "postgres", url: url.toString(), schema };
};

/** The store URL as it can be printed: a password is masked. */
export const displayStoreUrl = (text: string): string => {
  try {
    const url = new URL(text);
    if (url.password) url.password = "***";
    return url.protocol === "pglite:" || url.protocol === "memory:" ? text : url.toString();
  } catch {
    return text;
  }
};

const PROBE_TIMEOUT_MS = 15_000;

const withTimeout = async <T>(promise: Promise<T>, ms: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
};

const reasonOf = (error: unknown): string => {
  if (error instanceof AggregateError && error.errors.length > 0) return reasonOf(error.errors[0]);
  const text = error instanceof Error ? error.message || error.name : String(error);
  return text.replace(/\s*[\r\n]+\s*/g, " ").trim();
};

/** How a command uses the store: only writers (import, sweep, restore) may create one. */
export interface OpenStoreOptions {
  /** `read` (default): a missing store is `no store at <path>` (exit 2) and nothing is created. */
  intent?: "read" | "write";
  /** Clock for `recordedAt` (restore replays the exported times). */
  now?: () => string;
}

const openLocation = async (location: StoreLocation, options: OpenStoreOptions): Promise<EventStore> => {
  const mustExist = options.intent !== "write";
  const now = options.now ? { now: options.now } : {};
  switch (location.kind) {
    case "memory": {
      const { createMemoryStore } = await import("@vafa/adapters/memory");
      return createMemoryStore(now);
    }
    case "pglite": {
      const { createPgliteStore } = await import("@vafa/adapters/pglite");
      return createPgliteStore({ dataDir: resolve(location.dir), mustExist, ...now });
    }
    case "postgres": {
      const { createPostgresStore } = await import("@vafa/adapters/postgres");
      return createPostgresStore({
        connectionString: location.url,
        mustExist,
        ...now,
        ...(location.schema !== undefined ? { schema: location.schema } : {}),
      });
    }
    case "esdb": {
      const { createEventStoreDbStore } = await import("@vafa/adapters/eventstoredb");
      return createEventStoreDbStore({ connectionString: location.url });
    }
  }
};

/**
 * Opens the store named by `--store` and checks that it answers, so an
 * unreachable or unusable store is one clear line (exit 1) before any work.
 */
export const openStore = async (text: string, options: OpenStoreOptions = {}): Promise<EventStore> => {
  const location = parseStoreUrl(text);
  const shown = displayStoreUrl(text);
  if (location.kind === "pglite" && options.intent === "write") {
    try {
      await mkdir(resolve(location.dir), { recursive: true });
    } catch (error) {
      throw failure(
        `store ${shown}: cannot create the directory (${reasonOf(error)}); check the path and its permissions`,
      );
    }
  }
  let store: EventStore | undefined;
  try {
    store = await withTimeout(openLocation(location, options), PROBE_TIMEOUT_MS);
    await withTimeout(store.listStreams("program-"), PROBE_TIMEOUT_MS);
    return store;
  } catch (error) {
    await store?.close().catch(() => undefined);
    if (error instanceof Error && error.name === "CliError") throw error;
    const code = (error as { code?: unknown }).code;
    if (code === "STORE_NOT_FOUND")
      throw usageError(
        `no store at ${location.kind === "pglite" ? location.dir : shown}; check --store, or create it with vafa import (or vafa restore)`,
      );
    if (code === "STORE_LOCKED") throw failure(`store ${shown}: ${reasonOf(error)}`, error);
    // The adapters' own errors already say what to check.
    if (error instanceof Error && error.name === "VafaError")
      throw failure(`store ${shown}: ${reasonOf(error)}`, error);
    throw failure(
      `store ${shown}: cannot open it (${reasonOf(error)}); check that it is running and the URL is right`,
      error,
    );
  }
};
