export { type Bar, type BarChartInput, barChart } from "./bar.js";
export { type CurveInput, curveChart, thin } from "./curve.js";
export { type GroupedBarInput, groupedBarChart, type Series } from "./grouped-bar.js";
export { type HeatCell, type HeatMapInput, heatMap } from "./heat-map.js";
export { type WaterfallInput, type WaterfallStep, waterfallChart } from "./waterfall.js";
