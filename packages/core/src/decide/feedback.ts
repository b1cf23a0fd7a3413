import type { FeedbackCommand } from "../commands.js";
import type { Draft } from "./draft.js";

/** Step 6 of feedback (spec 5): one event, nothing else changes. */
export const decideFeedback = (c: FeedbackCommand, out: Draft, now: number): undefined => {
  out.emit("FeedbackSubmitted", now, {
    feedbackId: c.feedbackId,
    score: c.score,
    ...(c.comment !== undefined ? { comment: c.comment } : {}),
  });
  return undefined;
};
