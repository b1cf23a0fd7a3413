import {
  type CheckpointStore,
  type EventStore,
  type StoredEvent,
  type Subscription,
  VafaError,
} from "@vafa/core";
import type { Projection } from "./projection.js";

/** A projection whose side effects (callbacks) can be held back while it is restored. */
export interface MutableProjection extends Projection {
  /** While true, the projection updates its state but fires no callbacks. */
  muted: boolean;
}

export interface ProjectionRunnerOptions {
  store: EventStore;
  checkpoints: CheckpointStore;
  /** Checkpoint name: one per projection. */
  name: string;
  projection: Projection | MutableProjection;
  /** Save the checkpoint every n applied events (default 1); `stop` always saves. */
  checkpointEvery?: number;
  /** Called when applying or saving fails; the runner stops delivering. */
  onError?: (error: unknown) => void;
}

export interface ProjectionRunner {
  /**
   * Loads the checkpoint, restores the projection up to it (muted, when the
   * projection is behind it, e.g. a fresh in-memory one after a restart), then
   * subscribes after it and applies each new event in global order.
   */
  start(): Promise<void>;
  /** Applies everything stored now and saves the checkpoint; resolves with the number of events applied. */
  catchUp(): Promise<number>;
  /** Stops the subscription and saves the checkpoint. */
  stop(): Promise<void>;
  /** Position of the last applied event. */
  readonly position: bigint | undefined;
}

const isMutable = (p: Projection): p is MutableProjection =>
  typeof (p as Partial<MutableProjection>).muted === "boolean";

/**
 * Keeps a projection up to date from a store (spec 6 incremental use). The
 * checkpoint is written after the event is applied; an event at or below the
 * projection's position is ignored, so a redelivery after a crash between the
 * two writes is not applied twice.
 */
export const createProjectionRunner = (options: ProjectionRunnerOptions): ProjectionRunner => {
  const { store, checkpoints, name, projection } = options;
  const every = Math.max(1, options.checkpointEvery ?? 1);
  let subscription: Subscription | undefined;
  let unsaved = 0;
  let saved: bigint | undefined;

  const save = async (): Promise<void> => {
    const position = projection.position;
    if (position === undefined || position === saved) return;
    await checkpoints.save(name, position);
    saved = position;
    unsaved = 0;
  };

  const applyOne = async (event: StoredEvent): Promise<boolean> => {
    if (!projection.apply(event)) return false;
    if (++unsaved >= every) await save();
    return true;
  };

  const restore = async (): Promise<void> => {
    const checkpoint = await checkpoints.load(name);
    saved = checkpoint;
    if (checkpoint === undefined) return;
    const from = projection.position;
    if (from !== undefined && from >= checkpoint) return;
    // A projection behind its checkpoint (fresh after a restart) replays up to
    // it without side effects: those events were handled before the restart.
    const mutable = isMutable(projection) ? projection : undefined;
    if (mutable) mutable.muted = true;
    try {
      for await (const event of store.readAll(from === undefined ? {} : { after: from })) {
        if (event.position > checkpoint) break;
        projection.apply(event);
      }
    } finally {
      if (mutable) mutable.muted = false;
    }
  };

  return {
    get position() {
      return projection.position;
    },
    async start() {
      if (subscription !== undefined) return;
      await restore();
      const after = projection.position;
      subscription = store.subscribe({
        ...(after === undefined ? {} : { after }),
        onEvent: async (event) => {
          await applyOne(event);
        },
        onError: (error) => {
          options.onError?.(error);
        },
      });
    },
    async catchUp() {
      if (subscription !== undefined)
        throw new VafaError(
          "INVARIANT",
          `runner ${name} is subscribed`,
          "call catchUp only while the runner is stopped",
        );
      await restore();
      let applied = 0;
      const after = projection.position;
      for await (const event of store.readAll(after === undefined ? {} : { after })) {
        if (await applyOne(event)) applied++;
      }
      await save();
      return applied;
    },
    async stop() {
      const s = subscription;
      subscription = undefined;
      if (s !== undefined) await s.stop();
      await save();
    },
  };
};
