// Helpers for the tasks that run in plain Node on the built packages (`tasks/*.mjs`),
// which cannot import lib/task.ts without a TypeScript loader.

/** A task argument `--name value`. */
export const arg = (name) => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  if (v === undefined) throw new Error(`task needs --${name}`);
  return v;
};

export const round = (n, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
