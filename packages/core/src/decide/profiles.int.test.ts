import { describe, expect, it } from "vitest";
import { createLedger, isSealedValue, openValue, type Program, testDataKey, VafaError } from "../index.js";
import { club, day, join, program, purchase, T0 } from "../testing/harness.js";

// club-v1 §4 (profiles, consent, notes), §5 (message-sent), §6 (erasure) and
// their settled details in §10, example by example.

const encrypting = (patch: Parameters<typeof program>[0] = {}): Program => ({
  ...program(patch),
  privacy: { encryptPersonalData: true },
});
const update = (memberId: string, at: string, updateId: string, extra: Record<string, unknown> = {}) => ({
  type: "update-profile",
  memberId,
  at,
  updateId,
  ...extra,
});
const note = (memberId: string, at: string, noteId: string, text = "likes tea") => ({
  type: "add-note",
  memberId,
  at,
  noteId,
  text,
  actor: "ops",
});
const sent = (memberId: string, at: string, messageKey: string, extra: Record<string, unknown> = {}) => ({
  type: "message-sent",
  memberId,
  at,
  messageKey,
  channel: "sms",
  ...extra,
});
const forget = (memberId: string, at: string, requestId: string, actor = "dpo") => ({
  type: "forget",
  memberId,
  at,
  requestId,
  actor,
});

describe("club-v1 §4, §10: join's profile fields (step 1)", () => {
  it.each([
    ["name of 201 UTF-16 units", { name: "x".repeat(201) }, "name"],
    ["an empty name", { name: "" }, "name"],
    ["an e-mail without a dot after @", { contact: { email: "a@b" } }, "contact.email"],
    ["an e-mail with a space", { contact: { email: "a b@c.d" } }, "contact.email"],
    ["a phone without +", { contact: { phone: "989120000001" } }, "contact.phone"],
    ["a phone of 5 digits", { contact: { phone: "+12345" } }, "contact.phone"],
    ["a null inside join's contact", { contact: { email: null } }, "contact.email"],
    ["an unknown key inside contact", { contact: { fax: "1" } }, "contact"],
    ["an unknown key inside consent", { consent: { push: true } }, "consent"],
    ["a consent that is not a boolean", { consent: { sms: "yes" } }, "consent.sms"],
    ["a lang that is neither fa nor en", { lang: "de" }, "lang"],
  ])("%s is VALIDATION naming %s", async (_, extra, field) => {
    const c = club();
    const outcome = await c.run(join("a", T0, extra));
    expect(outcome.status).toBe("rejected");
    if (outcome.status === "rejected") {
      expect(outcome.rejection.code).toBe("VALIDATION");
      expect(outcome.rejection.message.startsWith(`${field}:`)).toBe(true);
    }
  });

  it("200 UTF-16 units (100 surrogate pairs) is a valid name; L1's keys come first, then name, contact, consent, lang", async () => {
    const c = club();
    const name = "😀".repeat(100);
    await c.ok(
      join("a", T0, {
        lang: "fa",
        consent: { sms: true },
        contact: { phone: "+989120000001" },
        name,
        attributes: { city: "Shiraz" },
      }),
    );
    const [joined] = await c.stream("a");
    expect(Object.keys(joined?.data ?? {})).toEqual([
      "memberId",
      "kind",
      "attributes",
      "name",
      "contact",
      "consent",
      "lang",
    ]);
    expect((await c.ledger.loadMember("a")).profile).toEqual({
      name,
      contact: { phone: "+989120000001" },
      consent: { sms: true },
      lang: "fa",
      attributes: { city: "Shiraz" },
    });
  });

  it("a join without optional fields records only memberId and kind (L1 §5.1, §10)", async () => {
    const c = club();
    const [joined] = await c.ok(join("a", T0));
    expect(Object.keys(joined?.data ?? {})).toEqual(["memberId", "kind"]);
  });

  it("a retried join compares the profile fields too (L1 §5.9)", async () => {
    const c = club();
    await c.ok(join("a", T0, { name: "Ali", contact: { email: "a@x.org" } }));
    expect(await c.run(join("a", T0, { name: "Ali", contact: { email: "a@x.org" } }))).toMatchObject({
      status: "accepted",
      replay: true,
    });
    expect(await c.code(join("a", T0, { name: "Ali", contact: { email: "b@x.org" } }))).toBe("MEMBER_EXISTS");
  });
});

