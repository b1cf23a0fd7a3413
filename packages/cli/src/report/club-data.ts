import type { Program, StoredEvent } from "@vafa/core";
import { CouponsProjection } from "@vafa/projections";
import type { ReportClub, ReportCouponCounts, ReportDraw, ReportReward } from "./types.js";

// The rewards & draws section's data (club-v1 §2, §3), as of the report's T:
// redemptions and claims per reward, coupons by state, draws held with winners.

const MEMBER = "member-";
const REWARD = "reward-";
const DRAW = "draw-";

interface Dated {
  at: number;
}
interface Redemption extends Dated {
  rewardId: string;
  reversedAt?: number;
}
interface Held extends Dated {
  occurredAt: string;
  entrants: number;
  tickets: number;
  winners: { rank: number; memberId: string; tickets: number }[];
}

const emptyCoupons = (): ReportCouponCounts => ({ issued: 0, open: 0, used: 0, void: 0, expired: 0 });

/** Collects the events the section needs while the report's single pass reads the log. */
export class ClubCollector {
  private readonly coupons = new CouponsProjection();
  /** `<memberId>/<redemptionId>` -> a catalogue redemption. */
  private readonly redemptions = new Map<string, Redemption>();
  /** rewardId -> claim (+1) and release (-1) times, in stream order. */
  private readonly stock = new Map<string, { at: number; delta: number }[]>();
  /** drawId -> DrawHeld. */
  private readonly held = new Map<string, Held>();
  /** drawId -> ticket purchases (DrawEntered). */
  private readonly entries = new Map<string, { at: number; tickets: number }[]>();

  apply(event: StoredEvent): void {
    const { streamId, type } = event;
    const at = Date.parse(event.occurredAt);
    const d = event.data as Record<string, unknown>;
    if (streamId.startsWith(MEMBER)) {
      const memberId = streamId.slice(MEMBER.length);
      if (type === "CouponIssued" || type === "CouponUsed" || type === "CouponVoided")
        this.coupons.apply(event);
      else if (type === "PointsRedeemed" && typeof d.rewardId === "string")
        this.redemptions.set(`${memberId}/${String(d.redemptionId)}`, { rewardId: d.rewardId, at });
      else if (type === "RedemptionReversed") {
        const r = this.redemptions.get(`${memberId}/${String(d.redemptionId)}`);
        if (r) r.reversedAt = at;
      } else if (type === "DrawEntered" && typeof d.drawId === "string") {
        const list = this.entries.get(d.drawId) ?? [];
        list.push({ at, tickets: Number(d.tickets) || 0 });
        this.entries.set(d.drawId, list);
      }
    } else if (streamId.startsWith(REWARD) && (type === "RewardClaimed" || type === "RewardReleased")) {
      const rewardId = streamId.slice(REWARD.length);
      const list = this.stock.get(rewardId) ?? [];
      list.push({ at, delta: type === "RewardClaimed" ? 1 : -1 });
      this.stock.set(rewardId, list);
    } else if (streamId.startsWith(DRAW) && type === "DrawHeld" && typeof d.drawId === "string") {
      const winners = Array.isArray(d.winners) ? (d.winners as Held["winners"]) : [];
      this.held.set(d.drawId, {
        at,
        occurredAt: event.occurredAt,
        entrants: Number(d.entrants) || 0,
        tickets: Number(d.tickets) || 0,
        winners,
      });
    }
  }

  /**
   * The section's data as of `asOf`, for the rewards and draws of `program`
   * (the highest published version); undefined when it has neither, so a
   * program without them gets the report it always had.
   */
  build(program: Program | undefined, asOf: string): ReportClub | undefined {
    const rewards = program?.rewards ?? [];
    const draws = program?.draws ?? [];
    if (rewards.length === 0 && draws.length === 0) return undefined;
    const t = Date.parse(asOf);
    const couponRows = this.coupons.asOf(asOf);
    const couponsOf = (rewardId: string): ReportCouponCounts => {
      const counts = emptyCoupons();
      for (const row of couponRows) {
        if (row.rewardId !== rewardId) continue;
        counts.issued++;
        counts[row.status === "issued" ? "open" : row.status]++;
      }
      return counts;
    };
    const reportRewards: ReportReward[] = rewards.map((reward) => {
      let redeemed = 0;
      let reversed = 0;
      for (const r of this.redemptions.values()) {
        if (r.rewardId !== reward.id || r.at > t) continue;
        if (r.reversedAt !== undefined && r.reversedAt <= t) reversed++;
        else redeemed++;
      }
      let claimed = 0;
      for (const s of this.stock.get(reward.id) ?? []) if (s.at <= t) claimed += s.delta;
      return {
        id: reward.id,
        cost: reward.cost,
        redeemed,
        reversed,
        stock: reward.stock ?? null,
        claimed: reward.stock === undefined ? null : claimed,
        stockLeft: reward.stock === undefined ? null : reward.stock - claimed,
        coupons: reward.coupon === undefined ? null : couponsOf(reward.id),
      };
    });
    const reportDraws: ReportDraw[] = draws.map((draw) => {
      const held = this.held.get(draw.id);
      const bought = (this.entries.get(draw.id) ?? []).filter((e) => e.at <= t);
      const base = {
        id: draw.id,
        entryFrom: draw.entryFrom,
        entryTo: draw.entryTo,
        entries: bought.length,
        ticketsBought: bought.reduce((sum, e) => sum + e.tickets, 0),
      };
      return held && held.at <= t
        ? {
            ...base,
            heldAt: held.occurredAt,
            entrants: held.entrants,
            tickets: held.tickets,
            winners: held.winners.map((w) => ({
              rank: w.rank,
              memberId: w.memberId,
              tickets: w.tickets,
              prizePoints: draw.prizePoints?.[w.rank - 1] ?? 0,
            })),
          }
        : { ...base, heldAt: null, entrants: null, tickets: null, winners: [] };
    });
    return { rewards: reportRewards, draws: reportDraws };
  }
}
