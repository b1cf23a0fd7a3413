import { readFileSync } from "node:fs";
import { createPgliteStore } from "@vafa/adapters/pglite";
import { couponCode, type EventStore, type Program } from "@vafa/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningService, startService } from "./main.js";

// The reward endpoints (club-v1 §2) over real HTTP on 127.0.0.1, on PGlite:
// the catalogue with stock left, redeeming a reward (with its coupon code),
// using a coupon at the till.

const SECRET = "vafa-test-secret";
const base = JSON.parse(
  readFileSync(new URL("../../fixtures/online-retail/program.json", import.meta.url), "utf8"),
) as Program;
const program = {
  ...base,
  version: base.version + 1,
  rewards: [
    { id: "mug", cost: 500, stock: 1, coupon: { validDays: 30 } },
    { id: "tote", cost: 600, from: "2011-01-01T00:00:00Z" },
  ],
} as Program;

interface Reply {
  status: number;
  type: string | null;
  body: Record<string, unknown>;
}

describe("examples/http-service reward endpoints on PGlite (club-v1 §2)", () => {
  let store: EventStore;
  let service: RunningService;
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${service.url}${path}`, {
      method,
      headers: { "content-type": "application/json", ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, type: res.headers.get("content-type"), body: await res.json() } as Reply;
  };
  const expectProblem = (reply: Reply, status: number, code: string) => {
    expect(reply.type).toBe("application/problem+json");
    expect(reply.body).toMatchObject({ status, code });
    expect(reply.status).toBe(status);
  };

  beforeAll(async () => {
    store = await createPgliteStore({});
    service = await startService({
      store,
      program,
      port: 0,
      publishAt: "2011-01-01T00:00:00Z",
      now: () => "2011-02-01T09:00:00.000Z",
      couponSecret: SECRET,
    });
    for (const memberId of ["ann", "bob"]) {
      await call("POST", "/members", { memberId, at: "2011-01-02T09:00:00Z", kind: "person" });
      await call(
        "POST",
        `/members/${memberId}/purchases`,
        { at: "2011-01-02T10:00:00Z", amount: "2000" },
        {
          "Idempotency-Key": `p-${memberId}`,
        },
      );
    }
  });
  afterAll(async () => {
    await service?.close();
    await store?.close();
  });

  it("GET /rewards lists the catalogue with stock left", async () => {
    const reply = await call("GET", "/rewards");
    expect(reply.status).toBe(200);
    expect(reply.body.rewards).toEqual([
      { id: "mug", cost: 500, stock: 1, coupon: { validDays: 30 }, claimed: 0, stockLeft: 1 },
      { id: "tote", cost: 600, from: "2011-01-01T00:00:00Z", stock: null, claimed: null, stockLeft: null },
    ]);
  });

  it("POST /members/:id/rewards/:rewardId redeems it and returns the coupon code; a retry returns it again", async () => {
    const body = { at: "2011-02-01T10:00:00Z" };
    const first = await call("POST", "/members/ann/rewards/mug", body, { "Idempotency-Key": "r-1" });
    expect(first.status).toBe(201);
    expect(first.body.command).toEqual({
      type: "redeem",
      memberId: "ann",
      at: "2011-02-01T10:00:00Z",
      redemptionId: "r-1",
      rewardId: "mug",
    });
    const code = couponCode(SECRET, "ann", "r-1");
    expect(first.body.coupon).toEqual({
      couponId: "r-1",
      rewardId: "mug",
      code,
      validUntil: "2011-03-03T10:00:00.000Z",
    });
    const again = await call("POST", "/members/ann/rewards/mug", body, { "Idempotency-Key": "r-1" });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ replay: true, events: [], coupon: { code } });
    // Stock is gone for everyone else; the catalogue shows it.
    expectProblem(
      await call("POST", "/members/bob/rewards/mug", body, { "Idempotency-Key": "r-2" }),
      409,
      "OUT_OF_STOCK",
    );
    expect(
      ((await call("GET", "/rewards")).body.rewards as { stockLeft: number | null }[])[0]?.stockLeft,
    ).toBe(0);
    // A reward without coupon: no `coupon` in the reply.
    const tote = await call("POST", "/members/bob/rewards/tote", body, { "Idempotency-Key": "r-3" });
    expect(tote.status).toBe(201);
    expect(tote.body.coupon).toBeUndefined();
    expectProblem(
      await call("POST", "/members/bob/rewards/hat", body, { "Idempotency-Key": "r-4" }),
      404,
      "UNKNOWN_REWARD",
    );
    expectProblem(
      await call(
        "POST",
        "/members/bob/rewards/tote",
        { ...body, rewardId: "mug" },
        { "Idempotency-Key": "r-5" },
      ),
      400,
      "VALIDATION",
    );
  });

  it("POST /members/:id/coupons/:couponId/use uses the coupon once; a wrong code or a second use is refused", async () => {
    const code = couponCode(SECRET, "ann", "r-1");
    expectProblem(
      await call("POST", "/members/ann/coupons/r-1/use", {
        at: "2011-02-02T10:00:00Z",
        code: code.toLowerCase(),
      }),
      422,
      "COUPON_CODE_MISMATCH",
    );
    const use = { at: "2011-02-02T10:00:00Z", code, orderId: "till-7" };
    const first = await call("POST", "/members/ann/coupons/r-1/use", use);
    expect(first.status).toBe(201);
    expect(first.body.events).toEqual([
      expect.objectContaining({ type: "CouponUsed", data: { couponId: "r-1", orderId: "till-7" } }),
    ]);
    expect((await call("POST", "/members/ann/coupons/r-1/use", use)).status).toBe(200);
    expectProblem(
      await call("POST", "/members/ann/coupons/r-1/use", { ...use, orderId: "till-8" }),
      409,
      "COUPON_USED",
    );
    expectProblem(
      await call("POST", "/members/ann/coupons/nope/use", { at: "2011-02-02T11:00:00Z", code }),
      404,
      "UNKNOWN_COUPON",
    );
  });
});
