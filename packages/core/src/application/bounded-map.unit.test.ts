import { describe, expect, it } from "vitest";
import { setBounded } from "./bounded-map.js";

describe("setBounded", () => {
  it("keeps the newest entries up to the limit, dropping the oldest first", () => {
    const map = new Map<string, number>();
    for (const [i, key] of ["a", "b", "c", "d"].entries()) setBounded(map, key, i, 3);
    expect([...map]).toEqual([
      ["b", 1],
      ["c", 2],
      ["d", 3],
    ]);
  });

  it("makes a key set again the newest, so it outlives older ones", () => {
    const map = new Map<string, number>();
    setBounded(map, "a", 1, 2);
    setBounded(map, "b", 2, 2);
    setBounded(map, "a", 3, 2);
    setBounded(map, "c", 4, 2);
    expect([...map]).toEqual([
      ["a", 3],
      ["c", 4],
    ]);
  });

  it("holds exactly `limit` entries at the limit", () => {
    const map = new Map<number, number>();
    for (let i = 0; i < 5; i++) setBounded(map, i, i, 5);
    expect(map.size).toBe(5);
    setBounded(map, 5, 5, 5);
    expect([...map.keys()]).toEqual([1, 2, 3, 4, 5]);
  });
});
