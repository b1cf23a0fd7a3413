import type { ProposedEvent } from "./envelope.js";
import type { LedgerEvent, ProfileUpdated } from "./events.js";
import { reversalReturns } from "./lots.js";
import { Dec, toUnits } from "./money.js";
import { parseTime } from "./primitives.js";
import { isSealedValue, PERSONAL_FIELDS } from "./privacy/seal.js";
import { addToSpendWindow, spendWindowOf } from "./spend-window.js";
import { type Lot, type MemberState, nextEventIndex, type Profile } from "./state.js";
import { pushIn, setIn, w, writableLot } from "./working-copy.js";

// Stored times are already normalised (`toISOString()` form): Date.parse reads them exactly.
const ms = (iso: string): number => (iso.length === 24 ? Date.parse(iso) : (parseTime(iso) as number));

/** A lot to change in place (copied first in a working copy); no closures per event (issue 11). */
const lotById = (s: MemberState, lotId: string): Lot | undefined => {
  const i = s.lotIndex.get(lotId);
  return i === undefined ? undefined : writableLot(s, i);
};

const takeFromLots = (s: MemberState, allocations: readonly { lotId: string; points: number }[]): void => {
  for (const a of allocations) {
    const lot = lotById(s, a.lotId);
    if (lot) lot.remaining -= a.points;
  }
};

/**
 * Applies one member event to a state in place: to a working copy made by
 * `cloneMemberState` in the decider, to an immer draft in `evolve`, and to one
 * plain object in `foldMemberEvents` (bulk loops). Lots are changed in place
 * (a working copy owns its lots); map entries are replaced, never changed, so
 * a working copy may share them with the state it was made from.
 */
export const applyMemberEvent = (s: MemberState, e: ProposedEvent): void => {
  applyDomainEvent(s, e as LedgerEvent, e.revision, e.metadata.commandId);
  s.lastHash = e.metadata.hash;
};

/**
 * Applies a domain event at `revision` for `commandId`: everything but the
 * hash link, which only sealing knows. The decider applies its events with it
 * as it decides (a later step reads what an earlier one changed).
 */
