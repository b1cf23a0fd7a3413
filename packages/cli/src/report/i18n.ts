import type { LiabilityBucketKey, ReportLang, RfmSegment } from "./types.js";

export type RollforwardKey =
  | "opening"
  | "earned"
  | "redeemed"
  | "reversed"
  | "expired"
  | "clawedBack"
  | "debited"
  | "closing";

export interface Labels {
  title: string;
  program: string;
  version: string;
  currency: string;
  calendar: string;
  calendars: { gregorian: string; jalali: string };
  asOf: string;
  period: string;
  periodEndExclusive: string;
  generatedAt: string;
  contents: string;
  summary: string;
  kpi: {
    members: string;
    newMembers: string;
    activeMembers: string;
    repeatRate: string;
    revenue: string;
    pointsEarned: string;
    pointsRedeemed: string;
    redemptionRate: string;
    breakageRate: string;
    nps: string;
    /** Club programs only (club-v1 §5). */
    messagesSent: string;
    interactions: string;
    outstandingPoints: string;
    liabilityValue: string;
    memberDebt: string;
    top20Share: string;
  };
  rollforward: {
    title: string;
    intro: string;
    line: string;
    points: string;
    reconciles: string;
    doesNotReconcile: string;
    lines: Record<RollforwardKey, string>;
    chart: string;
  };
  liability: {
    title: string;
    intro: string;
    bucket: string;
    points: string;
    value: string;
    share: string;
    total: string;
    debt: string;
    buckets: Record<LiabilityBucketKey, string>;
    chart: string;
  };
  monthly: {
    title: string;
    intro: string;
    month: string;
    earned: string;
    redeemed: string;
    expired: string;
    empty: string;
    chart: string;
  };
  tiers: { title: string; intro: string; tier: string; members: string; share: string; chart: string };
  rfm: {
    title: string;
    intro: string;
    recency: string;
    frequency: string;
    segment: string;
    members: string;
    segments: Record<RfmSegment, string>;
    empty: string;
    chart: string;
    fewer: string;
    more: string;
  };
  concentration: {
    title: string;
    intro: string;
    topShare: (topCount: string, population: string, share: string) => string;
    periodShare: string;
    membersAxis: string;
    revenueAxis: string;
    equality: string;
    empty: string;
    chart: string;
    window: (days: string) => string;
    largestBalances: string;
    member: string;
    tier: string;
    available: string;
    pending: string;
    debt: string;
    net: string;
  };
  /** The rewards & draws section (club-v1 §2, §3), shown when the program has any. */
  club: {
    title: string;
    intro: string;
    rewards: string;
    reward: string;
    cost: string;
    redeemed: string;
    reversed: string;
    stock: string;
    claimed: string;
    stockLeft: string;
    noLimit: string;
    coupons: string;
    issued: string;
    open: string;
    used: string;
    void: string;
    expired: string;
    noCoupons: string;
    total: string;
    draws: string;
    draw: string;
    entryWindow: string;
    entries: string;
    heldAt: string;
    notHeld: string;
    entrants: string;
    tickets: string;
    winners: string;
    noWinners: string;
    /** `count`: the ticket count as a number (for the plural), `tickets` and `prizePoints` as written. */
    winner: (count: number, tickets: string, prizePoints: string) => string;
  };
  audit: {
    title: string;
    ok: string;
    notOk: string;
    streams: string;
    events: string;
    findings: string;
    stream: string;
    revision: string;
    eventId: string;
    code: string;
    message: string;
    shown: (shown: string, total: string) => string;
    noStream: string;
  };
  /** What each figure is computed over (issue 9), so figures from different windows reconcile. */
  windows: {
    periodFigures: string;
    asOfFigures: string;
    asOfInclusive: string;
    months: (count: string, calendar: string) => string;
    otherLanguage: string;
    rfmInterval: string;
    rfmRevenue: string;
    reconcile: string;
    allEvents: string;
  };
  footer: string;
}

