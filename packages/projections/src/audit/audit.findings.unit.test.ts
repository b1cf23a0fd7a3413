import { genesisHash } from "@vafa/core";
import { describe, expect, it } from "vitest";
import {
  audit,
  clone,
  type Env,
  find,
  loadExport,
  loadProgram,
  normalize,
  rechain,
  toLines,
  where,
} from "../testing/audit-export.js";
import { auditEvents } from "./audit.js";

// One targeted test per finding code of spec 7, each built by editing a valid
// export. Edits that must reach the content checks are re-chained (and, when
// events are added or removed, renumbered) so that no HASH_MISMATCH hides them.

const greg = loadExport("gregorian");
const jal = loadExport("jalali");
const gregProgram = loadProgram("gregorian");
const withPrograms = { programs: [gregProgram] };

const edit = (events: Env[], streamId: string, revision: number, change: (e: Env) => void): Env[] => {
  const copy = clone(events);
  change(find(copy, streamId, revision));
  return copy;
};
const remove = (events: Env[], ...keys: [string, number][]): Env[] =>
  clone(events).filter((e) => !keys.some(([s, r]) => e.streamId === s && e.revision === r));
const insertAfter = (events: Env[], streamId: string, revision: number, event: Env): Env[] => {
  const copy = clone(events);
  const i = copy.findIndex((e) => e.streamId === streamId && e.revision === revision);
  copy.splice(i + 1, 0, structuredClone(event));
  return copy;
};

describe("7 HASH_MISMATCH", () => {
  it("7 a changed comment fails its own hash only", async () => {
    const events = edit(greg, "member-ava", 9, (e) => {
      e.data.comment = "quick delivery!";
    });
    const report = await audit(events);
    expect(where(report)).toEqual(["HASH_MISMATCH member-ava@9"]);
    expect(report.ok).toBe(false);
    expect(report.findings[0]?.eventId).toBe(find(greg, "member-ava", 9).eventId);
  });

  it("7 a changed amount fails its hash; its content checks may report more", async () => {
    const events = edit(greg, "member-ava", 5, (e) => {
      e.data.amount = "250.01";
    });
    const report = await audit(events, withPrograms);
    expect(
      report.findings.filter((f) => f.code === "HASH_MISMATCH").map((f) => `${f.streamId}@${f.revision}`),
    ).toEqual(["member-ava@5"]);
    // The tier metric of the next TierChanged no longer adds up.
    expect(where(report)).toContain("TIER_MISMATCH member-ava@7");
  });

  it("7 a broken link: prevHash that is not the previous event's hash", async () => {
    const events = edit(greg, "member-ben", 4, (e) => {
      e.metadata.prevHash = genesisHash("member-ben");
    });
    // The event's own hash was computed from the old prevHash, so it fails too: one finding.
    expect(where(await audit(events))).toEqual(["HASH_MISMATCH member-ben@4"]);
  });

  it("7 the first event must link to sha256hex('vafa/v1\\n' + streamId)", async () => {
    const events = rechain(clone(greg));
    const first = find(events, "member-dan", 0);
    first.metadata.prevHash = "0".repeat(64);
    const report = await audit(rechainFrom(events, first));
    expect(where(report)).toEqual(["HASH_MISMATCH member-dan@0"]);
    expect(report.findings[0]?.message).toMatch(/genesis/);
  });

  it("7 an event with no hash at all", async () => {
    const events = edit(greg, "member-cleo", 3, (e) => {
      const { hash: _, ...rest } = e.metadata;
      e.metadata = rest as Env["metadata"];
    });
    expect(where(await audit(events))).toEqual(["SCHEMA member-cleo@3", "HASH_MISMATCH member-cleo@3"]);
  });
});

/** Re-hashes one event from its (edited) prevHash and re-links the rest of its stream. */
const rechainFrom = (events: Env[], start: Env): Env[] => {
  const stream = events.filter((e) => e.streamId === start.streamId);
  let prev: string | null = null;
  for (const e of stream) {
    if (e === start) prev = e.metadata.prevHash;
    if (prev === null) continue;
    e.metadata.prevHash = prev;
    e.metadata.hash = hashOf(e);
    prev = e.metadata.hash;
  }
  return events;
};

import { hashEvent } from "@vafa/core";

const hashOf = (e: Env): string => hashEvent(e.metadata.prevHash, e);

