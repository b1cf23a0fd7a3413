import { balancesAsOf, kpis, LedgerProjection, liabilityAsOf, rfmAsOf, rollforward } from "@vafa/projections";
import { type EventSourceOptions, sourceEvents } from "../event-source.js";
import { type CliIo, writeOut } from "../io.js";
import { type JsonValue, type OutputFormat, render } from "../output-format.js";

import type { QueryName } from "./query-names.js";

export interface QueryOptions extends EventSourceOptions {
  /** Normalised ISO times; `asOf` for balances, rfm, liability; `from` and `to` for kpis, rollforward. */
  asOf?: string;
  from?: string;
  to?: string;
  format: OutputFormat;
}

/** Folds every event of the source into the ledger projection (spec 6). */
export const projectSource = async (source: EventSourceOptions): Promise<LedgerProjection> => {
  const projection = new LedgerProjection();
  for await (const event of sourceEvents(source)) projection.apply(event);
  return projection;
};

/** The spec 6 result of one query over a projection, as plain JSON. */
export const queryResult = (name: QueryName, ledger: LedgerProjection, options: QueryOptions): JsonValue => {
  const asOf = options.asOf as string;
  const from = options.from as string;
  const to = options.to as string;
  switch (name) {
    case "balances":
      return balancesAsOf(ledger, asOf) as unknown as JsonValue;
    case "rfm":
      return rfmAsOf(ledger, asOf) as unknown as JsonValue;
    case "liability":
      return liabilityAsOf(ledger, asOf) as unknown as JsonValue;
    case "kpis":
      return kpis(ledger, from, to) as unknown as JsonValue;
    case "rollforward":
      return rollforward(ledger, from, to) as unknown as JsonValue;
  }
};

/** `vafa balances | rfm | liability | kpis | rollforward` (spec 8). */
export const runQuery = async (name: QueryName, options: QueryOptions, io: CliIo): Promise<number> => {
  const ledger = await projectSource(options);
  await writeOut(io.stdout, render(queryResult(name, ledger, options), options.format));
  return 0;
};
