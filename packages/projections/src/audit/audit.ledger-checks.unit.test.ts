import { describe, expect, it } from "vitest";
import { clone, type Env, loadExport, loadProgram, normalize, toLines } from "../testing/audit-export.js";
import {
  changeAt,
  full,
  insertAfter,
  loadClubExport,
  loadFixtureEvents,
  only,
} from "../testing/audit-rows.js";
import { auditEvents } from "./audit.js";

// Member streams of the golden export with one rule of spec 5 broken each
// (lot-book.ts, member-audit.ts, earn-checks.ts, refund-checks.ts), replayed
// alone, with the exact findings of spec 7 they must give.

const greg = loadExport("gregorian");

// Ben: signup lot 9262ad32 (expires 04-05) and purchase lot 32e4ae12 (expires
// 04-06) get points back from the reversal @11 (04-08), which expire at once @12, @13.
const BEN_SIGNUP = "9262ad32-19a5-587b-9ef3-859e1654afe9";
const BEN_B2001 = "32e4ae12-feca-5a9b-b2c9-ff9ddb4c7564";
const BEN_B2002 = "3210257f-8f62-5907-bcba-6e91aa15c56f";
// Ava: referral lot (70 left after a-r1) and lot of a-1002, both taken by a-r2 @18.
const AVA_REFERRAL = "ee769c3b-6897-5dc6-af84-8ed99fde16a7";
const AVA_A1002 = "679cf6e0-be8a-5f6c-a816-a7ad9c972aaf";
const ZERO_LOT = "00000000-0000-5000-8000-000000000000";

interface Row {
  name: string;
  input: () => Env[];
  findings: string[];
}

const feedback = (e: Env, feedbackId: string): void => {
  Object.assign(e, { type: "FeedbackSubmitted", data: { feedbackId, score: 5 } });
  e.metadata.commandId = `feedback:${feedbackId}`;
  e.metadata.correlationId = `feedback:${feedbackId}`;
};

