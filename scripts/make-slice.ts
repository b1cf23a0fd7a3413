/**
 * Turns real transaction data into Vafa ledger commands (NDJSON, spec 5).
 *
 *   node --import tsx scripts/make-slice.ts online-retail [options]
 *   node --import tsx scripts/make-slice.ts cdnow [options]
 *
 * Options:
 *   --in <file>         source data (default: ../shared/data/<name>.<ext>.gz beside the repository)
 *   --out <file>        output NDJSON (default: fixtures/<name>/slice-commands.ndjson)
 *   --from <YYYY-MM-DD> first day included (UTC)
 *   --to <YYYY-MM-DD>   first day excluded (UTC)
 *   --customers <N|all> keep the N smallest customer ids that buy in the window
 *
 * The defaults make the small committed slices; `--customers all` with a wider
 * window makes the big files for benchmarks (do not commit those).
 *
 * Heuristics (the data does not say everything the ledger needs):
 * - a customer joins at their first invoice in the window (kind person);
 * - `birthDate` exists for about 1 customer in 3, drawn from a SHA-256 of the id;
 * - about 1 customer in 12 names a `referredBy`: a customer, chosen by hash,
 *   who joined strictly earlier;
 * - an invoice whose net amount (sum of Quantity * UnitPrice, exact) is <= 0 is skipped;
 * - the rows are read, and grouped into invoices, by `vafa convert csv`'s reader with
 *   the documented mappings (docs/mappings/<name>.json);
 * - a cancellation (`C...`, online-retail only) is matched to earlier purchases by
 *   `vafa convert csv`'s RefundMatcher (packages/cli/src/convert/refund-matcher.ts):
 *   the customer's most recent earlier purchase that still has at least the
 *   cancelled amount left; when none has, of the most recent one with anything
 *   left, capped at what is left (its "cap-newest" choice: the converter spreads
 *   instead); when nothing is left anywhere, it is skipped;
 * - a redemption of `minPoints` is tried at a customer's invoice when a naive
 *   estimate of their points (base points of purchases older than HALF the
 *   pending days, plus the signup bonus, minus refunds and earlier redemptions)
 *   reaches 1.5 x minPoints; some are rejected (points still pending), which is
 *   realistic and exercises rejections;
 * - a sweep runs at 00:00 UTC on the first day of every month after the first.
 * Commands are sorted by time, stably (a join before its first purchase).
 */
