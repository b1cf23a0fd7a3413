import { type EventStore, encryptsPersonalData, type KeyStore, type Program } from "@vafa/core";
import type { CliIo } from "./io.js";
import { type KeyStoreFlags, openKeyStore } from "./key-stores.js";
import { parseStoreUrl } from "./stores.js";

/**
 * Before the store is opened: a program that encrypts on a store without a
 * key table of its own (EventStoreDB) and no `--key-store` is a usage error
 * (KEY_STORE_MISSING, exit 2), not a failed connection.
 */
export const checkKeyStoreFlags = async (
  flags: KeyStoreFlags & { store: string },
  program: Program,
): Promise<void> => {
  if (!encryptsPersonalData(program) || flags.keyStore !== undefined) return;
  if (parseStoreUrl(flags.store).kind === "esdb") await openKeyStore({ ...flags, required: true });
};

/**
 * The key store a command that writes gives its ledger (club-v1 §6): only a
 * program that encrypts personal data needs one, and then it must have one
 * (KEY_STORE_MISSING, exit 2). Close it with `close?.()` after use.
 */
export const ledgerKeyStore = async (
  flags: KeyStoreFlags & { store: string },
  store: EventStore,
  program: Program,
  io: CliIo,
): Promise<KeyStore | undefined> => {
  if (!encryptsPersonalData(program)) return undefined;
  return openKeyStore({
    ...flags,
    eventStore: store,
    required: true,
    warn: (line) => io.stderr.write(`${line}\n`),
  });
};