const lotRows: Row[] = [
  {
    name: "a birthday lot before the signup lot: the signup is the first, not a second (5.1, 5.6)",
    input: () => {
      const birthdayFirst = changeAt(greg, "member-ben", 1, (e) => {
        e.data.reason = "birthday";
        e.data.birthdayYear = 1999;
      });
      return only(
        "member-ben",
        insertAfter(birthdayFirst, "member-ben", 1, (e) => {
          e.data.reason = "signup";
          delete e.data.birthdayYear;
        }),
      );
    },
    // The extra lot changes what the clawback and the reversal find; no second-signup finding.
    findings: [
      "CLAWBACK_MISMATCH member-ben@11: allocations [3210257f-8f62-5907-bcba-6e91aa15c56f:40], 5.3 gives [b14c57cf-c0d6-5f13-a7f6-6a7986ff87ab:50]; debtIncurred is 10, 5.3 gives 0",
      "EXPIRY_MISMATCH member-ben@12: RedemptionReversed at 2011-04-08T10:00:00.000Z while lot b14c57cf-c0d6-5f13-a7f6-6a7986ff87ab still holds 50 points past its expiry 2011-04-05T10:00:00.000Z",
    ],
  },
  {
    name: "a lot of a reason that needs two fields carries none: both are named (7, earn fields)",
    input: () =>
      only(
        "member-ben",
        changeAt(greg, "member-ben", 1, (e) => {
          e.data.reason = "draw";
        }),
      ),
    findings: [
      "SCHEMA member-ben@1: a draw PointsEarned cannot come from join:ben",
      "SCHEMA member-ben@1: a draw lot carries no optional field; it must carry drawId, rank",
    ],
  },
  {
    name: "two allocations on one lot that together take more than it holds (5.5)",
    input: () =>
      only(
        "member-ava",
        changeAt(greg, "member-ava", 18, (e) => {
          e.data.allocations = [
            { lotId: AVA_REFERRAL, points: 40 },
            { lotId: AVA_REFERRAL, points: 40 },
            { lotId: AVA_A1002, points: 120 },
          ];
        }),
      ),
    findings: [
      `ALLOCATION member-ava@18: allocation takes 80 points from lot ${AVA_REFERRAL}, which holds 70`,
      "EXPIRY_MISMATCH member-ava@20: expires 90 points, the lot holds 100",
    ],
  },
  {
    name: "a second reversal of one redemption (5.5)",
    input: () =>
      only(
        "member-ben",
        insertAfter(greg, "member-ben", 11, () => {}),
      ),
    findings: [
      `EXPIRY_MISMATCH member-ben@12: RedemptionReversed at 2011-04-08T10:00:00.000Z while lot ${BEN_SIGNUP} still holds 40 points past its expiry 2011-04-05T10:00:00.000Z`,
      `EXPIRY_MISMATCH member-ben@12: RedemptionReversed at 2011-04-08T10:00:00.000Z while lot ${BEN_B2001} still holds 50 points past its expiry 2011-04-06T11:00:00.000Z`,
      "ALLOCATION member-ben@12: redemption b-r1 was already reversed",
      "ALLOCATION member-ben@12: debtRepaid is 10, the debt asks for 0",
      "EXPIRY_MISMATCH member-ben@13: expires 40 points, the lot holds 80",
      "EXPIRY_MISMATCH member-ben@14: expires 50 points, the lot holds 100",
    ],
  },
  {
    name: "a reversal that gives back to three lots what was taken from two (5.5)",
    input: () =>
      only(
        "member-ben",
        changeAt(greg, "member-ben", 11, (e) => {
          e.data.allocations = [
            { lotId: BEN_SIGNUP, points: 50 },
            { lotId: BEN_B2001, points: 40 },
            { lotId: BEN_B2002, points: 10 },
          ];
        }),
      ),
    findings: [
      "ALLOCATION member-ben@11: reversal of b-r1 does not give back exactly what it took (100 points from 2 lots)",
      "EXPIRY_MISMATCH member-ben@13: expires 50 points, the lot holds 40",
    ],
  },
  {
    name: "a reversal to a lot the stream never recorded (5.5)",
    input: () =>
      only(
        "member-ben",
        changeAt(greg, "member-ben", 11, (e) => {
          e.data.allocations[1].lotId = ZERO_LOT;
        }),
      ),
    findings: [
      "ALLOCATION member-ben@11: reversal of b-r1 does not give back exactly what it took (100 points from 2 lots)",
      `ALLOCATION member-ben@11: allocation names unknown lot ${ZERO_LOT}`,
      `EXPIRY_MISMATCH member-ben@13: expiry dated 2011-04-08T10:00:00.000Z, the lot expires at 2011-04-06T11:00:00.000Z; expires 50 points, the lot holds 0`,
    ],
  },
  {
    name: "points given back to an expired lot expire right after the reversal, not after another event (5.5, 5.6)",
    input: () =>
      only(
        "member-ben",
        insertAfter(greg, "member-ben", 11, (e) => feedback(e, "x-f9")),
      ),
    findings: [
      `EXPIRY_MISMATCH member-ben@12: FeedbackSubmitted at 2011-04-08T10:00:00.000Z while lot ${BEN_SIGNUP} still holds 40 points past its expiry 2011-04-05T10:00:00.000Z`,
      `EXPIRY_MISMATCH member-ben@12: FeedbackSubmitted at 2011-04-08T10:00:00.000Z while lot ${BEN_B2001} still holds 50 points past its expiry 2011-04-06T11:00:00.000Z`,
      "EXPIRY_MISMATCH member-ben@13: expiry dated 2011-04-08T10:00:00.000Z, the lot expires at 2011-04-05T10:00:00.000Z",
      "EXPIRY_MISMATCH member-ben@14: expiry dated 2011-04-08T10:00:00.000Z, the lot expires at 2011-04-06T11:00:00.000Z",
    ],
  },
  {
    name: "a lot expired twice at the reversal's time: the second expiry is off its date (5.6)",
    input: () =>
      only(
        "member-ben",
        insertAfter(greg, "member-ben", 12, () => {}),
      ),
    findings: [
      "EXPIRY_MISMATCH member-ben@13: expiry dated 2011-04-08T10:00:00.000Z, the lot expires at 2011-04-05T10:00:00.000Z; expires 40 points, the lot holds 0",
    ],
  },
  {
    name: "a refund of a cent more than is left to refund (5.3)",
    input: () =>
      only(
        "member-ben",
        changeAt(greg, "member-ben", 9, (e) => {
          e.data.amount = "50.01";
        }),
      ),
    findings: [
      "CLAWBACK_MISMATCH member-ben@9: refund of 50.01 where 50 of purchase b-2001 is left to refund",
    ],
  },
  {
    name: "a lotId that is not its event's eventId: the lot goes by the id it names (4)",
    input: () =>
      only(
        "member-ben",
        changeAt(greg, "member-ben", 1, (e) => {
          e.data.lotId = ZERO_LOT;
        }),
      ),
    findings: [
      `SCHEMA member-ben@1: lotId ${ZERO_LOT} is not the event's eventId`,
      `ALLOCATION member-ben@6: allocation names unknown lot ${BEN_SIGNUP}`,
      `CLAWBACK_MISMATCH member-ben@10: allocations [${BEN_B2002}:40], 5.3 gives [${ZERO_LOT}:50]; debtIncurred is 10, 5.3 gives 0`,
      `EXPIRY_MISMATCH member-ben@11: RedemptionReversed at 2011-04-08T10:00:00.000Z while lot ${ZERO_LOT} still holds 50 points past its expiry 2011-04-05T10:00:00.000Z`,
      `ALLOCATION member-ben@11: allocation names unknown lot ${BEN_SIGNUP}`,
      `EXPIRY_MISMATCH member-ben@12: expiry of unknown lot ${BEN_SIGNUP}`,
    ],
  },
  {
    name: "a lot recorded again under a lotId the stream has (4)",
    input: () =>
      only(
        "member-ben",
        changeAt(
          insertAfter(greg, "member-ben", 1, () => {}),
          "member-ben",
          2,
          (e) => {
            e.data.lotId = BEN_SIGNUP;
          },
        ),
      ),
    findings: [
      `SCHEMA member-ben@2: lotId ${BEN_SIGNUP} is not the event's eventId`,
      `SCHEMA member-ben@2: lotId ${BEN_SIGNUP} repeats in the stream`,
    ],
  },
];

