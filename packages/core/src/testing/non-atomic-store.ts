import type { EventStore } from "../store.js";

/**
 * A store whose `appendToStreams` is not one transaction (as EventStoreDB's,
 * club-v1 §2: the ledger claims stock first), and which fails the next append
 * to a stream starting with `failOn.streamPrefix` once (a crash), then clears it.
 */
export const nonAtomicStore = (
  inner: EventStore,
  failOn: { streamPrefix?: string | undefined },
): EventStore => {
  const store: EventStore = {
    ...inner,
    atomicMultiStream: false,
    appendToStream: async (streamId, events, options) => {
      if (failOn.streamPrefix && streamId.startsWith(failOn.streamPrefix)) {
        failOn.streamPrefix = undefined;
        throw new Error("crash");
      }
      return inner.appendToStream(streamId, events, options);
    },
    appendToStreams: async (appends) => {
      const out = [];
      for (const a of appends) out.push(await store.appendToStream(a.streamId, a.events, a));
      return out;
    },
  };
  return store;
};
