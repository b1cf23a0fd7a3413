import { CouponsProjection } from "@vafa/projections";
import { type EventSourceOptions, sourceEvents } from "../event-source.js";
import { type CliIo, writeOut } from "../io.js";
import { type JsonValue, type OutputFormat, render } from "../output-format.js";

export interface CouponsOptions extends EventSourceOptions {
  /** Normalised ISO time. */
  asOf: string;
  /** Only the coupon with exactly this code. */
  code?: string;
  format: OutputFormat;
}

/**
 * `vafa coupons` (club-v1 §8): every coupon issued at or before `--as-of`
 * with its state then (issued, used, void, expired), or the one with `--code`.
 * An unknown code prints an empty list (exit 0).
 */
export const runCoupons = async (options: CouponsOptions, io: CliIo): Promise<number> => {
  const projection = new CouponsProjection();
  for await (const event of sourceEvents(options)) projection.apply(event);
  const rows =
    options.code === undefined
      ? projection.asOf(options.asOf)
      : projection.byCodeAsOf(options.code, options.asOf);
  await writeOut(io.stdout, render(rows as unknown as JsonValue, options.format));
  return 0;
};
