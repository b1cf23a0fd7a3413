import type { Writable } from "node:stream";
import cliProgress from "cli-progress";

export interface Progress {
  update(bytesRead: number, counts: { accepted: number; rejected: number }): void;
  stop(): void;
}

const MB = 1024 * 1024;
const REDRAW_EVERY_MS = 200;

/**
 * A progress bar by bytes read with rate and ETA, for a person at a terminal.
 * Disabled (a no-op) when output is piped or machine-readable.
 */
export const createProgress = (options: {
  enabled: boolean;
  totalBytes: number;
  stream: Writable;
}): Progress => {
  if (!options.enabled) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: options.stream as NodeJS.WritableStream,
      format:
        "{bar} {percentage}% | {readMb}/{totalMb} MB | {rate} commands/s | ETA {eta_formatted} | {accepted} accepted, {rejected} rejected",
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 50,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  const startedAt = Date.now();
  let lastDrawAt = 0;
  const totalMb = (options.totalBytes / MB).toFixed(1);
  bar.start(options.totalBytes, 0, { readMb: "0.0", totalMb, rate: 0, accepted: 0, rejected: 0 });
  return {
    update(bytesRead, counts) {
      const now = Date.now();
      if (now - lastDrawAt < REDRAW_EVERY_MS) return;
      lastDrawAt = now;
      const seconds = Math.max((now - startedAt) / 1000, 0.001);
      bar.update(bytesRead, {
        readMb: (bytesRead / MB).toFixed(1),
        totalMb,
        rate: Math.round((counts.accepted + counts.rejected) / seconds),
        accepted: counts.accepted,
        rejected: counts.rejected,
      });
    },
    stop() {
      bar.stop();
    },
  };
};
