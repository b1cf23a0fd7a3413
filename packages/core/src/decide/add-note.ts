import type { AddNoteCommand } from "../commands.js";
import type { Draft } from "./draft.js";

/** Step 6 of add-note (club-v1 §4): one `NoteAdded`. */
export const decideAddNote = (c: AddNoteCommand, out: Draft, now: number): undefined => {
  out.emit("NoteAdded", now, { noteId: c.noteId, text: c.text, actor: c.actor });
  return undefined;
};
