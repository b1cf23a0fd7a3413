import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StoredEvent } from "@vafa/core";
import { describe, expect, it } from "vitest";
import { runCli } from "../cli.js";
import { openStore } from "../stores.js";
import { memoryIo } from "../testing/memory-io.js";
import { program } from "../testing/program.js";

// club-v1 §4-§8, §10 through `vafa import`: the new commands, every rejection
// they bring (ERASURE_UNAVAILABLE among them), each leaving the store unchanged,
// and erasure on PGlite with the store's own key table.

const baseProgram = program({
  programId: "club-profiles",
  tiers: { levels: [{ id: "bronze", threshold: "0", multiplier: "1" }] },
});
const at = (day: number) => `2011-01-${String(day).padStart(2, "0")}T10:00:00Z`;
const lines = (...commands: object[]) => `${commands.map((c) => JSON.stringify(c)).join("\n")}\n`;
const joinAli = {
  type: "join",
  memberId: "ali",
  at: at(1),
  kind: "person",
  name: "Alireza Zamani",
  contact: { email: "alireza.zamani@example.org", phone: "+989121112233" },
  consent: { sms: true },
  lang: "fa",
};

const setUp = () => {
  const dir = mkdtempSync(join(tmpdir(), "vafa-profiles-"));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  return { file, store: `pglite:${join(dir, "store")}` };
};
const exported = async (url: string): Promise<StoredEvent[]> => {
  const store = await openStore(url);
  try {
    const events: StoredEvent[] = [];
    for await (const e of store.readAll()) events.push(e as StoredEvent);
    return events;
  } finally {
    await store.close();
  }
};
const rejectsOf = (path: string) =>
  readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { line: number; code: string });

describe("club-v1 §8 vafa import with profiles, notes, messages and erasure (PGlite)", () => {
  it("every new command type is accepted; every rejection code they bring leaves the store unchanged", async () => {
    const { file, store } = setUp();
    const prog = file(
      "program.json",
      JSON.stringify({ ...baseProgram, privacy: { encryptPersonalData: true } }),
    );
    const setup = file(
      "setup.ndjson",
      lines(
        joinAli,
        { type: "join", memberId: "sara", at: at(1), kind: "person", consent: { email: true } },
        {
          type: "update-profile",
          memberId: "sara",
          at: at(2),
          updateId: "u1",
          contact: { email: "s@x.org" },
        },
        { type: "add-note", memberId: "sara", at: at(2), noteId: "n1", text: "VIP", actor: "ops" },
        { type: "message-sent", memberId: "sara", at: at(3), messageKey: "k|sara|1", channel: "email" },
        { type: "forget", memberId: "ali", at: at(4), requestId: "g1", actor: "dpo" },
      ),
    );
    const m = memoryIo();
    expect(await runCli(["import", "--program", prog, "--store", store, "--json", setup], m.io)).toBe(0);
    expect(JSON.parse(m.stdout())).toEqual({ accepted: 6, rejected: 0, events: 7 });
    const before = await exported(store);
    // club-v1 §6: what the store holds of ali's personal values is ciphertext under a destroyed key.
    const text = JSON.stringify(before.map((e) => e.data));
    for (const plain of ["Alireza", "alireza.zamani", "989121112233"]) expect(text).not.toContain(plain);

    const cases: [string, object][] = [
      [
        "VALIDATION",
        { type: "update-profile", memberId: "sara", at: at(5), updateId: "u2", contact: { email: "x" } },
      ],
      ["VALIDATION", { type: "update-profile", memberId: "ali", at: at(5), updateId: "u3", name: "A" }],
      ["VALIDATION", { type: "add-note", memberId: "ali", at: at(5), noteId: "n2", text: "t", actor: "ops" }],
      ["VALIDATION", { type: "forget", memberId: "sara", at: at(5), requestId: "g2" }],
      ["MEMBER_EXISTS", joinAli],
      [
        "IDEMPOTENCY_CONFLICT",
        { type: "update-profile", memberId: "sara", at: at(2), updateId: "u1", lang: "en" },
      ],
      [
        "IDEMPOTENCY_CONFLICT",
        { type: "add-note", memberId: "sara", at: at(2), noteId: "n1", text: "x", actor: "ops" },
      ],
      [
        "IDEMPOTENCY_CONFLICT",
        { type: "message-sent", memberId: "sara", at: at(3), messageKey: "k|sara|1", channel: "sms" },
      ],
      [
        "IDEMPOTENCY_CONFLICT",
        { type: "forget", memberId: "ali", at: at(4), requestId: "g1", actor: "other" },
      ],
      [
        "UNKNOWN_MEMBER",
        { type: "message-sent", memberId: "ghost", at: at(5), messageKey: "k", channel: "sms" },
      ],
      [
        "OUT_OF_ORDER",
        { type: "add-note", memberId: "sara", at: at(1), noteId: "n3", text: "t", actor: "ops" },
      ],
    ];
    const rejects = file("rejects.ndjson", "");
    const input = file("rejected.ndjson", lines(...cases.map(([, c]) => c)));
    const r = memoryIo();
    expect(
      await runCli(["import", "--program", prog, "--store", store, "--rejects", rejects, input], r.io),
    ).toBe(3);
    expect(rejectsOf(rejects).map((g) => [g.line, g.code])).toEqual(cases.map(([c], i) => [i + 1, c]));
    expect((await exported(store)).map((e) => e.eventId)).toEqual(before.map((e) => e.eventId));

    // The same setup again: replays (a retried forget destroys the key again), nothing appended;
    // ali's join with his name is MEMBER_EXISTS now (club-v1 §10 "After forget").
    const again = memoryIo();
    expect(await runCli(["import", "--program", prog, "--store", store, "--json", setup], again.io)).toBe(3);
    expect(JSON.parse(again.stdout())).toEqual({ accepted: 5, rejected: 1, events: 0 });
  }, 120_000);

  it("forget under a program that does not encrypt is ERASURE_UNAVAILABLE (club-v1 §6, §7)", async () => {
    const { file, store } = setUp();
    const prog = file("program.json", JSON.stringify(baseProgram));
    const input = file(
      "commands.ndjson",
      lines(
        { type: "join", memberId: "ali", at: at(1), kind: "person", name: "Ali" },
        { type: "forget", memberId: "ali", at: at(2), requestId: "g1", actor: "dpo" },
      ),
    );
    const rejects = file("rejects.ndjson", "");
    const r = memoryIo();
    expect(
      await runCli(["import", "--program", prog, "--store", store, "--rejects", rejects, input], r.io),
    ).toBe(3);
    expect(rejectsOf(rejects).map((g) => [g.line, g.code])).toEqual([[2, "ERASURE_UNAVAILABLE"]]);
    // Plain personal values under a program that does not encrypt (club-v1 §6).
    expect((await exported(store)).find((e) => e.type === "MemberJoined")?.data).toMatchObject({
      name: "Ali",
    });
  }, 120_000);
});