describe("7 REVISION_GAP", () => {
  it("7 a stream missing revision 2: a gap at 3, and the chain shows it too", async () => {
    const report = await audit(remove(greg, ["member-ava", 2]));
    expect(where(report).slice(0, 2)).toEqual(["REVISION_GAP member-ava@3", "HASH_MISMATCH member-ava@3"]);
    expect(report.findings[0]?.message).toBe("revision 3 where 2 comes next");
  });

  it("7 a missing revision 2 re-chained: the gap alone remains (and what the lost purchase explains)", async () => {
    const report = await audit(rechain(remove(greg, ["member-ava", 2])));
    expect(where(report)[0]).toBe("REVISION_GAP member-ava@3");
    expect(report.findings.filter((f) => f.code === "HASH_MISMATCH")).toEqual([]);
  });

  it("7 a stream that does not start at revision 0", async () => {
    const events = rechain(remove(greg, ["member-dan", 0]));
    const report = await audit(events);
    expect(where(report)).toContain("REVISION_GAP member-dan@1");
    expect(report.findings.find((f) => f.code === "REVISION_GAP")?.message).toBe(
      "revision 1 where 0 comes next",
    );
  });
});

describe("7 SCHEMA", () => {
  it("7 a line that is not JSON: a finding with a null stream, and the audit goes on", async () => {
    const lines = toLines(greg);
    lines.splice(3, 0, { line: 999, text: '{"streamId": "member-ava", ' });
    const tampered = edit(greg, "member-dan", 5, (e) => {
      e.data.rewardId = "hamper-2";
    });
    const report = await auditEvents([...lines.slice(0, 4), ...toLines(tampered).slice(3)]);
    expect(report.findings.map((f) => [f.code, f.streamId, f.revision, f.eventId])).toEqual([
      ["SCHEMA", null, null, null],
      ["HASH_MISMATCH", "member-dan", 5, find(greg, "member-dan", 5).eventId],
    ]);
    expect(report.findings[0]?.message).toMatch(/^line 999 is not JSON/);
    expect(report.events).toBe(greg.length);
  });

  it("7 blank lines are skipped; JSON that is no envelope is a null-stream SCHEMA finding", async () => {
    const report = await auditEvents([
      { line: 1, text: "" },
      { line: 2, text: " \t\r" },
      { line: 3, text: "[1,2]" },
      { line: 4, text: '{"eventId":"x"}' },
    ]);
    expect(report).toMatchObject({ ok: false, streams: 0, events: 0 });
    expect(report.findings.map((f) => [f.code, f.streamId, f.eventId])).toEqual([
      ["SCHEMA", null, null],
      ["SCHEMA", null, "x"],
    ]);
  });

  it("7 data that fails its schema (points as a string)", async () => {
    const events = rechain(
      edit(greg, "member-ava", 1, (e) => {
        e.data.points = "50";
      }),
    );
    const report = await audit(events);
    expect(where(report)[0]).toBe("SCHEMA member-ava@1");
    expect(report.findings[0]?.message).toMatch(/data\.points/);
  });

  it("7 metadata that fails its schema (schemaVersion 2, an unknown key)", async () => {
    const events = edit(greg, "member-ben", 2, (e) => {
      e.metadata.schemaVersion = 2;
      e.metadata.extra = true;
    });
    const report = await audit(events);
    expect(where(report)).toEqual(["SCHEMA member-ben@2"]);
    expect(report.findings[0]?.message).toMatch(/metadata\.schemaVersion/);
  });

  it("7 an eventId that does not re-derive from stream, commandId and index", async () => {
    const events = rechain(
      edit(greg, "member-ben", 9, (e) => {
        e.eventId = "00000000-0000-4000-8000-000000000000";
      }),
    );
    expect(where(await audit(events))).toEqual(["SCHEMA member-ben@9"]);
  });

  it("7 an eventId repeated in the log (copied from another event)", async () => {
    const copied = find(greg, "member-ava", 9).eventId;
    const events = rechain(
      edit(greg, "member-ben", 9, (e) => {
        e.eventId = copied;
      }),
    );
    const report = await audit(events);
    // The copy never re-derives (its name holds another stream): it is reported on the copy.
    expect(where(report)).toEqual(["SCHEMA member-ben@9"]);
    expect(report.findings[0]?.message).toMatch(/does not re-derive/);
  });

  it("7 the same stray eventId twice is reported as a repeat", async () => {
    const stray = "11111111-1111-4111-8111-111111111111";
    let events = edit(greg, "member-ben", 9, (e) => {
      e.eventId = stray;
    });
    events = rechain(
      edit(events, "member-cleo", 5, (e) => {
        e.eventId = stray;
      }),
    );
    const messages = (await audit(events)).findings.map((f) => `${f.streamId}@${f.revision} ${f.message}`);
    expect(messages.filter((m) => m.includes("repeats in the log"))).toEqual([
      "member-cleo@5 eventId repeats in the log (first at member-ben@9)",
    ]);
  });

  it("7 a purchaseId repeated in a stream", async () => {
    const events = normalize(
      insertAfter(greg, "member-ava", 21, {
        ...find(greg, "member-ava", 5),
        occurredAt: "2011-04-25T10:00:00.000Z",
        metadata: {
          ...find(greg, "member-ava", 5).metadata,
          commandId: "purchase:a-1002",
          correlationId: "purchase:a-1002",
        },
      }),
    );
    const report = await audit(events);
    expect(where(report)).toEqual(["SCHEMA member-ava@22"]);
    expect(report.findings[0]?.message).toBe("purchaseId a-1002 repeats in the stream");
  });

  it("7 a lotId that is not its eventId", async () => {
    const events = rechain(
      edit(greg, "member-cleo", 12, (e) => {
        e.data.lotId = "22222222-2222-4222-8222-222222222222";
      }),
    );
    const report = await audit(events);
    expect(where(report)).toEqual(["SCHEMA member-cleo@12"]);
    expect(report.findings[0]?.message).toMatch(/lotId .* is not the event's eventId/);
  });

  it("7 events before MemberJoined, and a second MemberJoined", async () => {
    const joined = find(greg, "member-dan", 0);
    const moved = normalize([
      ...remove(greg, ["member-dan", 0]),
      { ...structuredClone(joined), occurredAt: "2011-08-18T10:00:00.000Z" },
    ]);
    const report = await audit(moved);
    expect(where(report)[0]).toBe("SCHEMA member-dan@0");
    expect(report.findings[0]?.message).toBe("PointsEarned before the stream's MemberJoined");

    const twice = normalize(
      insertAfter(greg, "member-dan", 10, {
        ...structuredClone(joined),
        occurredAt: "2011-08-18T10:00:00.000Z",
      }),
    );
    const report2 = await audit(twice);
    expect(where(report2)).toEqual(["SCHEMA member-dan@11"]);
    expect(report2.findings[0]?.message).toBe("a second MemberJoined in the stream");
  });

  it("7 an event type in the wrong kind of stream, and a stream of no known kind", async () => {
    const program = find(greg, "program-vectors-gbp", 0);
    const events = normalize([
      ...clone(greg),
      { ...structuredClone(program), streamId: "member-dan", occurredAt: "2011-09-01T00:00:00.000Z" },
    ]);
    const report = await audit(events);
    expect(where(report)).toEqual(["SCHEMA member-dan@11"]);
    expect(report.findings[0]?.message).toBe("ProgramPublished in member stream member-dan");

    const other = normalize([
      ...clone(greg),
      { ...structuredClone(find(greg, "member-dan", 0)), streamId: "shop-1" },
    ]);
    const report2 = await audit(other);
    expect(where(report2)).toEqual(["SCHEMA shop-1@0"]);
  });

  it("7 a commandId that does not name the command of the event", async () => {
    const events = normalize(
      edit(greg, "member-ben", 6, (e) => {
        e.metadata.commandId = "redeem:b-r9";
        e.metadata.correlationId = "redeem:b-r9";
      }),
    );
    const report = await audit(events);
    expect(where(report)).toEqual(["SCHEMA member-ben@6"]);
    expect(report.findings[0]?.message).toBe("PointsRedeemed cannot come from redeem:b-r9");
  });
});

describe("7 TIME_REVERSED", () => {
  it("7 occurredAt that goes backwards in a stream", async () => {
    const events = rechain(
      edit(greg, "member-ava", 9, (e) => {
        e.occurredAt = "2011-01-21T09:59:59.999Z";
      }),
    );
    expect(where(await audit(events))).toEqual(["TIME_REVERSED member-ava@9"]);
  });
});

describe("7 ALLOCATION", () => {
  it("7 a redemption that takes from a pending lot", async () => {
    // Ava's a-1002 lot is pending until 2011-01-27; her redemption of 01-21 takes from it here.
    const events = rechain(
      edit(greg, "member-ava", 8, (e) => {
        e.data.allocations = [
          { lotId: find(greg, "member-ava", 6).eventId, points: 250 },
          { lotId: find(greg, "member-ava", 1).eventId, points: 50 },
        ];
      }),
    );
    const report = await audit(events);
    expect(where(report)).toContain("ALLOCATION member-ava@8");
    expect(report.findings.find((f) => f.code === "ALLOCATION")?.message).toMatch(
      /pending until 2011-01-27T12:00:00.000Z/,
    );
  });

  it("7 an allocation of an unknown lot, and one that takes more than the lot holds", async () => {
    const events = rechain(
      edit(greg, "member-ben", 6, (e) => {
        e.data.allocations = [
          { lotId: "33333333-3333-4333-8333-333333333333", points: 50 },
          { lotId: find(greg, "member-ben", 3).eventId, points: 50 },
        ];
      }),
    );
    const report = await audit(events);
    expect(report.findings.filter((f) => f.revision === 6).map((f) => f.message)).toEqual([
      "allocation names unknown lot 33333333-3333-4333-8333-333333333333",
    ]);
    const events2 = rechain(
      edit(greg, "member-ben", 6, (e) => {
        e.data.allocations = [{ lotId: find(greg, "member-ben", 1).eventId, points: 100 }];
      }),
    );
    const report2 = await audit(events2);
    expect(where(report2)).toContain("ALLOCATION member-ben@6");
    expect(report2.findings[0]?.message).toMatch(/takes 100 points from lot .*, which holds 50/);
  });

  it("7 a wrong debtRepaid on a new lot", async () => {
    const events = rechain(
      edit(greg, "member-dan", 9, (e) => {
        e.data.debtRepaid = 150;
      }),
    );
    const report = await audit(events);
    expect(where(report)[0]).toBe("ALLOCATION member-dan@9");
    expect(report.findings[0]?.message).toBe("debtRepaid is 150, the debt asks for 200");
  });

  it("7 a reversal of an unknown redemption, a second reversal, and one that does not give back what it took", async () => {
    const unknown = rechain(
      edit(greg, "member-ben", 11, (e) => {
        e.data.redemptionId = "b-r9";
        e.metadata.commandId = "reverse-redemption:b-r9";
        e.metadata.correlationId = "reverse-redemption:b-r9";
      }),
    );
    const r1 = await audit(normalize(unknown));
    expect(r1.findings.filter((f) => f.code === "ALLOCATION").map((f) => f.message)).toEqual([
      "reversal of unknown redemption b-r9",
    ]);

    const reversal = find(jal, "member-sara", 19);
    const twice = normalize(
      insertAfter(jal, "member-sara", 23, {
        ...structuredClone(reversal),
        occurredAt: "2012-03-27T10:00:00.000Z",
      }),
    );
    const r2 = await audit(twice);
    expect(
      r2.findings.filter((f) => f.code === "ALLOCATION").map((f) => `${f.revision} ${f.message}`),
    ).toEqual(["24 redemption s-r1 was already reversed"]);

    const short = rechain(
      edit(jal, "member-sara", 19, (e) => {
        e.data.points = 149000;
        e.data.allocations.shift(); // gives back 149000 of the 150000 it took
      }),
    );
    const r3 = await audit(short);
    expect(where(r3)).toContain("ALLOCATION member-sara@19");
    expect(r3.findings.find((f) => f.code === "ALLOCATION")?.message).toMatch(
      /does not give back exactly what it took/,
    );
  });
});

describe("7 OVERDRAW", () => {
  it("7 a debit above what is available at its time", async () => {
    const events = rechain(
      edit(greg, "member-ava", 19, (e) => {
        e.data.points = 400;
        e.data.allocations = [{ lotId: find(greg, "member-ava", 11).eventId, points: 400 }];
      }),
    );
    const report = await audit(events);
    // 400 of the 750 left in the a-1003 lot is a debit the ledger could have made: nothing at its revision.
    expect(report.findings.filter((f) => f.revision === 19)).toEqual([]);
    const over = rechain(
      edit(greg, "member-ava", 19, (e) => {
        e.data.points = 2000;
        e.data.allocations = [{ lotId: find(greg, "member-ava", 11).eventId, points: 2000 }];
      }),
    );
    const report2 = await audit(over);
    expect(report2.findings.filter((f) => f.revision === 19).map((f) => f.code)).toEqual([
      "ALLOCATION",
      "OVERDRAW",
    ]);
    expect(report2.findings.find((f) => f.code === "OVERDRAW")?.message).toBe(
      "debit a-adj2 of 2000 points, 926 available",
    );
  });

  it("7 OVERDRAW starts at available + 1: a debit of exactly what is available is none", async () => {
    const debit = (points: number) =>
      rechain(
        edit(greg, "member-ava", 19, (e) => {
          e.data.points = points;
          e.data.allocations = [{ lotId: find(greg, "member-ava", 11).eventId, points }];
        }),
      );
    const overdraws = async (points: number) =>
      (await audit(debit(points))).findings.filter((f) => f.code === "OVERDRAW").map((f) => f.message);
    // 926 available at revision 19 (see above); the single allocation is an ALLOCATION finding either way.
    expect(await overdraws(926)).toEqual([]);
    expect(await overdraws(927)).toEqual(["debit a-adj2 of 927 points, 926 available"]);
  });
});
