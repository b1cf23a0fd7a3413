export { linearScale, niceTicks } from "./axis.js";
export { mixColor } from "./color.js";
export { bidiLabel, coord, el, wrapLabel } from "./element.js";
