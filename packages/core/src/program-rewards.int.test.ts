import { describe, expect, it } from "vitest";
import { type Program, programSchema } from "./index.js";
import { baseProgram } from "./testing/harness.js";

const withRewards = (rewards: unknown): unknown => ({ ...baseProgram(), rewards });
const valid = (rewards: unknown) => programSchema.safeParse(withRewards(rewards)).success;
const mug = { id: "mug", cost: 500 };

describe("club-v1 §1 rewards in the program", () => {
  it("accepts a program without rewards, with [] and with the spec's example", () => {
    expect(programSchema.safeParse(baseProgram()).success).toBe(true);
    expect(valid([])).toBe(true);
    expect(
      valid([
        {
          id: "mug",
          cost: 500,
          tiers: ["silver", "bronze"],
          from: "2011-01-01T00:00:00Z",
          to: "2012-01-01T00:00:00Z",
          stock: 100,
          perMember: 2,
          coupon: { validDays: 30 },
        },
      ]),
    ).toBe(true);
  });
  it("§9: from alone, to alone, stock 0 and tiers [] are accepted", () => {
    expect(valid([{ ...mug, from: "2011-01-01T00:00:00Z" }])).toBe(true);
    expect(valid([{ ...mug, to: "2011-01-01T00:00:00Z" }])).toBe(true);
    expect(valid([{ ...mug, stock: 0, tiers: [] }])).toBe(true);
  });
  it.each<[string, unknown]>([
    ["an unknown key", [{ ...mug, colour: "red" }]],
    ["an unknown coupon key", [{ ...mug, coupon: { validDays: 1, x: 1 } }]],
    ["cost 0", [{ ...mug, cost: 0 }]],
    ["a fractional cost", [{ ...mug, cost: 1.5 }]],
    ["a cost above a safe integer", [{ ...mug, cost: 2 ** 53 }]],
    ["negative stock", [{ ...mug, stock: -1 }]],
    ["perMember 0", [{ ...mug, perMember: 0 }]],
    ["validDays 0", [{ ...mug, coupon: { validDays: 0 } }]],
    ["from equal to to", [{ ...mug, from: "2011-01-01T00:00:00Z", to: "2011-01-01T00:00:00Z" }]],
    ["from after to", [{ ...mug, from: "2012-01-01T00:00:00Z", to: "2011-01-01T00:00:00Z" }]],
    ["a bad id", [{ ...mug, id: "a/b" }]],
    ["duplicate ids", [mug, { ...mug, cost: 1 }]],
    ["an unknown tier", [{ ...mug, tiers: ["gold"] }]],
    ["not an array", { mug }],
  ])("rejects %s", (_, rewards) => {
    expect(valid(rewards)).toBe(false);
  });
  it("keeps the program as given (no default added)", () => {
    const parsed = programSchema.parse(baseProgram()) as Program;
    expect("rewards" in parsed).toBe(false);
  });
});
