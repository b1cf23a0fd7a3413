import { homedir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultTemplateDir, templateFile } from "./template.js";

// issue 11: where the PGlite template cache lives, and what its name is keyed by.
describe("PGlite template cache location and key (issue 11)", () => {
  it("VAFA_PGLITE_TEMPLATE_DIR wins (off: none), then an absolute XDG_CACHE_HOME, then ~/.cache", () => {
    expect(defaultTemplateDir({ VAFA_PGLITE_TEMPLATE_DIR: "/c", XDG_CACHE_HOME: "/x" })).toBe("/c");
    expect(defaultTemplateDir({ VAFA_PGLITE_TEMPLATE_DIR: "off", XDG_CACHE_HOME: "/x" })).toBeUndefined();
    expect(defaultTemplateDir({ VAFA_PGLITE_TEMPLATE_DIR: "", XDG_CACHE_HOME: "/x" })).toBe("/x/vafa/pglite");
    expect(defaultTemplateDir({ XDG_CACHE_HOME: "relative" })).toBe(join(homedir(), ".cache/vafa/pglite"));
    expect(defaultTemplateDir({})).toBe(join(homedir(), ".cache/vafa/pglite"));
  });

  it("the file name holds PGlite's version and changes with the schema", () => {
    const file = templateFile("/cache", "public");
    expect(file).toMatch(/^\/cache\/pglite-\d+\.\d+\.\d+[\w.-]*-[0-9a-f]{16}\.tgz$/);
    expect(templateFile("/cache", "public")).toBe(file);
    expect(templateFile("/cache", "other")).not.toBe(file);
  });
});
