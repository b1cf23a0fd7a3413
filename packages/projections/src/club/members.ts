import { queryTime } from "../time.js";
import { type ClubProjection, type KeyLookup, NO_KEYS } from "./club-projection.js";
import { type Contact, profileAsOf } from "./profile.js";

/** One row of the `members` projection (club-v1 §4, §10 "members rows"), keys in this order. */
export interface MemberRow {
  memberId: string;
  kind: string;
  name?: string;
  /** Absent when it has no key left (or its key was destroyed). */
  contact?: Contact;
  consent: { sms: boolean; email: boolean };
  lang?: "fa" | "en";
  birthDate?: string;
  attributes: Record<string, string | number>;
  joinedAt: string;
  tier: string;
  /** `NoteAdded` events at or before T. */
  notes: number;
  forgotten: boolean;
}

/**
 * The `members` projection as of T: members joined at or before T, by
 * memberId. Personal values are opened with `keys`; a value whose key was
 * destroyed is absent at every T. Only under a club program (club-v1 §10).
 */
export const membersAsOf = (club: ClubProjection, asOf: string, keys: KeyLookup = NO_KEYS): MemberRow[] => {
  const t = queryTime(asOf, "asOf");
  const program = club.clubProgram("the members projection");
  const firstTier = program.tiers.levels[0]?.id ?? "";
  const rows: MemberRow[] = [];
  for (const member of club.members()) {
    const p = profileAsOf(member, t, keys);
    if (p.joinedAt === undefined) continue;
    // `tier` as in balances: the last TierChanged, else the first level.
    const tier = member.foldAt(t).tier ?? firstTier;
    const contact: Contact = {};
    if (p.contact.email !== undefined) contact.email = p.contact.email;
    if (p.contact.phone !== undefined) contact.phone = p.contact.phone;
    rows.push({
      memberId: member.memberId,
      kind: p.kind,
      ...(p.name !== undefined ? { name: p.name } : {}),
      ...(Object.keys(contact).length > 0 ? { contact } : {}),
      consent: p.consent,
      ...(p.lang !== undefined ? { lang: p.lang } : {}),
      ...(p.birthDate !== undefined ? { birthDate: p.birthDate } : {}),
      attributes: p.attributes,
      joinedAt: p.joinedAt,
      tier,
      notes: p.notes,
      forgotten: p.forgotten,
    });
  }
  return rows;
};
