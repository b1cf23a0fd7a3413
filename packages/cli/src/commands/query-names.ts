export const QUERIES = ["balances", "rfm", "liability", "kpis", "rollforward"] as const;
export type QueryName = (typeof QUERIES)[number];
