import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hasPlainPersonalValue, hasSealedValue, openEventData, sealEventData } from "./event-data.js";
import { isSealedValue, openValue, PERSONAL_FIELDS, sealValue, testDataKey } from "./seal.js";

// club-v1 §6 and §10 "Sealing": AES-256-GCM under the member's data key, IV from
// HMAC-SHA256(key, eventId|fieldPath), AAD eventId|fieldPath, base64url of iv||ct||tag.

const root = join(import.meta.dirname, "../../../../fixtures/vectors");
const events = (name: string) =>
  readFileSync(join(root, name, "expected-events.ndjson"), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as { eventId: string; data: Record<string, unknown>; streamId: string });

describe.each(["club-gregorian", "club-jalali"])("sealed values of the %s vector", (name) => {
  const sealedFields = events(name).flatMap((e) =>
    PERSONAL_FIELDS.filter((f) => isSealedValue(e.data[f])).map((f) => ({ e, f })),
  );

  it("has sealed values to check", () => {
    expect(sealedFields.length).toBeGreaterThan(5);
  });

  it("opens each with the test key and seals it back to the same bytes", () => {
    for (const { e, f } of sealedFields) {
      const key = testDataKey(e.streamId.slice("member-".length));
      const plain = openValue(key, e.eventId, f, e.data[f] as { $pii: string });
      expect(plain, `${e.eventId} ${f}`).not.toBeUndefined();
      expect(sealValue(key, e.eventId, f, plain)).toEqual(e.data[f]);
    }
  });
});

describe("sealValue / openValue", () => {
  const key = testDataKey("ali");

  it("round-trips any JSON value and is deterministic", () => {
    fc.assert(
      fc.property(fc.uuid(), fc.constantFrom(...PERSONAL_FIELDS), fc.jsonValue(), (eventId, field, value) => {
        const once = sealValue(key, eventId, field, value);
        expect(sealValue(key, eventId, field, value)).toEqual(once);
        expect(openValue(key, eventId, field, once)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it("does not open under another key, event or field", () => {
    const sealed = sealValue(key, "e1", "name", "Ali");
    expect(openValue(testDataKey("sara"), "e1", "name", sealed)).toBeUndefined();
    expect(openValue(key, "e2", "name", sealed)).toBeUndefined();
    expect(openValue(key, "e1", "contact", sealed)).toBeUndefined();
    expect(openValue(key, "e1", "name", { $pii: "AAAA" })).toBeUndefined();
  });

  it("refuses a key that is not 32 bytes", () => {
    expect(() => sealValue(new Uint8Array(16), "e1", "name", "x")).toThrow(/32 bytes/);
  });
});

describe("sealEventData / openEventData", () => {
  const key = testDataKey("nina");
  const data = { noteId: "n-1", text: "key account", actor: "ops" };

  it("seals only personal keys, keeps key order, and opens back", () => {
    const sealed = sealEventData(data, "e1", key);
    expect(Object.keys(sealed)).toEqual(["noteId", "text", "actor"]);
    expect(isSealedValue(sealed.text)).toBe(true);
    expect(hasSealedValue(sealed)).toBe(true);
    expect(hasPlainPersonalValue(sealed)).toBe(false);
    expect(openEventData(sealed, "e1", key)).toEqual(data);
  });

  it("leaves a value out when the key is gone", () => {
    const sealed = sealEventData(data, "e1", key);
    expect(openEventData(sealed, "e1", undefined)).toEqual({ noteId: "n-1", actor: "ops" });
  });

  it("returns plain data as it is", () => {
    expect(openEventData(data, "e1", undefined)).toBe(data);
    expect(hasPlainPersonalValue(data)).toBe(true);
  });
});
