import { deepStrictEqual, fail } from "node:assert/strict";
import { applyDomainEvent } from "../apply-event.js";
import { type DecideContext, type DecideInput, type Decision, decide } from "../decide/index.js";
import { eventIdFor, memberStreamId } from "../envelope.js";
import type { RejectionCode } from "../errors.js";
import type { LedgerEvent } from "../events.js";
import { initialMemberState, type MemberState } from "../state.js";

// Given / when / then over the plain decider, with no store (after Emmett's
// DeciderSpecification): `given` domain events build the state, `when` runs
// `decide`, `then*` assert on the decision. Assertions use node:assert, so the
// helpers work under any test runner.

interface DeciderThen {
  /** The decision, for checks the helpers below do not cover. */
  decision: Decision;
  /** The decider appends exactly these events (not `then`: that would make the object a thenable). */
  thenAppends(expected: LedgerEvent[]): void;
  thenRejects(code: RejectionCode): void;
  thenReplay(): void;
  thenNothingToDo(): void;
}

export interface DeciderSpecification {
  given(...events: LedgerEvent[]): { when(input: DecideInput): DeciderThen };
  /** The id a lot gets when `commandId` emits it as the command's `index`-th event (spec 2). */
  lotId(commandId: string, index: number): string;
}

/** State of member `memberId` after `events`; each given event counts as its own command. */
export const givenState = (
  ctx: DecideContext,
  memberId: string,
  events: readonly LedgerEvent[],
): MemberState => {
  const state = initialMemberState(memberStreamId(memberId), ctx.program.tiers.levels[0]?.id as string);
  for (const [i, e] of events.entries()) applyDomainEvent(state, e, i, `given:${i}`);
  return state;
};

export const deciderSpecification = (ctx: DecideContext, memberId = "m1"): DeciderSpecification => ({
  given: (...events) => ({
    when: (input) => {
      const decision = decide(input, givenState(ctx, memberId, events), ctx);
      const show = () => JSON.stringify(decision);
      return {
        decision,
        thenAppends: (expected) => {
          if (decision.kind !== "events") fail(`expected events, the decider said ${show()}`);
          deepStrictEqual(decision.events, expected);
        },
        thenRejects: (code) => {
          if (decision.kind !== "rejected") fail(`expected a rejection ${code}, the decider said ${show()}`);
          deepStrictEqual(decision.rejection.code, code);
        },
        thenReplay: () => deepStrictEqual(decision, { kind: "replay" }),
        thenNothingToDo: () => deepStrictEqual(decision, { kind: "nothing-to-do" }),
      };
    },
  }),
  lotId: (commandId, index) => eventIdFor(memberStreamId(memberId), commandId, index),
});
