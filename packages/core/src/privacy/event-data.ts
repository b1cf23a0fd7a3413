import { isSealedValue, openValue, PERSONAL_FIELDS, sealValue } from "./seal.js";

// Sealing and opening a whole event's `data` (club-v1 §6): each personal key's
// value, as one JSON value, in place, so the data keeps its key order.

const PERSONAL: ReadonlySet<string> = new Set(PERSONAL_FIELDS);

/** `data` with every plain personal value sealed under `key` for event `eventId`. */
export const sealEventData = <T extends object>(data: T, eventId: string, key: Uint8Array): T => {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(data))
    out[field] =
      PERSONAL.has(field) && value !== undefined && !isSealedValue(value)
        ? sealValue(key, eventId, field, value)
        : value;
  return out as T;
};

/**
 * `data` with every sealed personal value opened under `key`; a value that
 * cannot be opened (no key: destroyed or never known) is left out, as
 * every read after `forget` shows it (club-v1 §6).
 */
export const openEventData = <T extends object>(data: T, eventId: string, key: Uint8Array | undefined): T => {
  let out: Record<string, unknown> | undefined;
  for (const [field, value] of Object.entries(data)) {
    if (!PERSONAL.has(field) || !isSealedValue(value)) continue;
    out ??= { ...(data as Record<string, unknown>) };
    const plain = key === undefined ? undefined : openValue(key, eventId, field, value);
    if (plain === undefined) delete out[field];
    else out[field] = plain;
  }
  return (out ?? data) as T;
};

/** Whether `data` holds a sealed personal value (club-v1 §10: SCHEMA under a program that does not encrypt). */
export const hasSealedValue = (data: object): boolean =>
  Object.entries(data).some(([field, value]) => PERSONAL.has(field) && isSealedValue(value));

/** Whether `data` holds a plain personal value (club-v1 §10: SCHEMA under a program that encrypts). */
export const hasPlainPersonalValue = (data: object): boolean =>
  Object.entries(data).some(
    ([field, value]) => PERSONAL.has(field) && value !== undefined && !isSealedValue(value),
  );