describe("club-v1 §4, §10: update-profile", () => {
  it("replaces name, consent, lang; patches contact and attributes key by key, null removing", async () => {
    const c = club();
    await c.ok(
      join("a", T0, {
        name: "Ali",
        contact: { email: "a@x.org", phone: "+989120000001" },
        consent: { sms: true, email: true },
        attributes: { city: "Shiraz", size: 3 },
      }),
      update("a", day(1), "u1", {
        name: "Ali R",
        contact: { phone: null, email: "ali@x.org" },
        consent: { sms: true },
        lang: "en",
        attributes: { size: null, vip: "yes" },
      }),
    );
    expect((await c.ledger.loadMember("a")).profile).toEqual({
      name: "Ali R",
      contact: { email: "ali@x.org" },
      consent: { sms: true },
      lang: "en",
      attributes: { city: "Shiraz", vip: "yes" },
    });
    // ProfileUpdated keeps the values as given, nulls included, in the order of §10.
    const stored = (await c.stream("a")).at(-1);
    expect(stored?.type).toBe("ProfileUpdated");
    expect(stored?.data).toEqual({
      updateId: "u1",
      name: "Ali R",
      contact: { phone: null, email: "ali@x.org" },
      consent: { sms: true },
      lang: "en",
      attributes: { size: null, vip: "yes" },
    });
    expect(Object.keys(stored?.data ?? {})).toEqual([
      "updateId",
      "name",
      "contact",
      "consent",
      "lang",
      "attributes",
    ]);
    expect(stored?.metadata.commandId).toBe("update-profile:u1");
  });

  it("removing the last contact key leaves no contact; an update with only updateId is accepted", async () => {
    const c = club();
    await c.ok(
      join("a", T0, { contact: { email: "a@x.org" } }),
      update("a", day(1), "u1", { contact: { email: null } }),
    );
    expect((await c.ledger.loadMember("a")).profile.contact).toBeUndefined();
    await c.ok(update("a", day(2), "u2"));
    expect((await c.stream("a")).at(-1)?.data).toEqual({ updateId: "u2" });
  });

  it("§10: a key left out of the command is absent from ProfileUpdated, not present as undefined", async () => {
    const c = club();
    await c.ok(join("a", T0));
    const [only] = await c.ok(update("a", day(1), "u1"));
    expect(Object.keys(only?.data ?? {})).toEqual(["updateId"]);
    const [some] = await c.ok(update("a", day(2), "u2", { lang: "en", attributes: { vip: null } }));
    expect(Object.keys(some?.data ?? {})).toEqual(["updateId", "lang", "attributes"]);
  });

  it("updateId is its idempotency key: the same again is a no-op, other content IDEMPOTENCY_CONFLICT", async () => {
    const c = club();
    await c.ok(join("a", T0), update("a", day(1), "u1", { lang: "fa" }));
    expect(await c.run(update("a", day(1), "u1", { lang: "fa" }))).toMatchObject({
      replay: true,
      events: [],
    });
    expect(await c.code(update("a", day(1), "u1", { lang: "en" }))).toBe("IDEMPOTENCY_CONFLICT");
    expect(await c.code(update("a", day(2), "u1", { lang: "fa" }))).toBe("IDEMPOTENCY_CONFLICT");
  });

  it("is VALIDATION for a null name or birthDate, UNKNOWN_MEMBER for a member who never joined", async () => {
    const c = club();
    await c.ok(join("a", T0));
    expect(await c.code(update("a", day(1), "u1", { name: null }))).toBe("VALIDATION");
    expect(await c.code(update("a", day(1), "u1", { birthDate: "1990-02-30" }))).toBe("VALIDATION");
    expect(await c.code(update("b", day(1), "u1", { lang: "fa" }))).toBe("UNKNOWN_MEMBER");
  });

  it("§10 Due times: a birth date given by update-profile counts from that day, once per calendar year", async () => {
    const c = club(program({ earn: { birthdayBonus: 100 } }));
    // Joined in January without a birth date; the birth date arrives on 2011-03-10.
    await c.ok(join("a", T0), update("a", "2011-03-10T15:00:00Z", "u1", { birthDate: "1980-03-10" }));
    // Its birthday that day is due at the time it was given (max(b, given)), paid by the next command.
    const events = await c.ok(purchase("a", "2011-03-11T10:00:00Z", "p1", "5"));
    const birthday = events.find((e) => e.type === "PointsEarned" && e.data.reason === "birthday");
    expect(birthday?.occurredAt).toBe("2011-03-10T15:00:00.000Z");
    // A birthday before the day it was given is not due: 1980-02-01 given on 2011-03-12 pays from 2012.
    const d = club(program({ earn: { birthdayBonus: 100 } }));
    await d.ok(join("b", T0), update("b", "2011-03-12T10:00:00Z", "u1", { birthDate: "1980-02-01" }));
    const later = await d.ok(purchase("b", "2012-02-02T10:00:00Z", "p1", "5"));
    expect(
      later.filter((e) => e.type === "PointsEarned" && e.data.reason === "birthday").map((e) => e.occurredAt),
    ).toEqual(["2012-02-01T00:00:00.000Z"]);
  });
});

