export { linearScale, niceTicks } from "./axis.js";
export { mixColor } from "./color.js";
export { type Attrs, bidiLabel, type ChartFrame, coord, el, text, wrapLabel } from "./element.js";
