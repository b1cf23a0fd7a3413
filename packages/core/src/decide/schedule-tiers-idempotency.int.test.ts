import { describe, expect, it } from "vitest";
import { club, day, join, program, purchase, redeem, refund, T0 } from "../testing/harness.js";

describe("5.6 scheduled items", () => {
  it("expiries are recorded by the next command, dated at expiresAt, in FIFO order", async () => {
    const c = club(program({ expiry: { policy: "rolling", days: 10 } }));
    await c.ok(join("a", T0), purchase("a", day(1), "p1", "5"), purchase("a", day(1), "p2", "7"));
    await c.ok({ type: "feedback", memberId: "a", at: day(20), feedbackId: "f", score: 9 });
    const s = await c.stream("a");
    const exp = s.filter((e) => e.type === "PointsExpired");
    expect(exp.map((e) => [(e.data as { points: number }).points, e.occurredAt])).toEqual([
      [5, new Date(day(11)).toISOString()],
      [7, new Date(day(11)).toISOString()],
    ]);
    expect(s.at(-1)?.type).toBe("FeedbackSubmitted");
  });
  it("calendar expiry (years: 1) ends at the start of the next calendar year", async () => {
    const c = club(program({ expiry: { policy: "calendar", years: 1 } }));
    await c.ok(join("a", T0), purchase("a", day(100), "p1", "5"));
    expect((await c.stream("a")).at(-1)?.data).toMatchObject({ expiresAt: "2012-01-01T00:00:00.000Z" });
  });
  it("birthdays: 29 Feb falls on 28 Feb in common years; missed years are all paid in order by a sweep", async () => {
    const c = club(program({ earn: { birthdayBonus: 100 } }));
    await c.ok(join("a", "2011-01-10T08:00:00Z", { birthDate: "1988-02-29" }));
    await c.ok({ type: "sweep", at: "2013-03-01T00:00:00Z" });
    const bdays = (await c.stream("a")).filter((e) => (e.data as { reason?: string }).reason === "birthday");
    expect(bdays.map((e) => [(e.data as { birthdayYear: number }).birthdayYear, e.occurredAt])).toEqual([
      [2011, "2011-02-28T00:00:00.000Z"],
      [2012, "2012-02-29T00:00:00.000Z"],
      [2013, "2013-02-28T00:00:00.000Z"],
    ]);
  });
  it("a birthday on the join day is paid by the next command, dated at the join time", async () => {
    const c = club(program({ earn: { birthdayBonus: 100 } }));
    await c.ok(join("a", "2011-04-02T15:00:00Z", { birthDate: "1979-04-02" }));
    expect(await c.types("a")).toEqual(["MemberJoined"]);
    await c.ok(purchase("a", "2011-04-03T12:00:00Z", "p", "1"));
    const b = (await c.stream("a"))[1];
    expect(b?.data).toMatchObject({ reason: "birthday", birthdayYear: 2011 });
    expect(b?.occurredAt).toBe("2011-04-02T15:00:00.000Z");
  });
  it("a sweep skips members whose last event is after now, and a second sweep at the same now appends nothing new", async () => {
    const c = club(program({ expiry: { policy: "rolling", days: 5 } }));
    await c.ok(join("a", T0), purchase("a", day(1), "p", "5"), join("b", day(30)));
    const first = await c.ok({ type: "sweep", at: day(10) });
    expect(first.map((e) => e.type)).toEqual(["PointsExpired"]);
    expect(await c.ok({ type: "sweep", at: day(10) })).toEqual([]);
    expect(await c.types("b")).toEqual(["MemberJoined"]);
  });
});

describe("5.7 tiers", () => {
  it("moves up at once, down only after retention; metric written as plain decimal", async () => {
    const c = club(program({ tiers: { windowDays: 30, retentionDays: 60 } }));
    await c.ok(join("a", T0), purchase("a", day(1), "p1", "600.50"));
    const up = (await c.stream("a")).at(-1);
    expect(up?.data).toEqual({ from: "bronze", to: "silver", direction: "up", metric: "600.5" });
    // Metric 0 but still within retention: the sweep appends nothing.
    expect(await c.ok({ type: "sweep", at: day(40) })).toEqual([]);
    await c.ok({ type: "sweep", at: day(61) });
    expect((await c.stream("a")).at(-1)?.data).toEqual({
      from: "silver",
      to: "bronze",
      direction: "down",
      metric: "0",
    });
  });
  it("refunds reduce the spend metric", async () => {
    const c = club(program({ tiers: { retentionDays: 0 } }));
    await c.ok(join("a", T0), purchase("a", day(1), "p1", "600"));
    await c.ok(refund("a", day(2), "p1", "c1", "200"));
    expect((await c.stream("a")).at(-1)?.data).toEqual({
      from: "silver",
      to: "bronze",
      direction: "down",
      metric: "400",
    });
  });
});

describe("5.9 idempotency", () => {
  it("the same command again is a no-op (at as an instant, amount as a number); other content IDEMPOTENCY_CONFLICT", async () => {
    const c = club();
    await c.ok(join("a", T0), purchase("a", "2011-01-02T10:00:00Z", "p1", "50"));
    const before = (await c.stream("a")).length;
    expect(await c.run(purchase("a", "2011-01-02T13:30:00+03:30", "p1", "50.00"))).toMatchObject({
      replay: true,
    });
    expect(await c.code(purchase("a", "2011-01-02T10:00:00Z", "p1", "51"))).toBe("IDEMPOTENCY_CONFLICT");
    expect(await c.code(purchase("a", "2011-01-02T10:00:00Z", "p1", "50", { channel: "web" }))).toBe(
      "IDEMPOTENCY_CONFLICT",
    );
    expect((await c.stream("a")).length).toBe(before);
  });
  it("a rejected command claims nothing: the same id is decided afresh", async () => {
    const c = club();
    await c.ok(join("a", T0));
    expect(await c.code(redeem("a", day(1), "r1", 5))).toBe("INSUFFICIENT_POINTS");
    await c.ok(purchase("a", day(2), "p", "10"));
    expect(await c.code(redeem("a", day(3), "r1", 5))).toBe("ACCEPTED");
  });
  it("an idempotent replay is accepted even when older than the last event (step 3 before step 4)", async () => {
    const c = club();
    await c.ok(join("a", T0), purchase("a", day(1), "p1", "10"), purchase("a", day(5), "p2", "10"));
    expect(await c.run(purchase("a", day(1), "p1", "10"))).toMatchObject({
      status: "accepted",
      replay: true,
    });
    expect(await c.code(purchase("a", day(2), "p3", "10"))).toBe("OUT_OF_ORDER");
  });
});
