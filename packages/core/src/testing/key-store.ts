import { VafaError } from "../errors.js";
import type { KeyGenerator, KeyStore } from "../privacy/key-store.js";
import { testDataKey } from "../privacy/seal.js";

/**
 * A Map-based key store for core's tests (club-v1 §6), keeping the port's
 * invariants: `create` is idempotent; a destroyed key stays destroyed. Keys
 * are `testDataKey(memberId)` unless told otherwise, as in the club vectors.
 */
export const createTestKeyStore = (
  generate: KeyGenerator = testDataKey,
): KeyStore & { readonly keys: ReadonlyMap<string, Uint8Array>; readonly destroyed: ReadonlySet<string> } => {
  const keys = new Map<string, Uint8Array>();
  const destroyed = new Set<string>();
  return {
    keys,
    destroyed,
    create: async (memberId) => {
      if (destroyed.has(memberId))
        throw new VafaError(
          "KEY_DESTROYED",
          `the key of member ${memberId} was destroyed`,
          "a forgotten member gets no new key",
        );
      let key = keys.get(memberId);
      if (!key) {
        key = generate(memberId);
        keys.set(memberId, key);
      }
      return key;
    },
    get: async (memberId) => keys.get(memberId),
    destroy: async (memberId) => {
      keys.delete(memberId);
      destroyed.add(memberId);
    },
  };
};
