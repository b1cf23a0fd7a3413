import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REJECTION_CODES } from "./errors.js";

// Every rejection code (ledger-v1 §5.8, club-v1 §7) has a row in docs/errors.md
// saying what it means and what to do: a new code cannot land undocumented.
const doc = readFileSync(join(import.meta.dirname, "../../../docs/errors.md"), "utf8");

describe("docs/errors.md", () => {
  it.each(REJECTION_CODES)("has a row for %s", (code) => {
    expect(doc).toMatch(new RegExp(`^\\| \`${code}\` \\|`, "m"));
  });
});
