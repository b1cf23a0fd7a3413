// The key-store port of club-v1 §6: one 32-byte data key per member. The
// ledger creates a member's key when it first seals a value for it, reads it
// to open values, and destroys it on `forget` (crypto-shredding).
//
// Invariants every implementation keeps (adapters' key-store contract suite):
// - `create` is idempotent: a second call returns the key that exists, so
//   two writers racing on one member end with one key;
// - after `destroy`, `get` returns `undefined` forever and `create` refuses
//   (`VafaError` code `KEY_DESTROYED`): a forgotten member never gets a fresh key that
//   would make new personal data readable under the old history;
// - `destroy` of a member without a key records the destruction all the same.

export interface KeyStore {
  /** The member's key, creating it (32 random bytes, or `generate`'s) when none exists. */
  create(memberId: string): Promise<Uint8Array>;
  /** The member's key; `undefined` when none was created or it was destroyed. */
  get(memberId: string): Promise<Uint8Array | undefined>;
  /** Destroys the member's key for good. */
  destroy(memberId: string): Promise<void>;
  close?(): Promise<void>;
}

/** How a key store makes a new key: random in production, `testDataKey` in the vectors. */
export type KeyGenerator = (memberId: string) => Uint8Array;
