import type { EventStore, Program } from "@vafa/core";
import { createLedgerProjection } from "@vafa/projections";

/** Reads the whole store into a ledger projection (spec 6) and prints a few answers. */
export const summarize = async (
  store: EventStore,
  program: Program,
  print: (line: string) => void,
): Promise<void> => {
  const projection = createLedgerProjection({ program, keepHistory: false });
  let lastAt = "";
  for await (const event of store.readAll()) {
    projection.apply(event);
    if (event.occurredAt > lastAt) lastAt = event.occurredAt;
  }
  if (lastAt === "") return;

  const balances = projection.balancesAsOf(lastAt);
  const tiers = new Map<string, number>();
  for (const b of balances) tiers.set(b.tier, (tiers.get(b.tier) ?? 0) + 1);
  print(`as of ${lastAt}:`);
  print(`  tiers: ${[...tiers].map(([tier, n]) => `${tier} ${n}`).join(", ")}`);

  const top = [...balances]
    .sort(
      (a, b) =>
        b.available + b.pending - b.debt - (a.available + a.pending - a.debt) ||
        (a.memberId < b.memberId ? -1 : 1),
    )
    .slice(0, 5);
  print("  top balances (member: available + pending - debt, tier):");
  for (const b of top)
    print(
      `    ${b.memberId}: ${b.available} + ${b.pending} - ${b.debt} = ${b.available + b.pending - b.debt}, ${b.tier}`,
    );

  const liability = projection.liabilityAsOf(lastAt);
  print(
    `  outstanding points: ${liability.points} worth ${liability.value} ${program.currency}, debt ${liability.debt}`,
  );
};
