// @vafa/projections: pure folds over stored events answering spec section 6.

export * from "./audit/index.js";
export * from "./coupons.js";
export * from "./engagement/birthday.js";
export * from "./engagement/engagement.js";
export * from "./ledger.js";
export * from "./ledger-view.js";
export * from "./member-fold.js";
export * from "./money.js";
export * from "./program-view.js";
export * from "./projection.js";
export * from "./queries/balances.js";
export * from "./queries/kpis.js";
export * from "./queries/liability.js";
export * from "./queries/period.js";
export * from "./queries/rfm.js";
export * from "./queries/rfm-parallel.js";
export * from "./queries/rollforward.js";
export * from "./rebuild.js";
export * from "./runner.js";
export * from "./time.js";
export * from "./verify-chain.js";
