import {
  type Command,
  commandSchemas,
  type EventStore,
  type Ledger,
  memberStreamId,
  type Program,
  parseTime,
  type RejectionCode,
  type StoredEvent,
  VafaError,
} from "@vafa/core";
import { createLedgerProjection } from "@vafa/projections";
import type { Context } from "hono";
import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";

/**
 * HTTP API over one ledger:
 *
 *   POST /members                           join       (own id: memberId)
 *   POST /members/:memberId/purchases       purchase   (own id: purchaseId)
 *   POST /members/:memberId/refunds         refund     (own id: refundId)
 *   POST /members/:memberId/redemptions     redeem     (own id: redemptionId)
 *   GET  /members/:memberId/balance[?asOf=] balance as of a time (default: now)
 *   GET  /rewards                            the catalogue with stock left (club-v1 §2)
 *   POST /members/:memberId/rewards/:rewardId          redeem a reward (own id: redemptionId);
 *                                                      the reply has the coupon's code when it issues one
 *   POST /members/:memberId/coupons/:couponId/use      use-coupon at the till (own id: couponId)
 *
 * Idempotency: the `Idempotency-Key` header IS the command's own id. When the
 * body leaves the id out, the key becomes it; when the body has it too, both
 * must be equal (else 400). A retry is then the same command, which the ledger
 * answers with the first result (spec 5.9). A body without `at` is dated by the
 * server clock on its first attempt; a retry without `at` reuses the time the
 * first attempt was recorded at, so it stays the same command.
 *
 * Errors are RFC 9457 `application/problem+json` with the ledger's `code`.
 */

/** HTTP status of each rejection code (see docs/errors.md). */
const STATUS_OF: Record<RejectionCode, ContentfulStatusCode> = {
  VALIDATION: 400,
  CURRENCY_MISMATCH: 422,
  MEMBER_EXISTS: 409,
  SELF_REFERRAL: 422,
  REFERRER_NOT_FOUND: 422,
  UNKNOWN_MEMBER: 404,
  IDEMPOTENCY_CONFLICT: 409,
  ALREADY_REVERSED: 409,
  OUT_OF_ORDER: 409,
  BELOW_MIN_REDEMPTION: 422,
  INSUFFICIENT_POINTS: 422,
  UNKNOWN_PURCHASE: 404,
  REFUND_EXCEEDS_PURCHASE: 422,
  UNKNOWN_REDEMPTION: 404,
  CONCURRENCY: 503,
  // Rewards and coupons (club-v1 §7).
  UNKNOWN_REWARD: 404,
  REWARD_NOT_AVAILABLE: 422,
  REWARD_LIMIT: 422,
  OUT_OF_STOCK: 409,
  UNKNOWN_COUPON: 404,
  COUPON_CODE_MISMATCH: 422,
  COUPON_VOID: 409,
  COUPON_USED: 409,
  COUPON_EXPIRED: 422,
  // Prize draws (club spec §7).
  UNKNOWN_DRAW: 404,
  DRAW_CLOSED: 422,
  TIER_NOT_ELIGIBLE: 422,
  TICKET_LIMIT: 422,
  DRAW_NOT_CLOSED: 409,
  SEED_MISMATCH: 422,
  ALREADY_DRAWN: 409,
  // forget under a program that does not encrypt personal data (club-v1 §6)
  ERASURE_UNAVAILABLE: 422,
};

const TITLES: Record<string, string> = {
  VALIDATION: "The request is not a valid command",
  STORE_UNAVAILABLE: "The event store does not answer",
  INTERNAL: "Unexpected error",
};

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  errors?: { path: string; message: string }[];
}

const problem = (
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  detail: string,
  extra: Partial<Problem> = {},
) => {
  const body: Problem = {
    type: `urn:vafa:error:${code}`,
    title: TITLES[code] ?? code.toLowerCase().replaceAll("_", " "),
    status,
    detail,
    code,
    instance: c.req.path,
    ...extra,
  };
  if (code === "CONCURRENCY" || code === "STORE_UNAVAILABLE") c.header("Retry-After", "1");
  return c.body(JSON.stringify(body), status, { "Content-Type": "application/problem+json" });
};

