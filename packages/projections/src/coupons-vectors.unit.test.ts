import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { StoredEvent } from "@vafa/core";
import { describe, expect, it } from "vitest";
import { CouponsProjection } from "./coupons.js";

// The coupons projection (club-v1 §2) on our reward vectors (fixtures/club-vectors/rewards-*,
// written by scripts/make-reward-vectors.ts; their events are re-derived by
// packages/core/src/draws/draw-vectors.int.test.ts): issued, used (1 ms before
// validUntil too), void after a reversal, expired exactly at validUntil.

const dir = (name: string) =>
  fileURLToPath(new URL(`../../../fixtures/club-vectors/${name}/`, import.meta.url));

describe.each(["rewards-gregorian", "rewards-jalali"])("coupons of %s", (name) => {
  const events = readFileSync(`${dir(name)}expected-events.ndjson`, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l, i) => ({ ...(JSON.parse(l) as StoredEvent), position: BigInt(i + 1) }));
  const expected = JSON.parse(readFileSync(`${dir(name)}expected-coupons.json`, "utf8")) as {
    asOf: string;
    coupons: { code: string; status: string; couponId: string }[];
  };
  const projection = new CouponsProjection();
  for (const e of events) projection.apply(e);

  it("every coupon and its state as of the vector's time", () => {
    expect(projection.asOf(expected.asOf)).toEqual(expected.coupons);
    expect(expected.coupons.map((c) => [c.couponId, c.status])).toEqual([
      ["ra1", "used"],
      ["ra2", "used"],
      ["rr1", "expired"],
      ["rs1", "void"],
    ]);
  });

  it("lookup by code finds each one, and the lower-case code nothing", () => {
    for (const c of expected.coupons) {
      expect(projection.byCodeAsOf(c.code, expected.asOf)).toEqual([c]);
      expect(projection.byCodeAsOf(c.code.toLowerCase(), expected.asOf)).toEqual([]);
    }
  });
});
