import { randomBytes } from "node:crypto";
import { type KeyGenerator, VafaError } from "@vafa/core";

// Shared by every key store (club-v1 §6): how keys are made and checked, and
// the error a destroyed member's `create` throws.

/** A data key has 32 bytes (AES-256). */
export const DATA_KEY_BYTES = 32;

/** The production generator: 32 random bytes from the system's CSPRNG. */
export const randomDataKey: KeyGenerator = () => new Uint8Array(randomBytes(DATA_KEY_BYTES));

/** Runs the generator and checks its output, so a bad generator never stores a short key. */
export const generateKey = (generate: KeyGenerator, memberId: string): Uint8Array => {
  const key = generate(memberId);
  if (!(key instanceof Uint8Array) || key.length !== DATA_KEY_BYTES)
    throw new VafaError(
      "INVARIANT",
      `the key generator gave member ${memberId} ${key instanceof Uint8Array ? `${key.length} bytes` : "no bytes"}, not ${DATA_KEY_BYTES}`,
      "pass a generator that returns 32 bytes",
    );
  return new Uint8Array(key);
};

export const keyDestroyed = (memberId: string): VafaError =>
  new VafaError(
    "KEY_DESTROYED",
    `member ${memberId} was forgotten: its data key was destroyed and is never made again`,
    "do not store personal values for a forgotten member",
  );
