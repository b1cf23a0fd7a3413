import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// Spec 1: results MUST NOT depend on the process time zone.
describe("1 time zones", () => {
  it("the golden vectors give the same events under UTC, Asia/Tehran and America/Los_Angeles", () => {
    const probe = join(import.meta.dirname, "testing", "tz-probe.ts");
    // Workspace packages resolve to their sources, as under vitest.
    const tsconfig = join(import.meta.dirname, "testing", "tsconfig.probe.json");
    const digests = ["UTC", "Asia/Tehran", "America/Los_Angeles"].map((tz) =>
      execFileSync(process.execPath, ["--import", "tsx", probe], {
        env: { ...process.env, TZ: tz, TSX_TSCONFIG_PATH: tsconfig },
        encoding: "utf8",
      }).trim(),
    );
    expect(digests[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(digests).size).toBe(1);
  });
});
