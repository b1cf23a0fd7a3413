import type { EventType } from "@vafa/core";

/**
 * What a projection needs of an event: a stored event (`StoredEvent`, with its
 * global `position`) or an exported envelope (`EventEnvelope`, without one).
 */
export interface ProjectionEvent {
  streamId: string;
  type: EventType;
  occurredAt: string;
  data: unknown;
  position?: bigint;
  /** The envelope's event id (spec 2): opens sealed values and names messages (club-v1 §5, §6). */
  eventId?: string;
  /** The envelope's revision in its stream. */
  revision?: number;
}

/** A fold over the event log, fed in global order (spec 6: incremental and rebuildable). */
export interface Projection {
  /**
   * Applies one event. An event with a `position` at or below the last applied
   * one is ignored (returns false), so a redelivered event is never applied twice.
   */
  apply(event: ProjectionEvent): boolean;
  /** Position of the last applied event that had one. */
  readonly position: bigint | undefined;
}

/** Position bookkeeping shared by the projections. */
export class PositionGuard {
  position: bigint | undefined = undefined;

  /** True when the event is new (and records its position). */
  accept(position: bigint | undefined): boolean {
    if (position === undefined) return true;
    if (this.position !== undefined && position <= this.position) return false;
    this.position = position;
    return true;
  }
}