describe("club-v1 §4: add-note", () => {
  it("appends NoteAdded with the actor in data and metadata; notes count in the state", async () => {
    const c = club();
    await c.ok(join("a", T0), note("a", day(1), "n-1"));
    const stored = (await c.stream("a")).at(-1);
    expect(stored?.data).toEqual({ noteId: "n-1", text: "likes tea", actor: "ops" });
    expect(stored?.metadata).toMatchObject({ commandId: "add-note:n-1", actor: "ops" });
    expect((await c.ledger.loadMember("a")).notes.size).toBe(1);
  });

  it("text is 1..2000 UTF-16 units and actor is required (VALIDATION); noteId is its idempotency key", async () => {
    const c = club();
    await c.ok(join("a", T0));
    expect(await c.code(note("a", day(1), "n-1", "x".repeat(2001)))).toBe("VALIDATION");
    expect(await c.code({ type: "add-note", memberId: "a", at: day(1), noteId: "n-1", text: "x" })).toBe(
      "VALIDATION",
    );
    await c.ok(note("a", day(1), "n-1", "x".repeat(2000)));
    expect(await c.run(note("a", day(1), "n-1", "x".repeat(2000)))).toMatchObject({ replay: true });
    expect(await c.code(note("a", day(1), "n-1", "other"))).toBe("IDEMPOTENCY_CONFLICT");
  });
});

describe("club-v1 §5, §10: message-sent", () => {
  it("appends MessageSent with commandId message-sent:<messageKey>; nothing else is checked", async () => {
    const c = club();
    await c.ok(join("a", T0), sent("a", day(1), "welcome|a|e-1", { providerMessageId: "gw-7" }));
    const stored = (await c.stream("a")).at(-1);
    expect(stored?.data).toEqual({ messageKey: "welcome|a|e-1", channel: "sms", providerMessageId: "gw-7" });
    expect(stored?.metadata.commandId).toBe("message-sent:welcome|a|e-1");
  });

  it("without providerMessageId records no providerMessageId field (§10)", async () => {
    const c = club();
    await c.ok(join("a", T0));
    const [e] = await c.ok(sent("a", day(1), "k"));
    expect(Object.keys(e?.data ?? {})).toEqual(["messageKey", "channel"]);
  });

  it("messageKey is its idempotency key; empty strings and other channels are VALIDATION", async () => {
    const c = club();
    await c.ok(join("a", T0), sent("a", day(1), "k"));
    expect(await c.run(sent("a", day(1), "k"))).toMatchObject({ replay: true });
    expect(await c.code(sent("a", day(1), "k", { channel: "email" }))).toBe("IDEMPOTENCY_CONFLICT");
    expect(await c.code(sent("a", day(1), ""))).toBe("VALIDATION");
    expect(await c.code(sent("a", day(1), "k2", { providerMessageId: "" }))).toBe("VALIDATION");
    expect(await c.code(sent("a", day(1), "k2", { channel: "push" }))).toBe("VALIDATION");
    expect(await c.code(sent("b", day(1), "k2"))).toBe("UNKNOWN_MEMBER");
  });
});