// Request bodies: the command schemas of @vafa/core without what the URL or the
// header gives (type, memberId, own id, at are optional here).
const bodies = {
  join: commandSchemas.join.omit({ type: true }).partial({ at: true, memberId: true }),
  purchase: commandSchemas.purchase
    .omit({ type: true, memberId: true })
    .partial({ at: true, purchaseId: true }),
  refund: commandSchemas.refund.omit({ type: true, memberId: true }).partial({ at: true, refundId: true }),
  redeem: commandSchemas.redeem
    .omit({ type: true, memberId: true })
    .partial({ at: true, redemptionId: true }),
  // The reward comes from the URL; `points` may be left out (it means the cost, club-v1 §2).
  "redeem-reward": commandSchemas.redeem
    .omit({ type: true, memberId: true, rewardId: true })
    .partial({ at: true, redemptionId: true }),
  // The coupon id comes from the URL: it is the idempotency key (club-v1 §2).
  "use-coupon": commandSchemas["use-coupon"]
    .omit({ type: true, memberId: true, couponId: true })
    .partial({ at: true }),
};
type BodyKind = keyof typeof bodies;
const OWN_ID: Record<BodyKind, string> = {
  join: "memberId",
  purchase: "purchaseId",
  refund: "refundId",
  redeem: "redemptionId",
  "redeem-reward": "redemptionId",
  "use-coupon": "couponId",
};
/** The command type each body makes. */
const TYPE_OF: Record<BodyKind, Command["type"]> = {
  join: "join",
  purchase: "purchase",
  refund: "refund",
  redeem: "redeem",
  "redeem-reward": "redeem",
  "use-coupon": "use-coupon",
};

export interface AppOptions {
  ledger: Ledger;
  store: EventStore;
  program: Program;
  /** Clock for commands without `at` and balances without `asOf` (default: system clock). */
  now?: () => string;
}

const zodErrors = (error: z.ZodError) =>
  error.issues.map((i) => ({ path: i.path.join(".") || "(body)", message: i.message }));

