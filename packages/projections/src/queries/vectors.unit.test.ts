import { describe, expect, it } from "vitest";
import { LedgerProjection } from "../ledger.js";
import { parseDecimal } from "../money.js";
import {
  CLUB_VECTOR_SETS,
  CLUB_VECTOR_TIMES,
  VECTOR_SETS,
  VECTOR_TIMES,
  vectorEvents,
  vectorJson,
} from "../testing/vectors.js";
import { balancesAsOf } from "./balances.js";
import { kpis } from "./kpis.js";
import { liabilityAsOf } from "./liability.js";
import { rfmAsOf } from "./rfm.js";
import { rollforward } from "./rollforward.js";

/** Money strings compare as decimals (spec 6): replace each by a canonical form. */
const MONEY_KEYS = new Set(["value", "revenue", "monetary"]);
const canonical = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === "object")
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => {
        if (MONEY_KEYS.has(k) && typeof x === "string") {
          const d = parseDecimal(x);
          return [k, `${d.units * 10n ** BigInt(20 - d.scale)}e-20`];
        }
        return [k, canonical(x)];
      }),
    );
  return v;
};

const load = (set: Parameters<typeof vectorEvents>[0]): LedgerProjection => {
  const p = new LedgerProjection();
  for (const e of vectorEvents(set)) p.apply(e);
  return p;
};

describe.each(VECTOR_SETS)("golden vectors %s (spec 6)", (set) => {
  const t = VECTOR_TIMES[set];
  it("6 balances as of the vectors' time", () => {
    expect(canonical(balancesAsOf(load(set), t.asOf))).toEqual(
      canonical(vectorJson(set, "expected-balances.json")),
    );
  });
  it("6 rfm as of the vectors' time", () => {
    expect(canonical(rfmAsOf(load(set), t.asOf))).toEqual(canonical(vectorJson(set, "expected-rfm.json")));
  });
  it("6 liability as of the vectors' time", () => {
    expect(canonical(liabilityAsOf(load(set), t.asOf))).toEqual(
      canonical(vectorJson(set, "expected-liability.json")),
    );
  });
  it("6 kpis for the vectors' period", () => {
    expect(canonical(kpis(load(set), t.from, t.to))).toEqual(
      canonical(vectorJson(set, "expected-kpis.json")),
    );
  });
  it("8 JSON shapes: the output is byte-identical to the expected files (key order, money form)", () => {
    const p = load(set);
    const same = (value: unknown, file: string) =>
      expect(JSON.stringify(value)).toBe(JSON.stringify(vectorJson(set, file)));
    same(balancesAsOf(p, t.asOf), "expected-balances.json");
    same(rfmAsOf(p, t.asOf), "expected-rfm.json");
    same(liabilityAsOf(p, t.asOf), "expected-liability.json");
    same(kpis(p, t.from, t.to), "expected-kpis.json");
    same(rollforward(p, t.from, t.to), "expected-rollforward.json");
  });
  it("6 rollforward for the vectors' period", () => {
    expect(rollforward(load(set), t.from, t.to)).toEqual(vectorJson(set, "expected-rollforward.json"));
  });
});

describe.each(CLUB_VECTOR_SETS)("club vectors %s (club-v1 §5, §10)", (set) => {
  const t = CLUB_VECTOR_TIMES;
  it("kpis carry messagesSent and interactions under a club program, byte for byte", () => {
    expect(JSON.stringify(kpis(load(set), t.from, t.to))).toBe(
      JSON.stringify(vectorJson(set, "expected-kpis.json")),
    );
  });
  it("the ledger queries as of T match the expected files", () => {
    const p = load(set);
    expect(canonical(balancesAsOf(p, t.asOf))).toEqual(canonical(vectorJson(set, "expected-balances.json")));
    expect(canonical(liabilityAsOf(p, t.asOf))).toEqual(
      canonical(vectorJson(set, "expected-liability.json")),
    );
  });
});

describe.each(VECTOR_SETS)("L1 vectors %s under club-v1", (set) => {
  it("kpis have no messagesSent or interactions (not a club program)", () => {
    const t = VECTOR_TIMES[set];
    const k = kpis(load(set), t.from, t.to);
    expect(k).not.toHaveProperty("messagesSent");
    expect(k).not.toHaveProperty("interactions");
  });
});
