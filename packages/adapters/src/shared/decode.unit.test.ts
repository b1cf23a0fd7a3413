import { describe, expect, it } from "vitest";
import { decodeJson } from "./decode.js";

// docs/errors.md: STORE_CORRUPT is raised where stored rows fail to decode.
describe("decodeJson", () => {
  it("returns the parsed value of a JSON column", () => {
    expect(decodeJson('{"a":1}', "event 0 of stream member-a: data")).toEqual({ a: 1 });
  });

  it("throws STORE_CORRUPT naming the row when a column is not JSON", () => {
    expect(() => decodeJson("{not json", "event 3 of stream member-a: metadata")).toThrow(
      expect.objectContaining({ code: "STORE_CORRUPT", message: expect.stringContaining("member-a") }),
    );
  });
});
