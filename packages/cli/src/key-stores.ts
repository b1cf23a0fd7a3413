import { resolve } from "node:path";
import type { SqlEventStore } from "@vafa/adapters/pglite";
import { type EventStore, type KeyGenerator, type KeyStore, testDataKey, VafaError } from "@vafa/core";
import { failure, usageError } from "./errors.js";
import { displayStoreUrl, parseStoreUrl, type StoreLocation } from "./stores.js";

// Where the CLI keeps members' data keys (club-v1 §6, docs/privacy.md):
// - `--key-store file:<dir>` or `--key-store postgres://...` when given (any store;
//   keeping keys apart from the events is how an operator closes the backup gap);
// - else the store's own `vafa_member_keys` table on PGlite and PostgreSQL, a
//   memory key store for `memory:`; EventStoreDB has none: a program that
//   encrypts then needs `--key-store` (KEY_STORE_MISSING);
// - `--test-data-keys` / VAFA_TEST_DATA_KEYS=1 makes keys with `testDataKey`
//   (sha256("vafa-test-key|" + memberId)): for the golden test vectors only,
//   never for real members, whose data anyone could then read.

/** A parsed `--key-store` value. */
export type KeyStoreLocation =
  | { kind: "file"; dir: string }
  | { kind: "postgres"; url: string; schema?: string };

const KEY_STORE_HELP = "use file:<dir> or postgres://user@host/db[?schema=name]";

/** Parses `--key-store`; an unknown form is a usage error. */
export const parseKeyStoreUrl = (text: string): KeyStoreLocation => {
  if (text.startsWith("file:")) {
    const dir = text.slice("file:".length).replace(/^\/\/(?=\/)/, "");
    if (dir.length === 0) throw usageError(`--key-store ${text}: file needs a folder, like file:./keys`);
    return { kind: "file", dir };
  }
  if (/^postgres(ql)?:\/\//.test(text)) {
    let location: StoreLocation;
    try {
      location = parseStoreUrl(text);
    } catch (error) {
      throw usageError(
        error instanceof Error ? error.message.replace(/^--store/, "--key-store") : String(error),
      );
    }
    if (location.kind === "postgres") return location;
  }
  throw usageError(
    `--key-store ${JSON.stringify(displayStoreUrl(text))}: unknown key store; ${KEY_STORE_HELP}`,
  );
};

/** The key options of a command (import, sweep, forget and the queries). */
export interface KeyStoreFlags {
  /** `--key-store <url>`. */
  keyStore?: string;
  /** `--test-data-keys`. */
  testDataKeys?: boolean;
}

/** Whether keys are the test vectors' (`--test-data-keys` or VAFA_TEST_DATA_KEYS=1). */
export const usesTestDataKeys = (flags: KeyStoreFlags, env: NodeJS.ProcessEnv = process.env): boolean =>
  flags.testDataKeys === true || env.VAFA_TEST_DATA_KEYS === "1";

export interface OpenKeyStoreInput extends KeyStoreFlags {
  /** The `--store` text; undefined when the command reads an `--events` file. */
  store?: string;
  /** The store opened from `store` (its own key table on PGlite and PostgreSQL). */
  eventStore?: EventStore;
  /**
   * The program encrypts personal data (`privacy.encryptPersonalData`): no key
   * store is then `KEY_STORE_MISSING` (exit 2) instead of `undefined`.
   */
  required?: boolean;
  /** Where to say that a destroy's CHECKPOINT was refused (stderr). */
  warn?: (line: string) => void;
}

/** A key store that derives every key (`--test-data-keys` over an `--events` file); destroys last for this run. */
const derivedKeyStore = (generate: KeyGenerator): KeyStore => {
  const destroyed = new Set<string>();
  return {
    async create(memberId) {
      if (destroyed.has(memberId))
        throw new VafaError("KEY_DESTROYED", `member ${memberId} was forgotten in this run`);
      return generate(memberId);
    },
    async get(memberId) {
      return destroyed.has(memberId) ? undefined : generate(memberId);
    },
    async destroy(memberId) {
      destroyed.add(memberId);
    },
  };
};

const missing = (what: string): never => {
  throw usageError(
    `KEY_STORE_MISSING: the program encrypts personal data and ${what} keeps no keys; pass --key-store file:<dir> or --key-store postgres://... (see docs/privacy.md)`,
  );
};

/**
 * The key store for a command (see the top of this file), or `undefined` when
 * there is none and `required` is false. Close it with `close?.()` after use:
 * the store's own table closes with the store.
 */
export const openKeyStore = async (
  input: OpenKeyStoreInput,
  env: NodeJS.ProcessEnv = process.env,
): Promise<KeyStore | undefined> => {
  const generate = usesTestDataKeys(input, env) ? { generate: testDataKey } : {};
  const warn = input.warn ? { onWarning: input.warn } : {};
  if (input.keyStore !== undefined) {
    const location = parseKeyStoreUrl(input.keyStore);
    const shown = displayStoreUrl(input.keyStore);
    try {
      if (location.kind === "file") {
        const { createFileKeyStore } = await import("@vafa/adapters/file-keys");
        return await createFileKeyStore(resolve(location.dir), generate);
      }
      const { createPostgresKeyStore } = await import("@vafa/adapters/postgres");
      return await createPostgresKeyStore({
        connectionString: location.url,
        ...(location.schema !== undefined ? { schema: location.schema } : {}),
        ...generate,
        ...warn,
      });
    } catch (error) {
      throw failure(
        `key store ${shown}: cannot open it (${error instanceof Error ? error.message : String(error)}); check the path or URL`,
        error,
      );
    }
  }
  if (input.store === undefined) {
    if (generate.generate) return derivedKeyStore(generate.generate);
    return input.required ? missing("an --events file") : undefined;
  }
  const location = parseStoreUrl(input.store);
  switch (location.kind) {
    case "memory": {
      const { createMemoryKeyStore } = await import("@vafa/adapters/memory");
      return createMemoryKeyStore(generate);
    }
    case "pglite":
    case "postgres": {
      const store = input.eventStore as { keyStore?: unknown } | undefined;
      if (typeof store?.keyStore !== "function")
        throw new Error(`openKeyStore: the ${location.kind} store was not passed as eventStore`);
      return (store as SqlEventStore).keyStore({ ...generate, ...warn });
    }
    case "esdb":
      return input.required ? missing("an EventStoreDB store") : undefined;
  }
};
