import { parseArgs } from "node:util";

export interface BenchOptions {
  quick: boolean;
  members: number;
  events: number;
  seed: number;
}

const QUICK = { members: 1_000, events: 50_000 };
const FULL = { members: 100_000, events: 10_000_000 };

const positive = (name: string, text: string | undefined, fallback: number): number => {
  if (text === undefined) return fallback;
  const n = Number(text.replace(/_/g, ""));
  if (!Number.isSafeInteger(n) || n < 1) {
    console.error(`--${name} must be a positive integer, got ${JSON.stringify(text)}`);
    process.exit(2);
  }
  return n;
};

/** `--quick` (CI sizes), `--members N`, `--events N`, `--seed N`; other flags are left to the caller. */
export const parseBenchOptions = (argv: string[] = process.argv.slice(2)): BenchOptions => {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean", default: false },
      members: { type: "string" },
      events: { type: "string" },
      seed: { type: "string" },
    },
    strict: false,
  });
  const quick = values.quick === true;
  const sizes = quick ? QUICK : FULL;
  const members = positive("members", values.members as string | undefined, sizes.members);
  const events = positive("events", values.events as string | undefined, sizes.events);
  const seed = positive("seed", values.seed as string | undefined, 1);
  if (events < members * 4) {
    console.error(`--events must be at least 4 per member (${members * 4} for ${members} members)`);
    process.exit(2);
  }
  return { quick, members, events, seed };
};