describe("club-v1 §6: sealing in the application layer", () => {
  it("a program that encrypts cannot start without a key store (KEY_STORE_MISSING)", () => {
    expect(() => createLedger({ store: club().store, program: encrypting() })).toThrow(VafaError);
    try {
      createLedger({ store: club().store, program: encrypting() });
    } catch (error) {
      expect((error as VafaError).code).toBe("KEY_STORE_MISSING");
    }
  });

  it("personal values are stored sealed under the member's key; the decider and loads see them plain", async () => {
    const c = club(encrypting());
    await c.ok(
      join("a", T0, {
        name: "Ali",
        contact: { email: "a@x.org" },
        birthDate: "1980-05-01",
        consent: { email: true },
      }),
      note("a", day(1), "n-1"),
      { type: "feedback", memberId: "a", at: day(2), feedbackId: "f1", score: 9, comment: "great" },
    );
    const [joined, noted, feedback] = await c.stream("a");
    for (const [e, field] of [
      [joined, "name"],
      [joined, "contact"],
      [joined, "birthDate"],
      [noted, "text"],
      [feedback, "comment"],
    ] as const) {
      const value = ((e?.data ?? {}) as Record<string, unknown>)[field];
      expect(isSealedValue(value), field).toBe(true);
      expect(
        openValue(testDataKey("a"), e?.eventId as string, field, value as { $pii: string }),
      ).toBeDefined();
    }
    // consent, lang and attributes are not personal: plain.
    expect(joined?.data).toMatchObject({ consent: { email: true } });
    // A fresh ledger on the same store opens them when it loads the stream.
    const fresh = createLedger({ store: c.store, program: encrypting(), keyStore: c.keyStore });
    expect((await fresh.loadMember("a")).profile).toMatchObject({
      name: "Ali",
      contact: { email: "a@x.org" },
    });
  });
});