describe("7 lots, allocations and expiry (5.5, 5.6): exact findings", () => {
  it.each(lotRows)("7 $name", async ({ input, findings }) => {
    expect(full(await auditEvents(toLines(input())))).toEqual(findings);
  });
});

/** The golden export without streamId@revision, renumbered and re-chained. */
const without = (streamId: string, revision: number): Env[] =>
  normalize(clone(greg).filter((e) => !(e.streamId === streamId && e.revision === revision)));
/** The golden export with streamId@from moved right after streamId@after. */
const moveAfter = (streamId: string, from: number, after: number): Env[] => {
  const copy = clone(greg);
  const [e] = copy.splice(
    copy.findIndex((x) => x.streamId === streamId && x.revision === from),
    1,
  );
  copy.splice(copy.findIndex((x) => x.streamId === streamId && x.revision === after) + 1, 0, e as Env);
  return normalize(copy);
};

// With the program given: the lot as the program checks read it (section 4, 5.6).
const gregProgram = loadProgram("gregorian");
const programRows: Row[] = [
  {
    name: "an adjustment lot that never expires under a rolling expiry",
    input: () =>
      only(
        "member-ava",
        changeAt(greg, "member-ava", 15, (e) => {
          e.data.expiresAt = null;
        }),
      ),
    findings: [
      "EARN_MISMATCH member-ava@15: expiresAt is never, the program gives 2011-06-12T09:00:00.000Z",
      "EXPIRY_MISMATCH member-ava@24: lot f795c361-dc6a-559f-bc11-39420b007a52 expires never, after this expiry",
    ],
  },
  {
    name: "a birthday lot of a year before the member joined",
    input: () =>
      only(
        "member-cleo",
        changeAt(greg, "member-cleo", 12, (e) => {
          e.data.birthdayYear = 2010;
        }),
      ),
    findings: [
      "EARN_MISMATCH member-cleo@12: birthday of gregorian year 2010 falls before the member joined",
    ],
  },
  {
    name: "a birthday lot for a member who never gave a birth date (5.6)",
    input: () =>
      only(
        "member-ben",
        insertAfter(greg, "member-ben", 1, (e) => {
          Object.assign(e.data, { reason: "birthday", birthdayYear: 2011, points: 100 });
        }),
      ),
    findings: [
      "EARN_MISMATCH member-ben@2: birthday points for a member without birthDate",
      "CLAWBACK_MISMATCH member-ben@11: allocations [3210257f-8f62-5907-bcba-6e91aa15c56f:40], 5.3 gives [b14c57cf-c0d6-5f13-a7f6-6a7986ff87ab:50]; debtIncurred is 10, 5.3 gives 0",
      "EXPIRY_MISMATCH member-ben@12: RedemptionReversed at 2011-04-08T10:00:00.000Z while lot b14c57cf-c0d6-5f13-a7f6-6a7986ff87ab still holds 100 points past its expiry 2011-04-05T10:00:00.000Z",
    ],
  },
  {
    name: "a purchase without its lot, reported before the next purchase (5.2)",
    input: () => only("member-ava", without("member-ava", 3)),
    findings: [
      "EARN_MISMATCH member-ava@2: purchase a-1001 should have earned 120 points and earned none",
      "ALLOCATION member-ava@7: allocation names unknown lot ffc356e8-d6f2-5c67-a2de-7071f981cddf",
      "OVERDRAW member-ava@7: redemption a-r1 of 300 points, 250 available",
    ],
  },
  {
    name: "another lot between a purchase and its lot (5.2)",
    input: () => only("member-ava", moveAfter("member-ava", 4, 2)),
    findings: [
      "EARN_MISMATCH member-ava@2: purchase a-1001 should have earned 120 points and earned none",
      "TIME_REVERSED member-ava@4: occurredAt 2011-01-03T09:30:00.000Z is before the previous event's",
      "EARN_MISMATCH member-ava@4: purchase points recorded apart from purchase a-1001",
    ],
  },
  {
    name: "a refund without its clawback, reported before the next refund (5.3)",
    input: () => only("member-ben", without("member-ben", 8)),
    findings: [
      "CLAWBACK_MISMATCH member-ben@7: refund b-2001-c1 should claw back 30 points and no clawback follows",
      "CLAWBACK_MISMATCH member-ben@9: takes 50 points, 5.3 gives 80; allocations [3210257f-8f62-5907-bcba-6e91aa15c56f:40], 5.3 gives [32e4ae12-feca-5a9b-b2c9-ff9ddb4c7564:30,3210257f-8f62-5907-bcba-6e91aa15c56f:40]",
      "EXPIRY_MISMATCH member-ben@10: RedemptionReversed at 2011-04-08T10:00:00.000Z while lot 32e4ae12-feca-5a9b-b2c9-ff9ddb4c7564 still holds 30 points past its expiry 2011-04-06T11:00:00.000Z",
      "EXPIRY_MISMATCH member-ben@12: expires 50 points, the lot holds 80",
    ],
  },
  {
    name: "a log that ends after a purchase, before its lot (5.2)",
    input: () => only("member-ben", clone(greg)).slice(0, 3),
    findings: ["EARN_MISMATCH member-ben@2: purchase b-2001 should have earned 80 points and earned none"],
  },
  {
    name: "a log that ends after a refund, before its clawback (5.3)",
    input: () => only("member-ben", clone(greg)).slice(0, 10),
    findings: [
      "CLAWBACK_MISMATCH member-ben@9: refund b-2001-c2 should claw back 50 points and no clawback follows",
    ],
  },
];

