import { readFileSync } from "node:fs";
import { createPgliteStore } from "@vafa/adapters/pglite";
import { createPostgresStore } from "@vafa/adapters/postgres";
import type { EventStore, Program } from "@vafa/core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningService, startService } from "./main.js";

// The API over real HTTP on 127.0.0.1 (ephemeral port), on PGlite, and on
// PostgreSQL too when VAFA_PG_URL is set.

const program = JSON.parse(
  readFileSync(new URL("../../fixtures/online-retail/program.json", import.meta.url), "utf8"),
) as Program;

interface Reply {
  status: number;
  type: string | null;
  headers: Headers;
  body: Record<string, unknown>;
}

const stores: { name: string; open: () => Promise<EventStore>; cleanup?: () => Promise<void> }[] = [
  { name: "PGlite", open: () => createPgliteStore({}) },
];
const pgUrl = process.env.VAFA_PG_URL;
if (pgUrl) {
  // a fresh schema per run keeps runs independent; it is dropped at the end
  const schema = `vafa_http_${process.pid}_${Date.now()}`;
  stores.push({
    name: "PostgreSQL",
    open: () => createPostgresStore({ connectionString: pgUrl, schema }),
    cleanup: async () => {
      const client = new pg.Client({ connectionString: pgUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  });
}

for (const { name, open, cleanup } of stores) {
  describe(`examples/http-service on ${name}`, () => {
    let store: EventStore;
    let service: RunningService;
    let clock = "2011-02-01T09:00:00.000Z";

    const call = async (
      method: string,
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) => {
      const res = await fetch(`${service.url}${path}`, {
        method,
        headers: { "content-type": "application/json", ...headers },
        ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
      });
      return {
        status: res.status,
        type: res.headers.get("content-type"),
        headers: res.headers,
        body: await res.json(),
      } as Reply;
    };
    const expectProblem = (reply: Reply, status: number, code: string) => {
      expect(reply.status).toBe(status);
      expect(reply.type).toBe("application/problem+json");
      expect(reply.body).toMatchObject({ status, code, type: `urn:vafa:error:${code}` });
      expect(typeof reply.body.detail).toBe("string");
    };

    beforeAll(async () => {
      store = await open();
      service = await startService({
        store,
        program,
        port: 0,
        publishAt: "2011-01-01T00:00:00Z",
        now: () => clock,
      });
      expect(service.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    });
    afterAll(async () => {
      await service?.close();
      await store?.close();
      await cleanup?.();
    });

    it("5.1 join: 201 with the signup bonus; the same join again is 200 and appends nothing", async () => {
      const join = { memberId: "ann", at: "2011-02-01T09:00:00Z", kind: "person" };
      const first = await call("POST", "/members", join);
      expect(first.status).toBe(201);
      expect((first.body.events as { type: string }[]).map((e) => e.type)).toEqual([
        "MemberJoined",
        "PointsEarned",
      ]);
      const again = await call("POST", "/members", join);
      expect(again.status).toBe(200);
      expect(again.headers.get("idempotent-replayed")).toBe("true");
      expect(again.body).toMatchObject({ replay: true, events: [] });
      expectProblem(await call("POST", "/members", { ...join, kind: "organization" }), 409, "MEMBER_EXISTS");
    });

    it("5.9 the Idempotency-Key becomes the purchaseId; a retry is a 200 no-op; other content under it is 409", async () => {
      const body = { at: "2011-02-01T10:00:00Z", amount: "120.50" };
      const first = await call("POST", "/members/ann/purchases", body, { "Idempotency-Key": "p-1" });
      expect(first.status).toBe(201);
      expect(first.body.command).toMatchObject({ type: "purchase", memberId: "ann", purchaseId: "p-1" });
      const earned = (first.body.events as { type: string; data: { points?: number } }[]).find(
        (e) => e.type === "PointsEarned",
      );
      expect(earned?.data.points).toBe(120); // floor(120.50 * 1), bronze x1, no campaign in February

      const retry = await call("POST", "/members/ann/purchases", body, { "Idempotency-Key": "p-1" });
      expect(retry.status).toBe(200);
      expect(retry.body.events).toEqual([]);

      expectProblem(
        await call("POST", "/members/ann/purchases", { ...body, amount: "99" }, { "Idempotency-Key": "p-1" }),
        409,
        "IDEMPOTENCY_CONFLICT",
      );
    });

    it("5.9 a retry without `at` reuses the time of the first attempt, so it stays the same command", async () => {
      clock = "2011-02-02T08:00:00.000Z";
      const first = await call(
        "POST",
        "/members/ann/purchases",
        { amount: "10" },
        { "Idempotency-Key": "p-2" },
      );
      expect(first.status).toBe(201);
      expect(first.body.command).toMatchObject({ at: "2011-02-02T08:00:00.000Z" });
      clock = "2011-02-02T08:05:00.000Z"; // the client retried five minutes later
      const retry = await call(
        "POST",
        "/members/ann/purchases",
        { amount: "10" },
        { "Idempotency-Key": "p-2" },
      );
      expect(retry.status).toBe(200);
      expect(retry.body.command).toMatchObject({ at: "2011-02-02T08:00:00.000Z" });
    });

    it("a key that differs from the id in the body, or no id at all, is 400 VALIDATION", async () => {
      const body = { at: "2011-02-02T09:00:00Z", amount: "5", purchaseId: "p-3" };
      expectProblem(
        await call("POST", "/members/ann/purchases", body, { "Idempotency-Key": "p-4" }),
        400,
        "VALIDATION",
      );
      const noId = await call("POST", "/members/ann/purchases", { at: "2011-02-02T09:00:00Z", amount: "5" });
      expectProblem(noId, 400, "VALIDATION");
      expect(String(noId.body.detail)).toContain("Idempotency-Key");
    });

    it("bodies are validated by the zod schemas of the commands: 400 with the failing fields", async () => {
      const bad = await call(
        "POST",
        "/members/ann/purchases",
        { amount: "12,50", colour: "red" },
        { "Idempotency-Key": "p-5" },
      );
      expectProblem(bad, 400, "VALIDATION");
      const paths = (bad.body.errors as { path: string }[]).map((e) => e.path);
      expect(paths).toContain("amount");
      expectProblem(await call("POST", "/members", "{not json"), 400, "VALIDATION");
      expectProblem(
        await call("POST", "/members/ann/redemptions", { points: 1.5 }, { "Idempotency-Key": "r-x" }),
        400,
        "VALIDATION",
      );
    });

    it("5.8 rejections carry the ledger's code and an HTTP status", async () => {
      const at = "2011-02-20T10:00:00Z";
      expectProblem(
        await call("POST", "/members/bob/purchases", { at, amount: "5" }, { "Idempotency-Key": "p-6" }),
        404,
        "UNKNOWN_MEMBER",
      );
      expectProblem(
        await call("POST", "/members/ann/redemptions", { at, points: 400 }, { "Idempotency-Key": "r-1" }),
        422,
        "BELOW_MIN_REDEMPTION",
      );
      expectProblem(
        await call("POST", "/members/ann/redemptions", { at, points: 500 }, { "Idempotency-Key": "r-1" }),
        422,
        "INSUFFICIENT_POINTS",
      );
      expectProblem(
        await call(
          "POST",
          "/members/ann/refunds",
          { at, purchaseId: "nope", amount: "1" },
          { "Idempotency-Key": "C-1" },
        ),
        404,
        "UNKNOWN_PURCHASE",
      );
      expectProblem(
        await call(
          "POST",
          "/members/ann/refunds",
          { at, purchaseId: "p-2", amount: "10.01" },
          { "Idempotency-Key": "C-1" },
        ),
        422,
        "REFUND_EXCEEDS_PURCHASE",
      );
      expectProblem(
        await call("POST", "/members", { memberId: "cy", at, kind: "person", referredBy: "zed" }),
        422,
        "REFERRER_NOT_FOUND",
      );
      expectProblem(
        await call(
          "POST",
          "/members/ann/purchases",
          { at, amount: "5", currency: "EUR" },
          { "Idempotency-Key": "p-7" },
        ),
        422,
        "CURRENCY_MISMATCH",
      );
      expectProblem(
        await call(
          "POST",
          "/members/ann/purchases",
          { at: "2011-01-01T00:00:00Z", amount: "5" },
          { "Idempotency-Key": "p-8" },
        ),
        409,
        "OUT_OF_ORDER",
      );
      expectProblem(await call("GET", "/nowhere"), 404, "NOT_FOUND");
    });

    it("5.3 a refund claws back in proportion, and the balance shows it (5.4 pending, 6 balances)", async () => {
      const refund = await call(
        "POST",
        "/members/ann/refunds",
        { at: "2011-02-20T11:00:00Z", purchaseId: "p-1", amount: "20.50" },
        { "Idempotency-Key": "C-2" },
      );
      expect(refund.status).toBe(201);
      const clawed = (refund.body.events as { type: string; data: { points?: number } }[]).find(
        (e) => e.type === "PointsClawedBack",
      );
      expect(clawed?.data.points).toBe(20); // floor(120 * 20.50 / 120.50)

      // 2 Feb: the 120 + 10 purchase points are pending for 14 days; the signup 100 is available
      const early = await call("GET", "/members/ann/balance?asOf=2011-02-02T12:00:00Z");
      expect(early.status).toBe(200);
      expect(early.body).toMatchObject({
        memberId: "ann",
        available: 100,
        pending: 130,
        debt: 0,
        tier: "bronze",
        net: 230,
      });
      const late = await call("GET", "/members/ann/balance?asOf=2011-03-01T00:00:00Z");
      expect(late.body).toMatchObject({ available: 210, pending: 0, earned: 230, clawedBack: 20, net: 210 });
      // without asOf: the server clock
      clock = "2011-03-01T00:00:00.000Z";
      expect((await call("GET", "/members/ann/balance")).body).toMatchObject({ asOf: clock, available: 210 });
    });

    it("a redemption within the balance is accepted; the key makes it safe to retry", async () => {
      await call(
        "POST",
        "/members/ann/purchases",
        { at: "2011-03-01T10:00:00Z", amount: "400" },
        { "Idempotency-Key": "p-9" },
      );
      const body = { at: "2011-03-20T10:00:00Z", points: 500, rewardId: "mug" };
      const first = await call("POST", "/members/ann/redemptions", body, { "Idempotency-Key": "r-2" });
      expect(first.status).toBe(201);
      const again = await call("POST", "/members/ann/redemptions", body, { "Idempotency-Key": "r-2" });
      expect(again.status).toBe(200);
      const balance = await call("GET", "/members/ann/balance?asOf=2011-03-20T10:00:00Z");
      expect(balance.body).toMatchObject({ available: 110, redeemed: 500 }); // 210 + 400 - 500, redeemed once
      expectProblem(await call("GET", "/members/nobody/balance"), 404, "UNKNOWN_MEMBER");
      expectProblem(await call("GET", "/members/ann/balance?asOf=yesterday"), 400, "VALIDATION");
    });
  });
}
