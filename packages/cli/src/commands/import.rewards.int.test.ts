import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { couponCode, type StoredEvent } from "@vafa/core";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../cli.js";
import { openStore } from "../stores.js";
import { memoryIo } from "../testing/memory-io.js";
import { program } from "../testing/program.js";

// club-v1 §7, §8: every new rejection code through `vafa import`, with the store unchanged.

const SECRET = "vafa-test-secret";
const clubProgram = program({
  programId: "club",
  tiers: {
    levels: [
      { id: "bronze", threshold: "0", multiplier: "1" },
      { id: "silver", threshold: "100000", multiplier: "1" },
    ],
  },
  rewards: [
    { id: "mug", cost: 100, stock: 1, perMember: 1, coupon: { validDays: 10 } },
    { id: "cup", cost: 10, coupon: { validDays: 10 } },
    { id: "vip", cost: 10, tiers: ["silver"] },
    { id: "late", cost: 10, from: "2012-01-01T00:00:00Z" },
  ],
});
const at = (day: number) => `2011-01-${String(day).padStart(2, "0")}T10:00:00Z`;
const lines = (...commands: object[]) => `${commands.map((c) => JSON.stringify(c)).join("\n")}\n`;
const redeem = (memberId: string, day: number, redemptionId: string, rewardId: string) => ({
  type: "redeem",
  memberId,
  at: at(day),
  redemptionId,
  rewardId,
});
const use = (memberId: string, day: number, couponId: string, code: string) => ({
  type: "use-coupon",
  memberId,
  at: at(day),
  couponId,
  code,
});
const code = (memberId: string, id: string) => couponCode(SECRET, memberId, id);

const setUp = () => {
  const dir = mkdtempSync(join(tmpdir(), "vafa-rewards-"));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  return { dir, file, store: `pglite:${join(dir, "store")}` };
};
const eventIds = async (url: string): Promise<string[]> => {
  const store = await openStore(url);
  try {
    const ids: string[] = [];
    for await (const e of store.readAll()) ids.push((e as StoredEvent).eventId);
    return ids;
  } finally {
    await store.close();
  }
};

afterEach(() => {
  delete process.env.VAFA_COUPON_SECRET;
});

describe("club-v1 §8 vafa import with rewards and coupons", () => {
  it("every new rejection code, each leaving the store unchanged", async () => {
    const { file, store } = setUp();
    const prog = file("program.json", JSON.stringify(clubProgram));
    const secret = file("secret.txt", `${SECRET}\n`);
    const setup = file(
      "setup.ndjson",
      lines(
        ...["m1", "m2"].flatMap((m) => [
          { type: "join", memberId: m, at: at(1), kind: "person" },
          { type: "purchase", memberId: m, at: at(1), purchaseId: `p-${m}`, amount: "1000" },
        ]),
        redeem("m1", 2, "r1", "mug"),
        redeem("m2", 2, "c1", "cup"),
        redeem("m2", 2, "c2", "cup"),
        redeem("m2", 2, "c3", "cup"),
        use("m2", 3, "c1", code("m2", "c1")),
        { type: "reverse-redemption", memberId: "m2", at: at(3), redemptionId: "c2" },
      ),
    );
    const m = memoryIo();
    expect(
      await runCli(
        ["import", "--program", prog, "--store", store, "--coupon-secret-file", secret, setup],
        m.io,
      ),
    ).toBe(0);
    const before = await eventIds(store);
    const cases: [string, object][] = [
      ["UNKNOWN_REWARD", redeem("m2", 4, "x1", "nope")],
      ["REWARD_NOT_AVAILABLE", redeem("m2", 4, "x2", "late")],
      ["TIER_NOT_ELIGIBLE", redeem("m2", 4, "x3", "vip")],
      ["REWARD_LIMIT", redeem("m1", 4, "r2", "mug")],
      ["OUT_OF_STOCK", redeem("m2", 4, "x4", "mug")],
      ["UNKNOWN_COUPON", use("m2", 4, "x5", "0000000000000000")],
      ["COUPON_CODE_MISMATCH", use("m2", 4, "c3", code("m2", "c3").toLowerCase())],
      ["COUPON_VOID", use("m2", 4, "c2", code("m2", "c2"))],
      ["COUPON_USED", use("m2", 4, "c1", code("m2", "c1"))],
      ["COUPON_USED", { type: "reverse-redemption", memberId: "m2", at: at(4), redemptionId: "c1" }],
      ["COUPON_EXPIRED", use("m2", 12, "c3", code("m2", "c3"))],
    ];
    const rejects = file("rejects.ndjson", "");
    process.env.VAFA_COUPON_SECRET = SECRET;
    const input = file("rejected.ndjson", lines(...cases.map(([, c]) => c)));
    const r = memoryIo();
    expect(
      await runCli(["import", "--program", prog, "--store", store, "--rejects", rejects, input], r.io),
    ).toBe(3);
    const got = readFileSync(rejects, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { line: number; code: string });
    expect(got.map((g) => [g.line, g.code])).toEqual(cases.map(([c], i) => [i + 1, c]));
    expect(await eventIds(store)).toEqual(before);

    // vafa coupons over the same store: every coupon as of a time, or one by its code.
    const list = memoryIo();
    expect(await runCli(["coupons", "--store", store, "--as-of", at(12)], list.io)).toBe(0);
    expect(
      (JSON.parse(list.stdout()) as { couponId: string; status: string }[]).map((c) => [
        c.couponId,
        c.status,
      ]),
    ).toEqual([
      ["r1", "expired"],
      ["c1", "used"],
      ["c2", "void"],
      ["c3", "expired"],
    ]);
    const one = memoryIo();
    expect(
      await runCli(
        ["coupons", "--store", store, "--as-of", at(4), "--code", code("m2", "c3"), "--format", "csv"],
        one.io,
      ),
    ).toBe(0);
    expect(one.stdout().split("\n")[1]).toContain("c3");
    expect(one.stdout().trim().split("\n")).toHaveLength(2);
  });

  it("exit 2 naming the setting when a coupon reward has no secret (empty is missing); nothing is stored", async () => {
    const { dir, file, store } = setUp();
    const prog = file("program.json", JSON.stringify(clubProgram));
    const input = file("c.ndjson", lines({ type: "join", memberId: "m1", at: at(1), kind: "person" }));
    for (const setting of [undefined, ""]) {
      if (setting === undefined) delete process.env.VAFA_COUPON_SECRET;
      else process.env.VAFA_COUPON_SECRET = setting;
      const m = memoryIo();
      expect(await runCli(["import", "--program", prog, "--store", store, input], m.io)).toBe(2);
      expect(m.stderr()).toContain("COUPON_SECRET_MISSING");
      expect(m.stderr()).toContain("VAFA_COUPON_SECRET");
    }
    const empty = file("empty.txt", "\n");
    const m = memoryIo();
    expect(
      await runCli(
        ["import", "--program", prog, "--store", store, "--coupon-secret-file", empty, input],
        m.io,
      ),
    ).toBe(2);
    // Refused before the store is opened: not even an empty store was created.
    expect(existsSync(join(dir, "store"))).toBe(false);
  });
});
