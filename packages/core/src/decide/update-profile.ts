import type { UpdateProfileCommand } from "../commands.js";
import type { ProfileUpdated } from "../events.js";
import type { Draft } from "./draft.js";

/**
 * Step 6 of update-profile (club-v1 §4, §10): one `ProfileUpdated` with the
 * given keys as given, `null`s included, in the order `updateId, name,
 * contact, consent, lang, birthDate, attributes`. An update with only
 * `updateId` is accepted.
 */
export const decideUpdateProfile = (c: UpdateProfileCommand, out: Draft, now: number): undefined => {
  const data: ProfileUpdated = {
    updateId: c.updateId,
    ...(c.name !== undefined ? { name: c.name } : {}),
    ...(c.contact !== undefined ? { contact: c.contact } : {}),
    ...(c.consent !== undefined ? { consent: c.consent } : {}),
    ...(c.lang !== undefined ? { lang: c.lang } : {}),
    ...(c.birthDate !== undefined ? { birthDate: c.birthDate } : {}),
    ...(c.attributes !== undefined ? { attributes: c.attributes } : {}),
  };
  out.emit("ProfileUpdated", now, data);
  return undefined;
};