export const applyDomainEvent = (
  s: MemberState,
  e: LedgerEvent,
  revision: number,
  commandId: string,
  /** `e.occurredAt` in ms when the caller has it (the decider wrote the text from it). */
  occurredAtMs: number = ms(e.occurredAt),
): void => {
  const at = occurredAtMs;
  s.revision = revision;
  s.lastEventAt = at;
  const index = nextEventIndex(s, commandId);
  s.lastCommand = { id: commandId, count: index + 1 };
  if (commandId.startsWith("sweep:")) w(s, "sweepCounts").set(commandId, index + 1);
  switch (e.type) {
    case "MemberJoined": {
      const d = e.data;
      s.joined = d;
      s.joinedAt = at;
      s.tierSince = at;
      const name = readable(d.name);
      const contact = readable(d.contact);
      const birthDate = readable(d.birthDate);
      s.profile = {
        ...(name !== undefined ? { name } : {}),
        ...(contact !== undefined && Object.keys(contact).length > 0 ? { contact } : {}),
        consent: d.consent ?? {},
        ...(d.lang !== undefined ? { lang: d.lang } : {}),
        ...(birthDate !== undefined ? { birthDate, birthDateGivenAt: at } : {}),
        attributes: d.attributes ?? {},
      };
      return;
    }
    case "ProfileUpdated": {
      const d = e.data;
      s.profile = updatedProfile(s.profile, d, at);
      w(s, "profileUpdates").set(d.updateId, { at, data: withoutSealed(d) });
      return;
    }
    case "NoteAdded": {
      const d = e.data;
      const text = readable(d.text);
      w(s, "notes").set(d.noteId, { at, ...(text !== undefined ? { text } : {}), actor: d.actor });
      return;
    }
    case "MessageSent": {
      const d = e.data;
      w(s, "messagesSent").set(d.messageKey, {
        at,
        channel: d.channel,
        ...(d.providerMessageId !== undefined ? { providerMessageId: d.providerMessageId } : {}),
      });
      return;
    }
    case "MemberForgotten": {
      const d = e.data;
      w(s, "forgetRequests").set(d.requestId, { at, actor: d.actor });
      if (s.forgottenAt === undefined) s.forgottenAt = at;
      forgetPersonalValues(s);
      return;
    }
    case "PurchaseRecorded": {
      const d = e.data;
      const units = toUnits(d.amount);
      const replaced = s.purchases.get(d.purchaseId);
      s.spendUnits += units - (replaced ? replaced.amountUnits - replaced.refundedUnits : 0n);
      s.spendFirstAt = Math.min(s.spendFirstAt, at);
      s.spendLastAt = Math.max(s.spendLastAt, at);
      // The window walk and sum need purchases in time order, each once (the decider records them so).
      if (replaced) s.purchasesByTime = false;
      else {
        const order = s.purchaseOrder;
        const last = order.length > 0 ? s.purchases.get(order[order.length - 1] as string) : undefined;
        if ((last !== undefined && last.at > at) || at <= spendWindowOf(s).from) s.purchasesByTime = false;
        pushIn(s, "purchaseOrder", d.purchaseId);
        addToSpendWindow(s, at, units);
      }
      setIn(s, "purchases", d.purchaseId, {
        purchaseId: d.purchaseId,
        amount: d.amount,
        amountUnits: units,
        at,
        ...(d.channel !== undefined ? { channel: d.channel } : {}),
        ...(d.items !== undefined ? { items: d.items } : {}),
        refunded: "0",
        refundedUnits: 0n,
        refunds: [],
        earned: 0,
        clawed: 0,
      });
      return;
    }
    case "PurchaseRefunded": {
      const d = e.data;
      const p = s.purchases.get(d.purchaseId);
      if (p) {
        // Copy on write: a decision's working state shares entries with the state it came from.
        const units = toUnits(d.amount);
        s.spendUnits -= units;
        s.spendLastAt = Math.max(s.spendLastAt, at);
        addToSpendWindow(s, p.at, -units);
        setIn(s, "purchases", d.purchaseId, {
          ...p,
          refunded: new Dec(p.refunded).plus(d.amount).toFixed(),
          refundedUnits: p.refundedUnits + units,
          refunds: [...p.refunds, { refundId: d.refundId, amount: d.amount, units, at }],
        });
      }
      w(s, "refunds").set(d.refundId, { purchaseId: d.purchaseId, amount: d.amount, at });
      return;
    }
    case "PointsEarned": {
      const d = e.data;
      s.debt -= d.debtRepaid;
      setIn(s, "lotIndex", d.lotId, s.lots.length);
      pushIn(s, "lots", {
        lotId: d.lotId,
        points: d.points,
        remaining: d.points - d.debtRepaid,
        earnedAt: at,
        availableAt: ms(d.availableAt),
        expiresAt: d.expiresAt === null ? null : ms(d.expiresAt),
        revision,
        reason: d.reason,
        ...(d.purchaseId !== undefined ? { purchaseId: d.purchaseId } : {}),
      });
      if (d.reason === "purchase" && d.purchaseId !== undefined) {
        const p = s.purchases.get(d.purchaseId);
        if (p) setIn(s, "purchases", d.purchaseId, { ...p, earned: d.points, lotId: d.lotId });
      }
      if (d.reason === "birthday" && d.birthdayYear !== undefined) w(s, "birthdaysPaid").add(d.birthdayYear);
      if (d.reason === "referral" && d.refereeId !== undefined) w(s, "referralsPaid").add(d.refereeId);
      if (d.reason === "adjustment" && d.adjustmentId !== undefined)
        w(s, "adjustments").set(d.adjustmentId, {
          adjustmentId: d.adjustmentId,
          points: d.points,
          reason: d.note ?? "",
          actor: d.actor ?? "",
          at,
        });
      return;
    }
    case "PointsRedeemed": {
      const d = e.data;
      takeFromLots(s, d.allocations);
      w(s, "redemptions").set(d.redemptionId, {
        redemptionId: d.redemptionId,
        points: d.points,
        ...(d.rewardId !== undefined ? { rewardId: d.rewardId } : {}),
        at,
        allocations: d.allocations,
      });
      return;
    }
    case "RedemptionReversed": {
      const d = e.data;
      s.debt -= d.debtRepaid;
      for (const back of reversalReturns(d.allocations, d.debtRepaid)) {
        const lot = lotById(s, back.lotId);
        if (lot) lot.remaining += back.points;
      }
      const r = s.redemptions.get(d.redemptionId);
      if (r) w(s, "redemptions").set(d.redemptionId, { ...r, reversedAt: at });
      return;
    }
    case "PointsClawedBack": {
      const d = e.data;
      takeFromLots(s, d.allocations);
      s.debt += d.debtIncurred;
      const p = s.purchases.get(d.purchaseId);
      if (p) setIn(s, "purchases", d.purchaseId, { ...p, clawed: p.clawed + d.points });
      return;
    }
    case "PointsDebited": {
      const d = e.data;
      takeFromLots(s, d.allocations);
      w(s, "adjustments").set(d.adjustmentId, {
        adjustmentId: d.adjustmentId,
        points: -d.points,
        reason: d.reason,
        actor: d.actor,
        at,
      });
      return;
    }
    case "PointsExpired": {
      const d = e.data;
      const lot = lotById(s, d.lotId);
      if (lot) lot.remaining -= d.points;
      return;
    }
    case "TierChanged": {
      const d = e.data;
      s.tier = d.to;
      s.tierSince = at;
      return;
    }
    case "FeedbackSubmitted": {
      const d = e.data;
      w(s, "feedback").set(d.feedbackId, {
        score: d.score,
        // A sealed comment the application could not open is not known (club-v1 §6).
        ...(typeof d.comment === "string" ? { comment: d.comment } : {}),
        at,
      });
      return;
    }
    case "CouponIssued": {
      const d = e.data;
      w(s, "coupons").set(d.couponId, {
        couponId: d.couponId,
        rewardId: d.rewardId,
        code: d.code,
        issuedAt: at,
        validUntil: ms(d.validUntil),
      });
      return;
    }
    case "CouponUsed": {
      const d = e.data;
      const c = s.coupons.get(d.couponId);
      if (c)
        w(s, "coupons").set(d.couponId, {
          ...c,
          usedAt: at,
          ...(d.orderId !== undefined ? { orderId: d.orderId } : {}),
        });
      return;
    }
    case "CouponVoided": {
      const c = s.coupons.get(e.data.couponId);
      if (c) w(s, "coupons").set(c.couponId, { ...c, voidedAt: at });
      return;
    }
    case "DrawEntered": {
      const d = e.data;
      takeFromLots(s, d.allocations);
      w(s, "drawEntries").set(d.entryId, {
        entryId: d.entryId,
        drawId: d.drawId,
        tickets: d.tickets,
        points: d.points,
        at,
      });
      return;
    }
    case "DrawWon":
      w(s, "drawsWon").add(e.data.drawId);
      return;
    // Reward-stream and draw-stream events never reach a member stream.
    case "RewardClaimed":
    case "RewardReleased":
    case "ProgramPublished":
    case "DrawHeld":
      return;
  }
};