const en: Labels = {
  title: "Loyalty ledger report",
  program: "Program",
  version: "version",
  currency: "Currency",
  calendar: "Calendar",
  calendars: { gregorian: "Gregorian", jalali: "Jalali (Solar Hijri)" },
  asOf: "As of",
  period: "Period",
  periodEndExclusive: "end exclusive",
  generatedAt: "Generated",
  contents: "Contents",
  summary: "Key figures for the period",
  kpi: {
    members: "Members",
    newMembers: "New members",
    activeMembers: "Active members",
    repeatRate: "Repeat rate",
    revenue: "Revenue",
    pointsEarned: "Points earned",
    pointsRedeemed: "Points redeemed (net)",
    redemptionRate: "Redemption rate",
    breakageRate: "Breakage rate",
    nps: "NPS",
    messagesSent: "Messages sent",
    interactions: "Interactions",
    outstandingPoints: "Outstanding points",
    liabilityValue: "Liability value",
    memberDebt: "Member debt (points)",
    top20Share: "Revenue share of top 20%",
  },
  rollforward: {
    title: "Points roll-forward",
    intro: "Movement of the net points balance of all members over the period.",
    line: "Line",
    points: "Points",
    reconciles: "Opening + earned − redeemed + reversed − expired − clawed back − debited = closing",
    doesNotReconcile: "The lines do not add up to the closing balance",
    lines: {
      opening: "Opening balance",
      earned: "Earned",
      redeemed: "Redeemed",
      reversed: "Redemptions reversed",
      expired: "Expired",
      clawedBack: "Clawed back (refunds)",
      debited: "Debited (adjustments)",
      closing: "Closing balance",
    },
    chart: "Waterfall chart of the points roll-forward",
  },
  liability: {
    title: "Liability by expiry",
    intro: "Outstanding points (available and pending) by days until they expire, valued at the point value.",
    bucket: "Expires in",
    points: "Points",
    value: "Value",
    share: "Share",
    total: "Total",
    debt: "Member debt not included above (points)",
    buckets: {
      le30: "0–30 days",
      d31_90: "31–90 days",
      d91_180: "91–180 days",
      d181_365: "181–365 days",
      gt365: "Over 365 days",
      never: "Never",
    },
    chart: "Bar chart of outstanding points by expiry bucket",
  },
  monthly: {
    title: "Monthly points",
    intro: "Points earned, redeemed and expired per month.",
    month: "Month",
    earned: "Earned",
    redeemed: "Redeemed",
    expired: "Expired",
    empty: "No monthly activity.",
    chart: "Grouped bar chart of points earned, redeemed and expired per month",
  },
  tiers: {
    title: "Tier distribution",
    intro: "Members in each tier.",
    tier: "Tier",
    members: "Members",
    share: "Share",
    chart: "Bar chart of members per tier",
  },
  rfm: {
    title: "RFM segments",
    intro:
      "Members with a purchase, by recency score (rows) and frequency score (columns); each cell counts members and names its segment.",
    recency: "Recency score (r)",
    frequency: "Frequency score (f)",
    segment: "Segment",
    members: "Members",
    segments: {
      champions: "Champions",
      loyal_customers: "Loyal customers",
      potential_loyalists: "Potential loyalists",
      new_customers: "New customers",
      promising: "Promising",
      need_attention: "Need attention",
      about_to_sleep: "About to sleep",
      at_risk: "At risk",
      cant_lose: "Can't lose them",
      hibernating: "Hibernating",
    },
    empty: "No member has a purchase yet.",
    chart: "Heat map of members by recency and frequency score",
    fewer: "fewer",
    more: "more",
  },
  concentration: {
    title: "Member concentration",
    intro:
      "Cumulative share of revenue held by the members ranked from the largest spender down (Pareto curve).",
    topShare: (top, n, share) => `The top 20% of members (${top} of ${n}) account for ${share} of revenue`,
    periodShare: "Top-20% revenue share in the period (KPI)",
    membersAxis: "Share of members, largest spenders first",
    revenueAxis: "Share of revenue",
    equality: "Equal shares",
    empty: "No revenue to rank.",
    chart: "Pareto curve of cumulative revenue share by member",
    window: (days) => `RFM window of ${days} days`,
    largestBalances: "Largest balances",
    member: "Member",
    tier: "Tier",
    available: "Available",
    pending: "Pending",
    debt: "Debt",
    net: "Net balance",
  },
  club: {
    title: "Rewards and draws",
    intro: "Redemptions, stock and coupons per reward, and the prize draws with their winners.",
    rewards: "Rewards catalogue",
    reward: "Reward",
    cost: "Cost (points)",
    redeemed: "Redeemed",
    reversed: "Reversed",
    stock: "Stock",
    claimed: "Claimed",
    stockLeft: "Stock left",
    noLimit: "no limit",
    coupons: "Coupons per reward",
    issued: "Issued",
    open: "Open",
    used: "Used",
    void: "Void",
    expired: "Expired",
    noCoupons: "No reward issues coupons.",
    total: "Total",
    draws: "Prize draws",
    draw: "Draw",
    entryWindow: "Entry window",
    entries: "Ticket purchases",
    heldAt: "Held",
    notHeld: "not drawn yet",
    entrants: "Entrants",
    tickets: "Tickets",
    winners: "Winners",
    noWinners: "no entrants",
    winner: (count, tickets, prizePoints) =>
      `${tickets} ${count === 1 ? "ticket" : "tickets"}, ${prizePoints} prize points`,
  },
  audit: {
    title: "Audit",
    ok: "The ledger audits clean",
    notOk: "The audit found problems",
    streams: "Streams",
    events: "Events",
    findings: "Findings",
    stream: "Stream",
    revision: "Revision",
    eventId: "Event id",
    code: "Code",
    message: "Message",
    shown: (shown, total) => `Showing the first ${shown} of ${total} findings.`,
    noStream: "(no stream)",
  },
  windows: {
    periodFigures: "Over the period",
    asOfFigures: "At the as-of time",
    asOfInclusive: "events up to and including this time",
    months: (n, calendar) => `${n} ${calendar} calendar months; the last one is cut at the as-of time`,
    otherLanguage:
      "A Persian report of this ledger counts Jalali months, so its period, and every figure over the period, differ from this one.",
    rfmInterval: "start exclusive, end inclusive",
    rfmRevenue: "Revenue in the RFM window",
    reconcile:
      "The Pareto curve and the revenue beside it cover the RFM window; the summary's revenue and the top-20% KPI cover the period. They agree only where the two windows do.",
    allEvents: "Covers every event read, including any after the as-of time.",
  },
  footer: "Made by vafa report from the event log. Points are whole points; money is exact.",
};

