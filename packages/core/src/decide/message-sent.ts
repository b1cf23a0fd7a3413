import type { MessageSentCommand } from "../commands.js";
import type { Draft } from "./draft.js";

/**
 * Step 6 of message-sent (club-v1 §5, §10): one `MessageSent`; nothing else
 * is checked (the host reports what its gateway took).
 */
export const decideMessageSent = (c: MessageSentCommand, out: Draft, now: number): undefined => {
  out.emit("MessageSent", now, {
    messageKey: c.messageKey,
    channel: c.channel,
    ...(c.providerMessageId !== undefined ? { providerMessageId: c.providerMessageId } : {}),
  });
  return undefined;
};
