/** Section 7 when the program has rewards or draws (club-v1 §2, §3): as of T. */
import { escapeHtml } from "../format.js";
import type { ReportClub, ReportCouponCounts, ReportDraw } from "../types.js";
import { type Ctx, idText, periodText, section, windowText } from "./shared.js";

export const CLUB_SECTION_ID = "rewards";
export const CLUB_SECTION_NUMBER = 7;

const COUPON_KEYS = [
  "issued",
  "open",
  "used",
  "void",
  "expired",
] as const satisfies readonly (keyof ReportCouponCounts)[];

const th = (text: string, numeric = false) => `<th${numeric ? ' class="n"' : ""}>${escapeHtml(text)}</th>`;
const td = (html: string, numeric = false) => `<td${numeric ? ' class="n"' : ""}>${html}</td>`;

function rewardsTable(ctx: Ctx, club: ReportClub): string {
  const { t } = ctx;
  const c = t.club;
  const count = (v: number | null) =>
    v === null ? `<span class="note">${escapeHtml(c.noLimit)}</span>` : escapeHtml(ctx.int(v));
  const rows = club.rewards
    .map(
      (r) =>
        `<tr data-reward="${escapeHtml(r.id)}">${td(idText(r.id))}${td(escapeHtml(ctx.int(r.cost)), true)}${td(escapeHtml(ctx.int(r.redeemed)), true)}${td(escapeHtml(ctx.int(r.reversed)), true)}${td(count(r.stock), true)}${td(r.claimed === null ? "" : escapeHtml(ctx.int(r.claimed)), true)}${td(count(r.stockLeft), true)}</tr>`,
    )
    .join("");
  return `<h3>${escapeHtml(c.rewards)}</h3>
<table class="club-rewards"><thead><tr>${th(c.reward)}${th(c.cost, true)}${th(c.redeemed, true)}${th(c.reversed, true)}${th(c.stock, true)}${th(c.claimed, true)}${th(c.stockLeft, true)}</tr></thead><tbody>${rows}</tbody></table>`;
}

function couponsTable(ctx: Ctx, club: ReportClub): string {
  const c = ctx.t.club;
  const withCoupons = club.rewards.filter((r) => r.coupons !== null);
  if (withCoupons.length === 0)
    return `<h3>${escapeHtml(c.coupons)}</h3>\n<p class="empty">${escapeHtml(c.noCoupons)}</p>`;
  const total: ReportCouponCounts = { issued: 0, open: 0, used: 0, void: 0, expired: 0 };
  const cells = (counts: ReportCouponCounts) =>
    COUPON_KEYS.map((k) => td(escapeHtml(ctx.int(counts[k])), true)).join("");
  const rows = withCoupons
    .map((r) => {
      const counts = r.coupons as ReportCouponCounts;
      for (const k of COUPON_KEYS) total[k] += counts[k];
      return `<tr data-reward="${escapeHtml(r.id)}">${td(idText(r.id))}${cells(counts)}</tr>`;
    })
    .join("");
  return `<h3>${escapeHtml(c.coupons)}</h3>
<table class="club-coupons"><thead><tr>${th(c.reward)}${COUPON_KEYS.map((k) => th(c[k], true)).join("")}</tr></thead><tbody>${rows}<tr class="total">${td(escapeHtml(c.total))}${cells(total)}</tr></tbody></table>`;
}

function winnersCell(ctx: Ctx, d: ReportDraw): string {
  const c = ctx.t.club;
  if (d.heldAt === null) return `<span class="note">${escapeHtml(c.notHeld)}</span>`;
  if (d.winners.length === 0) return `<span class="note">${escapeHtml(c.noWinners)}</span>`;
  const items = d.winners
    .map(
      (w) =>
        `<li data-rank="${escapeHtml(String(w.rank))}">${escapeHtml(ctx.int(w.rank))}. ${idText(w.memberId)} <span class="note">(${escapeHtml(c.winner(w.tickets, ctx.int(w.tickets), ctx.int(w.prizePoints)))})</span></li>`,
    )
    .join("");
  // Ranks written by us (in the reader's digits), not by the list's own markers.
  return `<ol class="winners" style="list-style:none;padding:0;margin:0">${items}</ol>`;
}

function drawsTable(ctx: Ctx, club: ReportClub): string {
  const c = ctx.t.club;
  const maybe = (v: number | null) => (v === null ? "" : escapeHtml(ctx.int(v)));
  const rows = club.draws
    .map(
      (d) =>
        `<tr data-draw="${escapeHtml(d.id)}">${td(idText(d.id))}${td(periodText(ctx, d.entryFrom, d.entryTo))}${td(escapeHtml(ctx.int(d.entries)), true)}${td(d.heldAt === null ? "" : ctx.date(d.heldAt))}${td(maybe(d.entrants), true)}${td(maybe(d.tickets), true)}${td(winnersCell(ctx, d))}</tr>`,
    )
    .join("");
  return `<h3>${escapeHtml(c.draws)}</h3>
<table class="club-draws"><thead><tr>${th(c.draw)}${th(c.entryWindow)}${th(c.entries, true)}${th(c.heldAt)}${th(c.entrants, true)}${th(c.tickets, true)}${th(c.winners)}</tr></thead><tbody>${rows}</tbody></table>`;
}

/** Nothing at all for a program without rewards or draws: the report stays byte for byte as before. */
export function clubSection(ctx: Ctx): string | null {
  const club = ctx.data.club;
  if (club === undefined || (club.rewards.length === 0 && club.draws.length === 0)) return null;
  const parts = [`<p class="intro">${escapeHtml(ctx.t.club.intro)} ${windowText(ctx, "as-of")}</p>`];
  if (club.rewards.length > 0) parts.push(rewardsTable(ctx, club), couponsTable(ctx, club));
  if (club.draws.length > 0) parts.push(drawsTable(ctx, club));
  return section(ctx, CLUB_SECTION_ID, CLUB_SECTION_NUMBER, ctx.t.club.title, parts.join("\n"));
}
