// Helpers for benchmark tasks: each task runs in its own process (clean heap,
// its own maxRSS) and ends by printing one `RESULT {json}` line for run.ts.

export const RESULT_PREFIX = "RESULT ";

/** Samples RSS every 50 ms; `peak()` also folds in the kernel's maxRSS. */
export const startRssSampler = (): { peakMiB: () => number; stop: () => void } => {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 50);
  timer.unref();
  return {
    peakMiB: () => Math.max(peak, process.resourceUsage().maxRSS * 1024) / 2 ** 20,
    stop: () => clearInterval(timer),
  };
};

/** Max resident set size of this process so far (MiB), as `/usr/bin/time -v` reports it. */
const maxRssMiB = (): number => process.resourceUsage().maxRSS / 1024;

export const finish = (result: object): void => {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify({ ...result, maxRssMiB: round(maxRssMiB()) })}\n`);
};

export const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;

export const seconds = (fromMs: number): number => (performance.now() - fromMs) / 1000;

/** A task argument `--name value`. */
export const arg = (name: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  if (v === undefined) throw new Error(`task needs --${name}`);
  return v;
};
