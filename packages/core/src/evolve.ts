import { enableMapSet, Immer } from "immer";
import { applyMemberEvent } from "./apply-event.js";
import type { ProposedEvent } from "./envelope.js";
import { initialMemberState, type MemberState } from "./state.js";
import { cloneMemberState } from "./working-copy.js";

// Map and Set drafts: a plugin immer loads once for every caller; it adds
// support and changes no setting a host app relies on.
enableMapSet();
// Our own instance, so the host app's immer keeps its settings. Deep-freezing
// every new state would cost more than the decision itself.
const immer = new Immer({ autoFreeze: false });

/** Emmett-style evolve: a new state, the old one untouched (immer). */
export const evolve = (state: MemberState, event: ProposedEvent): MemberState =>
  immer.produce(state, (draft) => {
    applyMemberEvent(draft as MemberState, event);
  });

/** Plain fold for loading a stream: no immer, one mutable state. */
export const foldMemberEvents = (
  streamId: string,
  firstTier: string,
  events: Iterable<ProposedEvent>,
  from: MemberState = initialMemberState(streamId, firstTier),
): MemberState => {
  for (const e of events) applyMemberEvent(from, e);
  return from;
};

/** Applies events to a working copy of `state`; `state` is left as it was. */
export const applyToCopy = (state: MemberState, events: Iterable<ProposedEvent>): MemberState => {
  const next = cloneMemberState(state);
  for (const e of events) applyMemberEvent(next, e);
  return next;
};
