import { applyDomainEvent } from "../apply-event.js";
import { eventIdFor } from "../envelope.js";
import type { EventDataMap, EventType, LedgerEvent } from "../events.js";
import { debtRepaid } from "../lots.js";
import { toIso } from "../primitives.js";
import type { Program } from "../program.js";
import { availableAtFor, expiresAtFor } from "../rules.js";
import { type MemberState, nextEventIndex } from "../state.js";
import { cloneMemberState, discardWorkingCopy } from "../working-copy.js";

/**
 * The events of one decision so far and the state they lead to. A later step
 * reads what an earlier one changed (an expiry before a redemption, the debt
 * a new lot repays), so each event is applied as it is emitted, to a
 * copy-on-write working copy made on the first event: `before` stays as it was.
 */
export class Draft {
  readonly events: LedgerEvent[] = [];
  state: MemberState;

  constructor(
    readonly before: MemberState,
    readonly program: Program,
    /** Names the events' ids (spec 2); lot ids are event ids, so the decider needs it. */
    readonly commandId: string,
  ) {
    this.state = before;
  }

  /** A rejected decision: its working copy leaves no trace in the state it came from. */
  discard(): void {
    if (this.state !== this.before) discardWorkingCopy(this.state);
  }

  /** The id the next event will have once sealed: a new lot's `lotId` (spec 4). */
  nextEventId(): string {
    return eventIdFor(this.state.streamId, this.commandId, nextEventIndex(this.state, this.commandId));
  }

  emit<T extends EventType>(type: T, at: number, data: EventDataMap[T]): void {
    if (this.state === this.before) this.state = cloneMemberState(this.before);
    const event = { type, occurredAt: toIso(at), data } as LedgerEvent;
    // The text is written from `at`: no need to parse it back (a whole `at` reads back the same).
    applyDomainEvent(
      this.state,
      event,
      this.state.revision + 1,
      this.commandId,
      Number.isInteger(at) ? at : undefined,
    );
    this.events.push(event);
  }

  /** A new lot (spec 4, 5.4): repays debt first. */
  earn(
    at: number,
    points: number,
    reason: EventDataMap["PointsEarned"]["reason"],
    extra: Partial<EventDataMap["PointsEarned"]>,
  ): void {
    const expiresAt = expiresAtFor(this.program, at);
    this.emit("PointsEarned", at, {
      lotId: this.nextEventId(),
      points,
      reason,
      ...extra,
      availableAt: toIso(availableAtFor(this.program, reason, at)),
      expiresAt: expiresAt === null ? null : toIso(expiresAt),
      debtRepaid: debtRepaid(points, this.state.debt),
    });
  }
}
