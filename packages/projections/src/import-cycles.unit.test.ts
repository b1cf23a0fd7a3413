/**
 * No import cycle inside any package's sources (issue 10): a module and what it imports
 * depend one way, so queries/* read ledger-view.ts and never the ledger that calls them.
 * Type-only imports count too. Tests and testing/ helpers are left out (they may import
 * anything). Lives here because projections had the cycle; it checks every package.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const PACKAGES = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "testing" ? [] : sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });

// `from "./x.js"` of import and export statements, and `import("./x.js")`.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*)["'](\.{1,2}\/[^"']+)["']/g;

/** Relative imports of one file, resolved to the .ts files they name. */
const importsOf = (file: string): string[] =>
  [...readFileSync(file, "utf8").matchAll(SPECIFIER)].flatMap(([, spec = ""]) => {
    const target = resolve(dirname(file), spec.replace(/\.js$/, ".ts"));
    const candidates = [target, `${target}.ts`, join(target, "index.ts")];
    const found = candidates.find((c) => c.endsWith(".ts") && existsSync(c));
    return found === undefined ? [] : [found];
  });

/** Strongly connected components with more than one module, or a module importing itself (Tarjan). */
export const cyclesOf = (graph: Map<string, string[]>): string[][] => {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(next) ?? 0));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop();
        if (member === undefined) break;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return cycles;
};

describe("import graph", () => {
  it("the cycle finder finds a cycle and passes a chain", () => {
    const cyclic = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a"]],
      ["d", ["a"]],
    ]);
    expect(cyclesOf(cyclic)).toEqual([["a", "b", "c"]]);
    expect(cyclesOf(new Map([["a", ["a"]]]))).toEqual([["a"]]);
    expect(
      cyclesOf(
        new Map([
          ["a", ["b"]],
          ["b", []],
        ]),
      ),
    ).toEqual([]);
  });

  for (const pkg of ["core", "projections", "adapters", "cli"]) {
    it(`packages/${pkg}/src has no import cycle`, () => {
      const files = sourceFiles(join(PACKAGES, pkg, "src"));
      expect(files.length).toBeGreaterThan(3);
      const graph = new Map(files.map((f) => [f, importsOf(f)]));
      const cycles = cyclesOf(graph).map((c) => c.map((f) => relative(PACKAGES, f)));
      expect(cycles).toEqual([]);
    });
  }
});