import { fileURLToPath } from "node:url";
import { createHash } from "node:crypto";
import { createReadStream, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { Decimal } from "decimal.js";
import { readGroups } from "../packages/cli/src/convert/convert-csv.js";
import { parseMapping } from "../packages/cli/src/convert/mapping.js";
import { RefundMatcher, refundIdOf } from "../packages/cli/src/convert/refund-matcher.js";

Decimal.set({ precision: 64 });

type Command = Record<string, unknown> & { type: string; at: string };

/** One invoice (or CDNOW order line) of one customer, amounts exact. */
interface Invoice {
  id: string;
  customerId: string;
  atMs: number;
  net: Decimal;
  cancellation: boolean;
}

interface SliceOptions {
  fromMs: number;
  toMs: number;
  customers: number | "all";
  /** Program values the redemption estimate uses (keep in step with fixtures/<name>/program.json). */
  pointsPerUnit: number;
  pendingDays: number;
  signupBonus: number;
  minPoints: number;
}

const DAY_MS = 86_400_000;
const iso = (ms: number): string => new Date(ms).toISOString().replace(".000Z", "Z");

/** Deterministic bytes for one customer id. */
const hashBytes = (id: string): Buffer => createHash("sha256").update(`vafa-slice|${id}`).digest();

/** A birth date for about 1 customer in 3, between 1950 and 1999. */
export const birthDateFor = (id: string): string | undefined => {
  const h = hashBytes(id);
  if ((h[0] ?? 0) % 3 !== 0) return undefined;
  const year = 1950 + ((h[1] ?? 0) % 50);
  const dayOfYear = (((h[2] ?? 0) << 8) | (h[3] ?? 0)) % 365;
  const d = new Date(Date.UTC(year, 0, 1) + dayOfYear * DAY_MS);
  return d.toISOString().slice(0, 10);
};

const mappingFor = (name: string) => {
  const file = fileURLToPath(new URL(`../docs/mappings/${name}.json`, import.meta.url));
  return parseMapping(JSON.parse(readFileSync(file, "utf8")), file);
};

/** Reads a data file into invoices with `vafa convert csv`'s reader; its rejected rows (anonymous sales...) are dropped. */
const readInvoices = async (file: string, name: string, cancellationPrefix?: string): Promise<Invoice[]> => {
  const { groups } = await readGroups(createReadStream(file), mappingFor(name), () => {}, file);
  return groups.map((g) => ({
    id: g.id,
    customerId: g.memberId,
    atMs: g.atMs,
    net: new Decimal(g.net),
    cancellation: cancellationPrefix !== undefined && g.id.startsWith(cancellationPrefix),
  }));
};

/** Reads the UCI Online Retail CSV into invoices (docs/mappings/online-retail.json), dropping anonymous lines. */
export const readOnlineRetail = (file: string): Promise<Invoice[]> => readInvoices(file, "online-retail", "C");

/** Reads CDNOW master (docs/mappings/cdnow.json): each line is one order, dated at noon UTC, id `<customer>-<YYYYMMDD>-<n>`. */
const readCdnow = (file: string): Promise<Invoice[]> => readInvoices(file, "cdnow");

/** Builds the commands of spec 5 from invoices; see the heuristics at the top. */
export function buildCommands(all: Invoice[], opts: SliceOptions): Command[] {
  const inWindow = all.filter((i) => i.atMs >= opts.fromMs && i.atMs < opts.toMs);
  // Stable time order; the source order breaks ties.
  const ordered = inWindow.map((inv, seq) => ({ inv, seq })).sort((a, b) => a.inv.atMs - b.inv.atMs || a.seq - b.seq);
  const buyers = [...new Set(ordered.filter((o) => !o.inv.cancellation).map((o) => o.inv.customerId))].sort(
    (a, b) => Number(a) - Number(b),
  );
  const kept = new Set(opts.customers === "all" ? buyers : buyers.slice(0, opts.customers));

  const commands: { cmd: Command; ms: number; seq: number }[] = [];
  // Keys in the order of the spec's examples: type, memberId, at, then the command's own.
  const push = (cmd: Omit<Command, "at">, ms: number) => {
    const { type, memberId, ...rest } = cmd;
    const head = memberId === undefined ? { type } : { type, memberId };
    commands.push({ cmd: { ...head, at: iso(ms), ...rest } as Command, ms, seq: commands.length });
  };

  interface Bought {
    purchaseId: string;
    amount: Decimal;
    refunded: Decimal;
    atMs: number;
  }
  interface Member {
    joinedMs: number;
    purchases: Bought[];
    redeemed: number;
    redemptions: number;
  }
  const members = new Map<string, Member>();
  const refunds = new RefundMatcher("cap-newest");
  const joinOrder: { id: string; ms: number }[] = [];

  const estimatedAvailable = (m: Member, nowMs: number): number => {
    let pts = opts.signupBonus - m.redeemed;
    for (const p of m.purchases) {
      const net = p.amount.minus(p.refunded);
      if (p.atMs + (opts.pendingDays / 2) * DAY_MS <= nowMs) pts += net.times(opts.pointsPerUnit).floor().toNumber();
      else pts -= p.refunded.times(opts.pointsPerUnit).ceil().toNumber();
    }
    return pts;
  };

  for (const { inv } of ordered) {
    if (!kept.has(inv.customerId)) continue;
    let member = members.get(inv.customerId);
    if (!member) {
      if (inv.cancellation) continue; // a cancellation before any purchase cancels nothing we know
      member = { joinedMs: inv.atMs, purchases: [], redeemed: 0, redemptions: 0 };
      members.set(inv.customerId, member);
      const join: Record<string, unknown> = { type: "join", memberId: inv.customerId, kind: "person" };
      const birthDate = birthDateFor(inv.customerId);
      if (birthDate) join.birthDate = birthDate;
      const h = hashBytes(inv.customerId);
      const earlier = joinOrder.filter((j) => j.ms < inv.atMs);
      if ((h[4] ?? 1) % 12 === 0 && earlier.length > 0) {
        const referrer = earlier[(((h[5] ?? 0) << 8) | (h[6] ?? 0)) % earlier.length];
        if (referrer) join.referredBy = referrer.id;
      }
      push(join as Omit<Command, "at">, inv.atMs);
      joinOrder.push({ id: inv.customerId, ms: inv.atMs });
    }

    if (inv.cancellation) {
      const wanted = inv.net.negated();
      if (wanted.lte(0)) continue;
      const match = refunds.match(inv.customerId, inv.atMs, wanted);
      if ("unmatched" in match) continue;
      for (const [i, part] of match.parts.entries()) {
        const target = member.purchases.find((p) => p.purchaseId === part.purchaseId) as Bought;
        target.refunded = target.refunded.plus(part.amount);
        push(
          {
            type: "refund",
            memberId: inv.customerId,
            purchaseId: part.purchaseId,
            refundId: refundIdOf(inv.id, i),
            amount: new Decimal(part.amount).toFixed(),
          },
          inv.atMs,
        );
      }
      continue;
    }

    if (inv.net.lte(0)) continue;
    if (estimatedAvailable(member, inv.atMs) >= opts.minPoints * 1.5) {
      member.redemptions += 1;
      member.redeemed += opts.minPoints;
      push(
        {
          type: "redeem",
          memberId: inv.customerId,
          redemptionId: `r-${inv.customerId}-${member.redemptions}`,
          points: opts.minPoints,
          rewardId: "voucher",
        },
        inv.atMs,
      );
    }
    member.purchases.push({ purchaseId: inv.id, amount: inv.net, refunded: new Decimal(0), atMs: inv.atMs });
    refunds.addPurchase(inv.customerId, inv.id, inv.atMs, inv.net);
    push({ type: "purchase", memberId: inv.customerId, purchaseId: inv.id, amount: inv.net.toFixed() }, inv.atMs);
  }

  // Monthly sweeps: the first of every month after the window starts, up to its end.
  const start = new Date(opts.fromMs);
  for (let m = 1; ; m++) {
    const ms = Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + m, 1);
    if (ms > opts.toMs) break;
    push({ type: "sweep" }, ms);
  }

  return commands.sort((a, b) => a.ms - b.ms || a.seq - b.seq).map((c) => c.cmd);
}