describe("7 lots against the program (4, 5.6): exact findings", () => {
  it.each(programRows)("7 $name", async ({ input, findings }) => {
    expect(full(await auditEvents(toLines(input()), { programs: [gregProgram] }))).toEqual(findings);
  });
});

// The club vectors (club-v1 §3): Ali enters the spring draw @7 with 60 points
// of her lot of a1, which holds 350 then.
const club = loadClubExport("gregorian");
const ALI_A1 = "f9111098-d4ae-585c-8bf5-3ad707b2d8b2";

const drawRows: Row[] = [
  {
    name: "an entryId again (club-v1 §3)",
    input: () => insertAfter(club, "member-ali", 7, () => {}),
    findings: [
      "DRAW_MISMATCH draw-spring@0: rank 1: recorded sara (2 tickets), re-derived ali (6 tickets)",
      "DRAW_MISMATCH draw-spring@0: rank 2: recorded ali (3 tickets), re-derived sara (2 tickets)",
      "DRAW_MISMATCH draw-spring@0: recorded 6 tickets of 3 entrants, re-derived 9 of 3",
      "SCHEMA member-ali@8: entryId ea1 repeats in the stream",
      "EXPIRY_MISMATCH member-ali@13: expires 290 points, the lot holds 230",
    ],
  },
  {
    name: "a draw entry paid with more points than are available (club-v1 §3, 5.5)",
    input: () =>
      changeAt(club, "member-ali", 7, (e) => {
        e.data.points = 400;
        e.data.allocations[0].points = 400;
      }),
    findings: [
      `ALLOCATION member-ali@7: allocation takes 400 points from lot ${ALI_A1}, which holds 350`,
      "OVERDRAW member-ali@7: draw entry ea1 of 400 points, 350 available",
      "DRAW_MISMATCH member-ali@7: entry ea1 of ali: 400 points for 3 tickets; the draw charges 3 × 20 = 60",
      "EXPIRY_MISMATCH member-ali@12: expires 290 points, the lot holds -50",
    ],
  },
];

describe("7 draw entries paid like redemptions: exact findings", () => {
  it.each(drawRows)("7 $name", async ({ input, findings }) => {
    expect(full(await auditEvents(toLines(input())))).toEqual(findings);
  });
});

describe("club-v1 §2: a member's reward redemptions are checked against the reward streams", () => {
  it("without the reward streams, each stocked redemption of the members has no claim", async () => {
    const log = loadFixtureEvents("club-vectors/rewards-gregorian").filter(
      (e) => !String(e.streamId).startsWith("reward-"),
    );
    expect(full(await auditEvents(log))).toEqual([
      "STOCK_OVERDRAWN member-ali@5: redemption ali/ra1 of stocked reward mug has no claim",
      "STOCK_OVERDRAWN member-ali@11: redemption ali/ra4 of stocked reward lamp has no claim",
      "STOCK_OVERDRAWN member-reza@5: redemption reza/rr1 of stocked reward mug has no claim",
      "STOCK_OVERDRAWN member-reza@10: redemption reza/rr5 of stocked reward torch has no claim",
      "STOCK_OVERDRAWN member-sara@4: redemption sara/rs1 of stocked reward mug has no claim",
    ]);
  });
});
