import type { KeyGenerator, KeyStore } from "@vafa/core";
import { generateKey, keyDestroyed, randomDataKey } from "../shared/data-keys.js";

export interface MemoryKeyStoreOptions {
  /** How a new key is made (default: 32 random bytes; the test vectors pass `testDataKey`). */
  generate?: KeyGenerator;
}

/**
 * A key store in this process's memory (club-v1 §6), for the memory event store,
 * tests and examples: keys live as long as the object. Keys are copied in and
 * out, so a caller that overwrites a returned key changes nothing stored.
 */
export const createMemoryKeyStore = (options: MemoryKeyStoreOptions = {}): KeyStore => {
  const generate = options.generate ?? randomDataKey;
  // null: destroyed (a tombstone, so `create` can refuse).
  const keys = new Map<string, Uint8Array | null>();
  return {
    async create(memberId) {
      let key = keys.get(memberId);
      if (key === null) throw keyDestroyed(memberId);
      if (key === undefined) {
        key = generateKey(generate, memberId);
        keys.set(memberId, key);
      }
      return new Uint8Array(key);
    },
    async get(memberId) {
      const key = keys.get(memberId);
      return key ? new Uint8Array(key) : undefined;
    },
    async destroy(memberId) {
      const key = keys.get(memberId);
      key?.fill(0);
      keys.set(memberId, null);
    },
  };
};