const fa: Labels = {
  title: "گزارش دفتر امتیاز وفاداری",
  program: "برنامه",
  version: "نسخه",
  currency: "ارز",
  calendar: "تقویم",
  calendars: { gregorian: "میلادی", jalali: "هجری شمسی" },
  asOf: "تاریخ گزارش",
  period: "دوره",
  periodEndExclusive: "بدون احتساب پایان",
  generatedAt: "زمان تهیه",
  contents: "فهرست",
  summary: "شاخص‌های کلیدی دوره",
  kpi: {
    members: "اعضا",
    newMembers: "اعضای جدید",
    activeMembers: "اعضای فعال",
    repeatRate: "نرخ خرید تکراری",
    revenue: "درآمد",
    pointsEarned: "امتیاز کسب‌شده",
    pointsRedeemed: "امتیاز مصرف‌شده (خالص)",
    redemptionRate: "نرخ مصرف امتیاز",
    breakageRate: "نرخ سوخت امتیاز",
    nps: "شاخص NPS",
    messagesSent: "پیام‌های ارسال‌شده",
    interactions: "تعامل‌ها",
    outstandingPoints: "امتیاز باقی‌مانده",
    liabilityValue: "ارزش تعهد",
    memberDebt: "بدهی اعضا (امتیاز)",
    top20Share: "سهم ۲۰٪ برتر از درآمد",
  },
  rollforward: {
    title: "گردش امتیاز",
    intro: "تغییر مانده خالص امتیاز همه اعضا در طول دوره.",
    line: "ردیف",
    points: "امتیاز",
    reconciles: "مانده ابتدا + کسب − مصرف + برگشت مصرف − انقضا − بازپس‌گیری − کسر = مانده پایان",
    doesNotReconcile: "جمع ردیف‌ها با مانده پایان دوره برابر نیست",
    lines: {
      opening: "مانده ابتدای دوره",
      earned: "کسب‌شده",
      redeemed: "مصرف‌شده",
      reversed: "برگشت مصرف",
      expired: "منقضی‌شده",
      clawedBack: "بازپس‌گیری (مرجوعی)",
      debited: "کسر (اصلاحیه)",
      closing: "مانده پایان دوره",
    },
    chart: "نمودار آبشاری گردش امتیاز",
  },
  liability: {
    title: "تعهد بر اساس سررسید انقضا",
    intro: "امتیازهای باقی‌مانده (قابل استفاده و در انتظار) بر اساس روزهای مانده تا انقضا، به ارزش هر امتیاز.",
    bucket: "انقضا تا",
    points: "امتیاز",
    value: "ارزش",
    share: "سهم",
    total: "جمع",
    debt: "بدهی اعضا که در بالا منظور نشده (امتیاز)",
    buckets: {
      le30: "۰ تا ۳۰ روز",
      d31_90: "۳۱ تا ۹۰ روز",
      d91_180: "۹۱ تا ۱۸۰ روز",
      d181_365: "۱۸۱ تا ۳۶۵ روز",
      gt365: "بیش از ۳۶۵ روز",
      never: "بدون انقضا",
    },
    chart: "نمودار میله‌ای امتیاز باقی‌مانده بر اساس سررسید",
  },
  monthly: {
    title: "امتیاز ماهانه",
    intro: "امتیاز کسب‌شده، مصرف‌شده و منقضی‌شده در هر ماه.",
    month: "ماه",
    earned: "کسب‌شده",
    redeemed: "مصرف‌شده",
    expired: "منقضی‌شده",
    empty: "فعالیتی در این ماه‌ها نیست.",
    chart: "نمودار میله‌ای گروهی امتیاز ماهانه",
  },
  tiers: {
    title: "توزیع سطح‌ها",
    intro: "تعداد اعضای هر سطح.",
    tier: "سطح",
    members: "اعضا",
    share: "سهم",
    chart: "نمودار میله‌ای اعضای هر سطح",
  },
  rfm: {
    title: "بخش‌بندی RFM",
    intro:
      "اعضای دارای خرید بر اساس امتیاز تازگی (سطرها) و تکرار (ستون‌ها)؛ هر خانه تعداد اعضا و نام بخش را نشان می‌دهد.",
    recency: "امتیاز تازگی (r)",
    frequency: "امتیاز تکرار (f)",
    segment: "بخش",
    members: "اعضا",
    segments: {
      champions: "قهرمانان",
      loyal_customers: "مشتریان وفادار",
      potential_loyalists: "وفاداران بالقوه",
      new_customers: "مشتریان تازه",
      promising: "امیدوارکننده",
      need_attention: "نیازمند توجه",
      about_to_sleep: "در آستانه خواب",
      at_risk: "در معرض ریزش",
      cant_lose: "نباید از دست برود",
      hibernating: "خفته",
    },
    empty: "هنوز هیچ عضوی خرید نکرده است.",
    chart: "نقشه حرارتی اعضا بر اساس امتیاز تازگی و تکرار",
    fewer: "کمتر",
    more: "بیشتر",
  },
  concentration: {
    title: "تمرکز درآمد",
    intro: "سهم تجمعی درآمد اعضا به ترتیب از بیشترین خرید به کمترین (منحنی پارتو).",
    topShare: (top, n, share) => `۲۰٪ برتر اعضا (${top} از ${n}) ${share} درآمد را دارند`,
    periodShare: "سهم ۲۰٪ برتر از درآمد دوره (شاخص)",
    membersAxis: "سهم اعضا، از بیشترین خرید",
    revenueAxis: "سهم درآمد",
    equality: "سهم برابر",
    empty: "درآمدی برای رتبه‌بندی نیست.",
    chart: "منحنی پارتو سهم تجمعی درآمد اعضا",
    window: (days) => `بازه RFM ${days} روز`,
    largestBalances: "بیشترین مانده‌ها",
    member: "عضو",
    tier: "سطح",
    available: "قابل استفاده",
    pending: "در انتظار",
    debt: "بدهی",
    net: "مانده خالص",
  },
  club: {
    title: "جوایز و قرعه‌کشی‌ها",
    intro: "بازخریدها، موجودی و کوپن‌های هر جایزه، و قرعه‌کشی‌ها با برندگانشان.",
    rewards: "فهرست جوایز",
    reward: "جایزه",
    cost: "بها (امتیاز)",
    redeemed: "بازخرید شده",
    reversed: "برگشت‌خورده",
    stock: "موجودی کل",
    claimed: "برداشته‌شده",
    stockLeft: "موجودی باقی‌مانده",
    noLimit: "بدون سقف",
    coupons: "کوپن‌های هر جایزه",
    issued: "صادرشده",
    open: "قابل استفاده",
    used: "استفاده‌شده",
    void: "باطل‌شده",
    expired: "منقضی‌شده",
    noCoupons: "هیچ جایزه‌ای کوپن صادر نمی‌کند.",
    total: "جمع",
    draws: "قرعه‌کشی‌ها",
    draw: "قرعه‌کشی",
    entryWindow: "بازه‌ی شرکت",
    entries: "خرید بلیت",
    heldAt: "زمان برگزاری",
    notHeld: "هنوز برگزار نشده",
    entrants: "شرکت‌کنندگان",
    tickets: "بلیت‌ها",
    winners: "برندگان",
    noWinners: "بدون شرکت‌کننده",
    winner: (_count, tickets, prizePoints) => `${tickets} بلیت، ${prizePoints} امتیاز جایزه`,
  },
  audit: {
    title: "حسابرسی",
    ok: "دفتر بدون ایراد است",
    notOk: "حسابرسی ایراد یافت",
    streams: "جریان‌ها",
    events: "رویدادها",
    findings: "یافته‌ها",
    stream: "جریان",
    revision: "شماره",
    eventId: "شناسه رویداد",
    code: "کد",
    message: "پیام",
    shown: (shown, total) => `${shown} یافته نخست از ${total} یافته نمایش داده شده است.`,
    noStream: "(بدون جریان)",
  },
  windows: {
    periodFigures: "در طول دوره",
    asOfFigures: "در تاریخ گزارش",
    asOfInclusive: "با احتساب رویدادهای همین لحظه",
    months: (n, calendar) => `${n} ماه ${calendar}؛ ماه آخر در تاریخ گزارش بسته می‌شود`,
    otherLanguage:
      "گزارش انگلیسی همین دفتر ماه‌های میلادی را می‌شمارد، پس دوره آن و همه ارقام دوره در آن با این گزارش فرق دارد.",
    rfmInterval: "بدون احتساب آغاز، با احتساب پایان",
    rfmRevenue: "درآمد در بازه RFM",
    reconcile:
      "منحنی پارتو و درآمد کنار آن بازه RFM را می‌پوشانند؛ درآمد بخش شاخص‌ها و شاخص سهم ۲۰٪ برتر، دوره را. این ارقام فقط جایی برابرند که دو بازه یکی باشند.",
    allEvents: "همه رویدادهای خوانده‌شده را می‌پوشاند، از جمله رویدادهای پس از تاریخ گزارش.",
  },
  footer: "تهیه‌شده با vafa report از دفتر رویدادها. امتیازها عدد صحیح و مبالغ دقیق هستند.",
};

export const LABELS: Record<ReportLang, Labels> = { en, fa };