export const createApp = (options: AppOptions): Hono => {
  const { ledger, store, program } = options;
  const now = options.now ?? (() => new Date().toISOString());
  const app = new Hono();

  /** When the first attempt of this command was recorded, if it was. */
  const firstAttemptAt = async (memberId: string, commandId: string): Promise<string | undefined> => {
    const events: StoredEvent[] = await store.readStream(memberStreamId(memberId));
    return events.find((e) => e.metadata.commandId === commandId)?.occurredAt;
  };

  /** Claims minus releases in the reward's stream (club-v1 §2: stock is counted in revision order). */
  const claimedOf = async (rewardId: string): Promise<number> => {
    let held = 0;
    for (const e of await store.readStream(`reward-${rewardId}`))
      held += e.type === "RewardClaimed" ? 1 : e.type === "RewardReleased" ? -1 : 0;
    return held;
  };

  /** The coupon a redemption issued, if any (also on a replay, which appends nothing). */
  const couponOf = async (memberId: string, redemptionId: string) => {
    const events: StoredEvent[] = await store.readStream(memberStreamId(memberId));
    const issued = events.find(
      (e) => e.type === "CouponIssued" && (e.data as { couponId: string }).couponId === redemptionId,
    );
    return issued ? (issued.data as { couponId: string; code: string; validUntil: string }) : undefined;
  };

  /**
   * One command from a request. `fromPath`: fields the URL gives (the reward or
   * the coupon); the body may not give them.
   */
  const run = async (
    c: Context,
    kind: BodyKind,
    memberIdFromPath?: string,
    fromPath: Record<string, string> = {},
  ) => {
    let json: unknown;
    try {
      json = await c.req.json();
    } catch {
      return problem(c, 400, "VALIDATION", "the body must be a JSON object");
    }
    const parsed = bodies[kind].safeParse(json);
    if (!parsed.success)
      return problem(c, 400, "VALIDATION", "the body breaks the command's rules", {
        errors: zodErrors(parsed.error),
      });
    const body: Record<string, unknown> = { ...parsed.data, ...fromPath };

    const ownKey = OWN_ID[kind];
    const key = c.req.header("Idempotency-Key");
    if (key !== undefined) {
      if (body[ownKey] === undefined) body[ownKey] = key;
      else if (body[ownKey] !== key)
        return problem(
          c,
          400,
          "VALIDATION",
          `Idempotency-Key ${key} differs from ${ownKey} ${String(body[ownKey])}; send one id or equal ones`,
        );
    }
    if (body[ownKey] === undefined)
      return problem(c, 400, "VALIDATION", `${ownKey}: give it in the body or as the Idempotency-Key header`);

    const memberId = memberIdFromPath ?? String(body.memberId);
    if (body.at === undefined)
      body.at = (await firstAttemptAt(memberId, `${TYPE_OF[kind]}:${String(body[ownKey])}`)) ?? now();

    // Key order of spec 5: type, memberId, at, then the rest.
    const { at, ...rest } = body;
    // A request body: execute validates it at run time (step 1), whatever its static type.
    const command = { type: TYPE_OF[kind], memberId, at, ...rest } as Command;
    const outcome = await ledger.execute(command);
    if (outcome.status === "rejected") {
      const { code, message } = outcome.rejection;
      return problem(c, STATUS_OF[code], code, message);
    }
    if (outcome.replay) c.header("Idempotent-Replayed", "true");
    const coupon = kind === "redeem-reward" ? await couponOf(memberId, String(body.redemptionId)) : undefined;
    return c.json(
      {
        status: "accepted",
        replay: outcome.replay,
        command,
        // The code is a bearer secret (club-v1 §2): show it to the member, print it on the voucher.
        ...(coupon ? { coupon } : {}),
        events: outcome.events.map((e) => ({
          streamId: e.streamId,
          type: e.type,
          occurredAt: e.occurredAt,
          data: e.data,
        })),
      },
      outcome.replay ? 200 : 201,
    );
  };

  app.post("/members", (c) => run(c, "join"));
  app.post("/members/:memberId/purchases", (c) => run(c, "purchase", c.req.param("memberId")));
  app.post("/members/:memberId/refunds", (c) => run(c, "refund", c.req.param("memberId")));
  app.post("/members/:memberId/redemptions", (c) => run(c, "redeem", c.req.param("memberId")));

  app.post("/members/:memberId/rewards/:rewardId", (c) =>
    run(c, "redeem-reward", c.req.param("memberId"), { rewardId: c.req.param("rewardId") }),
  );
  app.post("/members/:memberId/coupons/:couponId/use", (c) =>
    run(c, "use-coupon", c.req.param("memberId"), { couponId: c.req.param("couponId") }),
  );

  app.get("/rewards", async (c) => {
    const rewards = await Promise.all(
      (program.rewards ?? []).map(async (r) => {
        const claimed = r.stock === undefined ? null : await claimedOf(r.id);
        return {
          ...r,
          stock: r.stock ?? null,
          claimed,
          stockLeft: r.stock === undefined || claimed === null ? null : r.stock - claimed,
        };
      }),
    );
    return c.json({ rewards });
  });

  app.get("/members/:memberId/balance", async (c) => {
    const memberId = c.req.param("memberId");
    const asOf = c.req.query("asOf") ?? now();
    if (parseTime(asOf) === undefined)
      return problem(c, 400, "VALIDATION", `asOf: must be a time like 2011-01-04T10:00:00Z, got ${asOf}`);
    const events = await store.readStream(memberStreamId(memberId));
    if (events.length === 0)
      return problem(c, 404, "UNKNOWN_MEMBER", `member ${memberId} has not joined; send a join first`);
    const projection = createLedgerProjection({ program });
    for (const e of events) projection.apply(e);
    const row = projection.balancesAsOf(asOf).find((b) => b.memberId === memberId);
    if (!row) return problem(c, 404, "UNKNOWN_MEMBER", `member ${memberId} had not joined at ${asOf}`);
    return c.json({
      asOf: new Date(parseTime(asOf) as number).toISOString(),
      ...row,
      net: row.available + row.pending - row.debt,
    });
  });

  app.notFound((c) => problem(c, 404, "NOT_FOUND", `no route ${c.req.method} ${c.req.path}`));
  app.onError((error, c) => {
    if (error instanceof VafaError) {
      const status = error.code === "STORE_UNAVAILABLE" || error.code === "CONCURRENCY" ? 503 : 500;
      return problem(c, status, error.code, error.message);
    }
    console.error(error);
    return problem(c, 500, "INTERNAL", "unexpected error; see the server log");
  });
  return app;
};
