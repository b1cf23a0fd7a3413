import { Readable } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isBlankLine, readLines } from "./lines.js";

const collect = async (chunks: (string | Buffer)[]) => {
  const out: { line: number; text: string }[] = [];
  for await (const l of readLines(
    Readable.from(chunks.map((c) => (typeof c === "string" ? Buffer.from(c) : c))),
  )) {
    out.push({ line: l.line, text: l.text });
  }
  return out;
};

describe("8 import line splitting", () => {
  it("8 import: splits on \\n and numbers physical lines from 1", async () => {
    expect(await collect(['{"a":1}\n{"b":2}\n'])).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 2, text: '{"b":2}' },
    ]);
  });

  it("8 import: removes a trailing \\r and a leading BOM", async () => {
    expect(await collect(["\uFEFF{}\r\n{}\r\nx\r"])).toEqual([
      { line: 1, text: "{}" },
      { line: 2, text: "{}" },
      { line: 3, text: "x" },
    ]);
  });

  it("8 import: a BOM is removed only at the start of the input", async () => {
    expect(await collect(["a\n\uFEFFb\n"])).toEqual([
      { line: 1, text: "a" },
      { line: 2, text: "\uFEFFb" },
    ]);
  });

  it("8 import: a \\r inside a line is kept; only \\n splits", async () => {
    expect(await collect(["a\rb\n"])).toEqual([{ line: 1, text: "a\rb" }]);
  });

  it("8 import: lines of only spaces and tabs are skipped but counted", async () => {
    expect(await collect(["a\n\n \t \r\n\tb\n"])).toEqual([
      { line: 1, text: "a" },
      { line: 4, text: "\tb" },
    ]);
  });

  it("8 import: a last line without \\n is read", async () => {
    expect(await collect(["a\nb"])).toEqual([
      { line: 1, text: "a" },
      { line: 2, text: "b" },
    ]);
  });

  it("8 import: a multi-byte character split across chunks is decoded whole", async () => {
    const bytes = Buffer.from("سلام\nok\n");
    expect(await collect([bytes.subarray(0, 1), bytes.subarray(1, 5), bytes.subarray(5)])).toEqual([
      { line: 1, text: "سلام" },
      { line: 2, text: "ok" },
    ]);
  });

  it("reports bytes read up to the end of each line", async () => {
    const out = [];
    for await (const l of readLines(Readable.from([Buffer.from("ab\n"), Buffer.from("c\nd")])))
      out.push(l.bytesRead);
    expect(out).toEqual([3, 5, 6]);
  });

  it("8 import: any chunking gives the same lines as splitting the whole text (property)", async () => {
    const lineText = fc
      .array(fc.constantFrom("a", "z", " ", "\t", "\r", "{", '"', "é", "🙂"), { maxLength: 6 })
      .map((cs) => cs.join(""));
    await fc.assert(
      fc.asyncProperty(
        fc.array(lineText, { maxLength: 12 }),
        fc.array(fc.nat(40), { maxLength: 8 }),
        async (lines, cuts) => {
          const text = lines.join("\n");
          const bytes = Buffer.from(text);
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const chunks: Buffer[] = [];
          let prev = 0;
          for (const p of [...points, bytes.length]) {
            chunks.push(bytes.subarray(prev, p));
            prev = p;
          }
          const expected = text
            .split("\n")
            .map((t, i) => ({ line: i + 1, text: t.endsWith("\r") ? t.slice(0, -1) : t }))
            .filter((l) => !isBlankLine(l.text));
          expect(await collect(chunks.filter((c) => c.length > 0))).toEqual(expected);
        },
      ),
    );
  });
});