/** A personal value as it can be read: a sealed one the application could not open is unknown (club-v1 §6). */
const readable = <T>(value: T | { $pii: string } | undefined): T | undefined =>
  value === undefined || isSealedValue(value) ? undefined : (value as T);

const PERSONAL: ReadonlySet<string> = new Set(PERSONAL_FIELDS);

/** `data` without its personal values that cannot be read. */
const withoutSealed = <T extends object>(data: T): T => {
  if (!Object.values(data).some(isSealedValue)) return data;
  return Object.fromEntries(Object.entries(data).filter(([, v]) => !isSealedValue(v))) as T;
};

/** `data` without any personal value (club-v1 §6: every read after `forget`). */
const withoutPersonal = <T extends object>(data: T): T => {
  if (!Object.keys(data).some((k) => PERSONAL.has(k))) return data;
  return Object.fromEntries(Object.entries(data).filter(([k]) => !PERSONAL.has(k))) as T;
};

/**
 * A profile update (club-v1 §4, §10): `name`, `consent`, `lang`, `birthDate`
 * replace; `contact` and `attributes` are patched key by key, `null` removing.
 * A patch that cannot be read leaves no readable contact.
 */
const updatedProfile = (before: Profile, d: ProfileUpdated, at: number): Profile => {
  const p: Profile = { ...before };
  if (d.name !== undefined) {
    const name = readable(d.name);
    if (name === undefined) delete p.name;
    else p.name = name;
  }
  if (d.contact !== undefined) {
    const patch = readable(d.contact);
    const contact: Record<string, string> = patch === undefined ? {} : { ...p.contact };
    for (const [k, v] of Object.entries(patch ?? {})) {
      if (v === null || v === undefined) delete contact[k];
      else contact[k] = v;
    }
    if (Object.keys(contact).length === 0) delete p.contact;
    else p.contact = contact;
  }
  if (d.consent !== undefined) p.consent = d.consent;
  if (d.lang !== undefined) p.lang = d.lang;
  if (d.birthDate !== undefined) {
    const birthDate = readable(d.birthDate);
    if (birthDate === undefined) {
      delete p.birthDate;
      delete p.birthDateGivenAt;
    } else {
      p.birthDate = birthDate;
      p.birthDateGivenAt = at;
    }
  }
  if (d.attributes !== undefined) {
    const attributes = { ...p.attributes };
    for (const [k, v] of Object.entries(d.attributes)) {
      if (v === null) delete attributes[k];
      else attributes[k] = v;
    }
    p.attributes = attributes;
  }
  return p;
};

/**
 * After `MemberForgotten` nothing personal can be read (club-v1 §6): the
 * state a process keeps is made the same as one loaded after the key is gone.
 */
const forgetPersonalValues = (s: MemberState): void => {
  const { name: _n, contact: _c, birthDate: _b, birthDateGivenAt: _g, ...rest } = s.profile;
  s.profile = rest;
  if (s.joined) s.joined = withoutPersonal(s.joined);
  for (const [id, note] of s.notes)
    if (note.text !== undefined) w(s, "notes").set(id, { at: note.at, actor: note.actor });
  for (const [id, f] of s.feedback)
    if (f.comment !== undefined) w(s, "feedback").set(id, { score: f.score, at: f.at });
  for (const [id, u] of s.profileUpdates)
    if (Object.keys(u.data).some((k) => PERSONAL.has(k)))
      w(s, "profileUpdates").set(id, { at: u.at, data: withoutPersonal(u.data) });
};
