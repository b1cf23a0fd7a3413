import type { StoredEvent, SubscribeOptions, Subscription } from "@vafa/core";

/**
 * Runs a subscription as one loop: read a batch after the cursor, hand each event
 * to `onEvent` (awaited, in order), and wait for `wake` when caught up.
 * A handler error goes to `onError` and ends the subscription (continuing would
 * skip the event or retry it forever).
 */
export const runSubscription = (
  options: SubscribeOptions,
  source: {
    readBatch(after: bigint | undefined): Promise<StoredEvent[]>;
    /** Resolves when new events may be there (a notification or a poll interval). */
    wait(signal: AbortSignal): Promise<void>;
  },
): Subscription => {
  const stopController = new AbortController();
  let cursor = options.after;
  const loop = async (): Promise<void> => {
    while (!stopController.signal.aborted) {
      let batch: StoredEvent[];
      try {
        batch = await source.readBatch(cursor);
      } catch (error) {
        if (stopController.signal.aborted) return;
        options.onError?.(error);
        return;
      }
      for (const event of batch) {
        if (stopController.signal.aborted) return;
        try {
          await options.onEvent(event);
        } catch (error) {
          options.onError?.(error);
          stopController.abort();
          return;
        }
        cursor = event.position;
      }
      if (batch.length === 0) await source.wait(stopController.signal);
    }
  };
  const running = loop();
  return {
    async stop() {
      stopController.abort();
      await running;
    },
  };
};

/** A wake-up signal: `notify()` releases every current `wait`. */
export class Notifier {
  private waiters = new Set<() => void>();

  notify(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }

  wait(signal: AbortSignal, timeoutMs?: number): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        this.waiters.delete(done);
        signal.removeEventListener("abort", done);
        if (timer !== undefined) clearTimeout(timer);
        resolve();
      };
      this.waiters.add(done);
      signal.addEventListener("abort", done, { once: true });
      if (timeoutMs !== undefined) timer = setTimeout(done, timeoutMs);
    });
  }
}
