import type { MemberJoined, MessageSent, ProfileUpdated } from "@vafa/core";
import { type ClubMember, type KeyLookup, openData } from "./club-projection.js";

// A member's profile as of T (club-v1 §4, §10): the join's values, then each
// `ProfileUpdated` in stream order (`name`, `consent`, `lang`, `birthDate`
// replaced; `contact` and `attributes` patched key by key, `null` removing).

export interface Contact {
  email?: string;
  phone?: string;
}

export interface Profile {
  /** `undefined` when the member has not joined by T. */
  joinedAt: string | undefined;
  /** The `MemberJoined` event's id (the welcome message's occurrence). */
  joinEventId: string;
  kind: string;
  name?: string;
  contact: Contact;
  consent: { sms: boolean; email: boolean };
  lang?: "fa" | "en";
  birthDate?: string;
  /** Every birth date given, with the time it was given, in stream order (birthday messages, §10 "Due times"). */
  birthDates: { date: string; givenAt: string }[];
  attributes: Record<string, string | number>;
  /** `NoteAdded` events by T. */
  notes: number;
  /** A `MemberForgotten` by T. */
  forgotten: boolean;
  /** Message keys of the `MessageSent` events by T. */
  sent: Set<string>;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** `contact` patched by `patch`: a string sets a key, `null` removes it (club-v1 §10). */
const patchContact = (contact: Contact, patch: unknown): Contact => {
  if (!isRecord(patch)) return contact;
  const out: Contact = { ...contact };
  for (const key of ["email", "phone"] as const) {
    const v = patch[key];
    if (v === null) delete out[key];
    else if (typeof v === "string") out[key] = v;
  }
  return out;
};

const patchAttributes = (
  attributes: Record<string, string | number>,
  patch: unknown,
): Record<string, string | number> => {
  if (!isRecord(patch)) return attributes;
  const out = { ...attributes };
  for (const [key, v] of Object.entries(patch)) {
    if (v === null) delete out[key];
    else if (typeof v === "string" || (typeof v === "number" && Number.isFinite(v))) out[key] = v;
  }
  return out;
};

const consentOf = (v: unknown): { sms: boolean; email: boolean } => {
  // Absent means no consent: members opt in (club-v1 §4).
  const c = isRecord(v) ? v : {};
  return { sms: c.sms === true, email: c.email === true };
};

const langOf = (v: unknown): "fa" | "en" | undefined => (v === "fa" || v === "en" ? v : undefined);

/** The member's profile from its events with `occurredAt <= t`, sealed values opened with `keys`. */
export const profileAsOf = (member: ClubMember, t: string, keys: KeyLookup): Profile => {
  const p: Profile = {
    joinedAt: undefined,
    joinEventId: "",
    kind: "person",
    contact: {},
    consent: { sms: false, email: false },
    birthDates: [],
    attributes: {},
    notes: 0,
    forgotten: false,
    sent: new Set(),
  };
  for (const e of member.events) {
    if (e.at > t) continue;
    switch (e.type) {
      case "MemberJoined": {
        if (p.joinedAt !== undefined) break;
        const d = openData<Partial<MemberJoined>>(member, e, keys);
        p.joinedAt = e.at;
        p.joinEventId = e.eventId;
        p.kind = typeof d.kind === "string" ? d.kind : "person";
        if (typeof d.name === "string") p.name = d.name;
        p.contact = patchContact({}, d.contact);
        p.consent = consentOf(d.consent);
        const lang = langOf(d.lang);
        if (lang !== undefined) p.lang = lang;
        if (typeof d.birthDate === "string") {
          p.birthDate = d.birthDate;
          p.birthDates.push({ date: d.birthDate, givenAt: e.at });
        }
        p.attributes = patchAttributes({}, d.attributes);
        break;
      }
      case "ProfileUpdated": {
        const d = openData<Partial<ProfileUpdated>>(member, e, keys);
        if (typeof d.name === "string") p.name = d.name;
        if (d.contact !== undefined) p.contact = patchContact(p.contact, d.contact);
        if (d.consent !== undefined) p.consent = consentOf(d.consent);
        const lang = langOf(d.lang);
        if (lang !== undefined) p.lang = lang;
        if (typeof d.birthDate === "string") {
          p.birthDate = d.birthDate;
          p.birthDates.push({ date: d.birthDate, givenAt: e.at });
        }
        if (d.attributes !== undefined) p.attributes = patchAttributes(p.attributes, d.attributes);
        break;
      }
      case "NoteAdded":
        p.notes++;
        break;
      case "MessageSent": {
        const key = (e.data as MessageSent | null)?.messageKey;
        if (typeof key === "string") p.sent.add(key);
        break;
      }
      case "MemberForgotten":
        p.forgotten = true;
        break;
      default:
        break;
    }
  }
  return p;
};
