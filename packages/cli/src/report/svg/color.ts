/** Colour arithmetic for heat maps. */
/** Interpolates two #rrggbb colours; t in [0, 1]. */
export function mixColor(from: string, to: string, t: number): string {
  const a = parseHex(from);
  const b = parseHex(to);
  const k = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  return `#${a
    .map((c, i) =>
      Math.round(c + ((b[i] ?? c) - c) * k)
        .toString(16)
        .padStart(2, "0"),
    )
    .join("")}`;
}

function parseHex(hex: string): number[] {
  const h = hex.replace("#", "");
  return [0, 2, 4].map((i) => Number.parseInt(h.slice(i, i + 2), 16) || 0);
}
