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
 * - a cancellation (`C...`, online-retail only) is a refund of the customer's most
 *   recent earlier purchase that still has at least the cancelled amount left; when
 *   none has, of the most recent one with anything left, capped at what is left;
 *   when nothing is left anywhere, it is skipped;
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
import { createReadStream, mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { createGunzip } from "node:zlib";
import { parse } from "csv-parse";
import { Decimal } from "decimal.js";

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

/** Reads the UCI Online Retail CSV into invoices, dropping anonymous lines. */
export async function readOnlineRetail(file: string): Promise<Invoice[]> {
  const byId = new Map<string, Invoice>();
  const parser = createReadStream(file).pipe(createGunzip()).pipe(parse({ columns: true }));
  for await (const row of parser as AsyncIterable<Record<string, string>>) {
    const invoiceNo = row.InvoiceNo ?? "";
    const customer = row.CustomerID ?? "";
    // Anonymous sales and the few "A..." bad-debt adjustments have no customer to credit.
    if (customer === "" || !/^C?\d+$/.test(invoiceNo)) continue;
    const line = new Decimal(row.Quantity ?? "0").times(row.UnitPrice ?? "0");
    const seen = byId.get(invoiceNo);
    if (seen) {
      seen.net = seen.net.plus(line);
      continue;
    }
    byId.set(invoiceNo, {
      id: invoiceNo,
      customerId: String(Number.parseInt(customer, 10)),
      atMs: Date.parse(`${(row.InvoiceDate ?? "").replace(" ", "T")}Z`),
      net: line,
      cancellation: invoiceNo.startsWith("C"),
    });
  }
  return [...byId.values()];
}

/** Reads CDNOW master (`id YYYYMMDD cds dollars`); each line is one order, dated at noon UTC. */
async function readCdnow(file: string): Promise<Invoice[]> {
  const out: Invoice[] = [];
  const perDay = new Map<string, number>();
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()) });
  for await (const raw of lines) {
    const parts = raw.trim().split(/\s+/);
    if (parts.length !== 4 || !/^\d+$/.test(parts[0] ?? "")) continue;
    const [id, date, , dollars] = parts as [string, string, string, string];
    const customerId = String(Number.parseInt(id, 10));
    const key = `${customerId}-${date}`;
    const n = (perDay.get(key) ?? 0) + 1;
    perDay.set(key, n);
    out.push({
      id: `${key}-${n}`,
      customerId,
      // The data has days only; noon UTC keeps every order inside its calendar day.
      atMs: Date.UTC(Number(date.slice(0, 4)), Number(date.slice(4, 6)) - 1, Number(date.slice(6, 8)), 12),
      net: new Decimal(dollars),
      cancellation: false,
    });
  }
  return out;
}

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
      const earlier = member.purchases.filter((p) => p.atMs <= inv.atMs && p.amount.gt(p.refunded)).reverse();
      const target = earlier.find((p) => p.amount.minus(p.refunded).gte(wanted)) ?? earlier[0];
      if (!target) continue;
      const amount = Decimal.min(wanted, target.amount.minus(target.refunded));
      target.refunded = target.refunded.plus(amount);
      push({ type: "refund", memberId: inv.customerId, purchaseId: target.purchaseId, refundId: inv.id, amount: amount.toFixed() }, inv.atMs);
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