describe("club-v1 §6, §10: forget", () => {
  it("under a program that does not encrypt is ERASURE_UNAVAILABLE (step 6, after UNKNOWN_MEMBER)", async () => {
    const c = club();
    expect(await c.code(forget("a", T0, "r1"))).toBe("UNKNOWN_MEMBER");
    await c.ok(join("a", T0, { name: "Ali" }));
    expect(await c.run(forget("a", day(1), "r1"))).toMatchObject({
      status: "rejected",
      rejection: {
        code: "ERASURE_UNAVAILABLE",
        message:
          'requestId: program test does not encrypt personal data, so it cannot be erased; publish a version with "privacy": {"encryptPersonalData": true} for the members who join after it',
      },
    });
    expect(await c.types("a")).toEqual(["MemberJoined"]);
  });

  it("appends MemberForgotten (actor in metadata), then destroys the key: every read shows the values as absent", async () => {
    const c = club(encrypting());
    await c.ok(
      join("a", T0, { name: "Ali", contact: { phone: "+989120000001" }, consent: { sms: true }, lang: "fa" }),
    );
    await c.ok(note("a", day(1), "n-1"), forget("a", day(2), "r1"));
    const stored = (await c.stream("a")).at(-1);
    expect(stored?.data).toEqual({ requestId: "r1", actor: "dpo" });
    expect(stored?.metadata).toMatchObject({ commandId: "forget:r1", actor: "dpo" });
    expect(await c.keyStore.get("a")).toBeUndefined();
    const cached = await c.ledger.loadMember("a");
    const reloaded = await createLedger({
      store: c.store,
      program: encrypting(),
      keyStore: c.keyStore,
    }).loadMember("a");
    for (const s of [cached, reloaded]) {
      expect(s.profile).toEqual({ consent: { sms: true }, lang: "fa", attributes: {} });
      expect(s.notes.get("n-1")).toEqual({ at: Date.parse(day(1)), actor: "ops" });
      expect(s.forgottenAt).toBe(Date.parse(day(2)));
    }
  });

  it("after forget: a personal value is VALIDATION (step 6); commands without one go on; balances stay", async () => {
    const c = club(encrypting());
    await c.ok(join("a", T0, { name: "Ali" }), purchase("a", day(1), "p1", "10"), forget("a", day(2), "r1"));
    expect(await c.run(update("a", day(3), "u1", { name: "X" }))).toMatchObject({
      rejection: {
        code: "VALIDATION",
        message: "name: member a was forgotten: personal data is not stored for it again",
      },
    });
    expect(await c.code(update("a", day(3), "u1", { contact: { email: null } }))).toBe("VALIDATION");
    expect(await c.code(note("a", day(3), "n-1"))).toBe("VALIDATION");
    expect(
      await c.code({ type: "feedback", memberId: "a", at: day(3), feedbackId: "f", score: 1, comment: "x" }),
    ).toBe("VALIDATION");
    await c.ok(update("a", day(3), "u2", { consent: { sms: true } }), purchase("a", day(4), "p2", "5"), {
      type: "feedback",
      memberId: "a",
      at: day(5),
      feedbackId: "f2",
      score: 7,
    });
    expect((await c.balance("a", day(5))).available).toBe(15);
  });

  it("retries are compared on what can still be read: a join with its name is MEMBER_EXISTS, without it a no-op", async () => {
    const c = club(encrypting());
    await c.ok(join("a", T0, { name: "Ali", consent: { sms: true } }), forget("a", day(1), "r1"));
    expect(await c.code(join("a", T0, { name: "Ali", consent: { sms: true } }))).toBe("MEMBER_EXISTS");
    expect(await c.run(join("a", T0, { consent: { sms: true } }))).toMatchObject({
      replay: true,
      events: [],
    });
    // The same forget again is a no-op; another requestId appends another MemberForgotten.
    expect(await c.run(forget("a", day(1), "r1"))).toMatchObject({ replay: true, events: [] });
    expect(await c.code(forget("a", day(1), "r1", "someone-else"))).toBe("IDEMPOTENCY_CONFLICT");
    await c.ok(forget("a", day(2), "r2"));
    expect((await c.types("a")).filter((t) => t === "MemberForgotten")).toHaveLength(2);
  });

  it("birthday bonuses stop after forget (the birth date can no longer be read)", async () => {
    const c = club(encrypting({ earn: { birthdayBonus: 100 } }));
    await c.ok(join("a", T0, { birthDate: "1980-02-01" }), forget("a", day(1), "r1"));
    const events = await c.ok(purchase("a", "2011-03-01T10:00:00Z", "p1", "5"));
    expect(events.some((e) => e.type === "PointsEarned" && e.data.reason === "birthday")).toBe(false);
  });

  it("forget of a member whose birthday is due pays it first (step 5 runs before step 6)", async () => {
    const c = club(encrypting({ earn: { birthdayBonus: 100 } }));
    await c.ok(join("a", T0, { birthDate: "1980-02-01" }));
    const events = await c.ok(forget("a", "2011-02-02T10:00:00Z", "r1"));
    expect(events.map((e) => e.type)).toEqual(["PointsEarned", "MemberForgotten"]);
  });
});

describe("L1 §5.9, club-v1 §4-§6: IDEMPOTENCY_CONFLICT names the id field", () => {
  it("of update-profile, add-note, message-sent and forget", async () => {
    const c = club(encrypting());
    await c.ok(
      join("a", T0),
      update("a", day(1), "u1", { lang: "fa" }),
      note("a", day(1), "n1"),
      sent("a", day(1), "k1"),
      forget("a", day(1), "r1"),
    );
    const conflicts = [
      update("a", day(2), "u1", { lang: "en" }),
      note("a", day(2), "n1"),
      sent("a", day(2), "k1"),
      forget("a", day(2), "r1"),
    ];
    const messages = [];
    for (const command of conflicts) {
      const outcome = await c.run(command);
      messages.push(
        outcome.status === "rejected" ? `${outcome.rejection.code} ${outcome.rejection.message}` : "",
      );
    }
    expect(messages).toEqual([
      "IDEMPOTENCY_CONFLICT updateId: u1 was already used by another update-profile command",
      "IDEMPOTENCY_CONFLICT noteId: n1 was already used by another add-note command",
      "IDEMPOTENCY_CONFLICT messageKey: k1 was already used by another message-sent command",
      "IDEMPOTENCY_CONFLICT requestId: r1 was already used by another forget command",
    ]);
  });
});
