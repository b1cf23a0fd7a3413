export { barChart } from "./bar.js";
export { curveChart, thin } from "./curve.js";
export { groupedBarChart } from "./grouped-bar.js";
export { heatMap } from "./heat-map.js";
export { type WaterfallStep, waterfallChart } from "./waterfall.js";
