import { describe, expect, it } from "vitest";
import { type Program, programSchema } from "./index.js";
import { baseProgram, club, join } from "./testing/harness.js";

const invalid = (patch: (p: Program) => unknown) => {
  const p = structuredClone(baseProgram());
  const changed = patch(p) ?? p;
  return programSchema.safeParse(changed).success;
};

describe("3 program", () => {
  it("accepts the base program", () => {
    expect(programSchema.safeParse(baseProgram()).success).toBe(true);
  });
  it.each<[string, (p: Program) => unknown]>([
    ["an unknown key", (p) => ({ ...p, extra: 1 })],
    ["an unknown nested key", (p) => ({ ...p, earn: { ...p.earn, bonus: 1 } })],
    [
      "a first threshold not 0",
      (p) => {
        p.tiers.levels[0] = { id: "bronze", threshold: "1", multiplier: "1" };
      },
    ],
    [
      "thresholds not increasing",
      (p) => {
        p.tiers.levels[1] = { id: "silver", threshold: "0", multiplier: "1" };
      },
    ],
    [
      "duplicate level ids",
      (p) => {
        p.tiers.levels[1] = { id: "bronze", threshold: "5", multiplier: "1" };
      },
    ],
    [
      "a zero multiplier",
      (p) => {
        p.tiers.levels[0] = { id: "bronze", threshold: "0", multiplier: "0" };
      },
    ],
    [
      "a campaign from >= to",
      (p) => {
        p.earn.campaigns = [
          { id: "c", from: "2011-02-01T00:00:00Z", to: "2011-01-01T00:00:00Z", multiplier: "2" },
        ];
      },
    ],
    [
      "a campaign naming an unknown tier",
      (p) => {
        p.earn.campaigns = [
          {
            id: "c",
            from: "2011-01-01T00:00:00Z",
            to: "2011-02-01T00:00:00Z",
            multiplier: "2",
            tiers: ["platinum"],
          },
        ];
      },
    ],
    ["rolling expiry with years", (p) => ({ ...p, expiry: { policy: "rolling", days: 5, years: 1 } })],
    ["never expiry with days", (p) => ({ ...p, expiry: { policy: "never", days: 5 } })],
    ["version 0", (p) => ({ ...p, version: 0 })],
    ["minPoints 0", (p) => ({ ...p, redemption: { ...p.redemption, minPoints: 0 } })],
    ["a negative bonus", (p) => ({ ...p, earn: { ...p.earn, signupBonus: -1 } })],
    ["a decimal written with exponent", (p) => ({ ...p, earn: { ...p.earn, pointsPerUnit: "1e2" } })],
    [
      "a malformed multiplier",
      (p) => {
        p.tiers.levels[1] = { id: "silver", threshold: "500", multiplier: "1,5" };
      },
    ],
    [
      "a malformed threshold",
      (p) => {
        p.tiers.levels[1] = { id: "silver", threshold: "5,00", multiplier: "1" };
      },
    ],
    [
      "a malformed campaign multiplier",
      (p) => {
        p.earn.campaigns = [
          { id: "c", from: "2011-01-01T00:00:00Z", to: "2011-02-01T00:00:00Z", multiplier: "x2" },
        ];
      },
    ],
    ["a lowercase currency", (p) => ({ ...p, currency: "gbp" })],
    ["an unknown calendar", (p) => ({ ...p, calendar: "julian" })],
  ])("rejects %s", (_name, patch) => {
    expect(invalid(patch)).toBe(false);
  });
});

describe("5.10 program versions", () => {
  it("publishes a new version once, dated at the given time, with commandId publish:<id>:<version>", async () => {
    const c = club();
    expect((await c.ledger.publishProgram("2011-01-01T00:00:00Z")).published).toBe(true);
    expect((await c.ledger.publishProgram("2011-02-01T00:00:00Z")).published).toBe(false);
    const events = await c.store.readStream("program-test");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: "ProgramPublished",
      occurredAt: "2011-01-01T00:00:00.000Z",
      metadata: { commandId: "publish:test:1", programVersion: 1 },
    });
    expect(events[0]?.data).toEqual({ program: baseProgram() });
  });
  it("a second version appends to the same stream; member events record the version they were decided under", async () => {
    const c1 = club();
    await c1.ledger.publishProgram("2011-01-01T00:00:00Z");
    await c1.ok(join("a", "2011-01-01T00:00:00Z"));
    const c2 = club({ ...baseProgram(), version: 2 }, c1.store);
    await c2.ledger.publishProgram("2011-03-01T00:00:00Z");
    await c2.ok(join("b", "2011-03-01T00:00:00Z"));
    expect((await c1.store.readStream("program-test")).map((e) => e.revision)).toEqual([0, 1]);
    expect((await c1.stream("a"))[0]?.metadata.programVersion).toBe(1);
    expect((await c1.stream("b"))[0]?.metadata.programVersion).toBe(2);
  });
  it("the same version with other content is refused with PROGRAM_INVALID", async () => {
    const c1 = club();
    await c1.ledger.publishProgram("2011-01-01T00:00:00Z");
    const changed = { ...baseProgram(), currency: "EUR" };
    const c2 = club(changed, c1.store);
    await expect(c2.ledger.publishProgram("2011-01-02T00:00:00Z")).rejects.toMatchObject({
      code: "PROGRAM_INVALID",
    });
  });
  it("the refusal says to raise version to the next free number, not to run again (issue 9)", async () => {
    const c1 = club();
    await c1.ledger.publishProgram("2011-01-01T00:00:00Z");
    await club({ ...baseProgram(), version: 2 }, c1.store).ledger.publishProgram("2011-01-02T00:00:00Z");
    const changed = club({ ...baseProgram(), currency: "EUR" }, c1.store);
    const error = await changed.ledger.publishProgram("2011-01-03T00:00:00Z").catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      'program test version 1 was already published with other content (a changed program needs a new version: raise "version" to 3, or use version 1 as published)',
    );
  });
});

describe("3 program errors from the library name the field path (issue 9)", () => {
  it.each([
    [(p: Program) => ({ ...p, earn: { ...p.earn, pointsPerUnit: "-1" } }), "earn.pointsPerUnit: "],
    [(p: Program) => ({ ...p, extra: 1 }), "(top level): Unrecognized key(s) in object: 'extra'"],
    [
      (p: Program) => ({
        ...p,
        tiers: { ...p.tiers, levels: [p.tiers.levels[0], { ...p.tiers.levels[1], threshold: "0" }] },
      }),
      "tiers.levels.1.threshold: thresholds must strictly increase",
    ],
  ])("createLedger names the path (%#)", (patch, where) => {
    let error: unknown;
    try {
      club(patch(baseProgram()) as Program);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: "PROGRAM_INVALID" });
    expect((error as Error).message).toContain(`program ${where}`);
    expect((error as Error).message).toMatch(/\(fix that field of the program, spec section 3\)$/);
  });
});
