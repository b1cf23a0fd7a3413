import { createCipheriv, createDecipheriv, createHash, createHmac } from "node:crypto";
import { jcs } from "../jcs.js";

// Sealing of personal values (club-v1 §6, §10). Deterministic on purpose: the
// IV comes from the key, the event id and the field, so a retried command
// writes the same bytes and the same hashes. Each (event, field) is sealed
// once, so the IV never repeats under one key with another plaintext.

/** The personal keys of an event's `data` (club-v1 §6). */
export const PERSONAL_FIELDS = ["name", "contact", "birthDate", "text", "comment"] as const;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];

/** A sealed value as written in an event's `data`. */
export interface SealedValue {
  $pii: string;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

export const isSealedValue = (value: unknown): value is SealedValue =>
  typeof value === "object" &&
  value !== null &&
  !Array.isArray(value) &&
  Object.keys(value).length === 1 &&
  typeof (value as { $pii?: unknown }).$pii === "string";

const checkKey = (key: Uint8Array): void => {
  if (key.length !== KEY_BYTES) throw new RangeError(`a data key has ${KEY_BYTES} bytes, not ${key.length}`);
};

/** Seals `value` (any JSON value) for `fieldPath` of event `eventId` under the member's data key. */
export const sealValue = (
  key: Uint8Array,
  eventId: string,
  fieldPath: string,
  value: unknown,
): SealedValue => {
  checkKey(key);
  const aad = Buffer.from(`${eventId}|${fieldPath}`, "utf8");
  const iv = createHmac("sha256", key).update(aad).digest().subarray(0, IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(jcs(value), "utf8"), cipher.final()]);
  return { $pii: Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64url") };
};

/**
 * Opens a sealed value, or returns `undefined` when it does not open under
 * this key for this event and field (wrong key, moved or altered bytes).
 */
export const openValue = (
  key: Uint8Array,
  eventId: string,
  fieldPath: string,
  sealed: SealedValue,
): unknown => {
  checkKey(key);
  const bytes = Buffer.from(sealed.$pii, "base64url");
  if (bytes.length < IV_BYTES + TAG_BYTES) return undefined;
  const aad = Buffer.from(`${eventId}|${fieldPath}`, "utf8");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(aad);
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    const plain = Buffer.concat([
      decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
      decipher.final(),
    ]);
    return JSON.parse(plain.toString("utf8")) as unknown;
  } catch {
    return undefined;
  }
};

/** The data key the test vectors use for a member: `sha256("vafa-test-key|" + memberId)` (club-v1 §6). */
export const testDataKey = (memberId: string): Uint8Array =>
  new Uint8Array(createHash("sha256").update(`vafa-test-key|${memberId}`, "utf8").digest());