/** The project's shared data folder sits beside the repository (`../shared/data`). */
const sharedData = (name: string): string => fileURLToPath(new URL(`../../shared/data/${name}`, import.meta.url));

export const DATASETS = {
  "online-retail": {
    file: sharedData("online-retail.csv.gz"),
    read: readOnlineRetail,
    from: "2010-12-01",
    to: "2011-04-01",
    customers: 300,
    program: { pointsPerUnit: 1, pendingDays: 14, signupBonus: 100, minPoints: 500 },
  },
  cdnow: {
    file: sharedData("cdnow-master.txt.gz"),
    read: readCdnow,
    from: "1997-01-01",
    to: "1998-07-01",
    customers: 250,
    program: { pointsPerUnit: 10, pendingDays: 30, signupBonus: 50, minPoints: 1000 },
  },
} as const;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      in: { type: "string" },
      out: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      customers: { type: "string" },
    },
  });
  const name = positionals[0];
  if (name !== "online-retail" && name !== "cdnow") {
    console.error("usage: make-slice.ts online-retail|cdnow [--in file] [--out file] [--from d] [--to d] [--customers N|all]");
    process.exit(2);
  }
  const ds = DATASETS[name];
  const day = (s: string) => {
    const ms = Date.parse(`${s}T00:00:00Z`);
    if (Number.isNaN(ms)) {
      console.error(`not a date (YYYY-MM-DD): ${s}`);
      process.exit(2);
    }
    return ms;
  };
  const customers = values.customers === "all" ? "all" : Number(values.customers ?? ds.customers);
  if (customers !== "all" && !(Number.isInteger(customers) && customers > 0)) {
    console.error(`--customers must be a positive integer or "all": ${values.customers}`);
    process.exit(2);
  }
  const invoices = await ds.read(values.in ?? ds.file);
  const commands = buildCommands(invoices, {
    fromMs: day(values.from ?? ds.from),
    toMs: day(values.to ?? ds.to),
    customers,
    ...ds.program,
  });
  const out = resolve(values.out ?? `fixtures/${name}/slice-commands.ndjson`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, commands.map((c) => JSON.stringify(c)).join("\n") + "\n");
  const count = (t: string) => commands.filter((c) => c.type === t).length;
  console.log(
    `${out}: ${commands.length} commands (join ${count("join")}, purchase ${count("purchase")}, refund ${count("refund")}, redeem ${count("redeem")}, sweep ${count("sweep")})`,
  );
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("make-slice.ts")) await main();
