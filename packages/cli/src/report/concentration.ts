import { Decimal } from "decimal.js";

const D = Decimal.clone({ precision: 64 });

export interface Concentration {
  /** Members with a valid monetary value. */
  population: number;
  /** Exact sum of their monetary values (plain decimal string). */
  total: string;
  /** Cumulative share curve, largest first: (k / n, revenue of the top k / total), from (0, 0). */
  curve: [number, number][];
  /** `ceil(n / 5)`, the spec's "top 20%" (spec 6 kpis). */
  topCount: number;
  /** Revenue share of the top `topCount` members; 0 when the total is 0. */
  topShare: number;
}

/**
 * Pareto curve of revenue by member from plain decimal strings, computed exactly with decimal.js
 * and rounded once to doubles for plotting. Values that are not plain decimals are skipped.
 */
export function concentration(monetary: readonly string[]): Concentration {
  const values = monetary
    .filter((m) => /^(0|[1-9][0-9]*)(\.[0-9]+)?$/.test(m))
    .map((m) => new D(m))
    .sort((a, b) => b.comparedTo(a));
  const n = values.length;
  const total = values.reduce((sum, v) => sum.plus(v), new D(0));
  const curve: [number, number][] = [[0, 0]];
  let running = new D(0);
  const shareOf = (part: Decimal) => (total.isZero() ? 0 : part.div(total).toNumber());
  values.forEach((v, i) => {
    running = running.plus(v);
    curve.push([(i + 1) / n, shareOf(running)]);
  });
  const topCount = Math.ceil(n / 5);
  const top = values.slice(0, topCount).reduce((sum, v) => sum.plus(v), new D(0));
  return { population: n, total: total.toFixed(), curve, topCount, topShare: shareOf(top) };
}
