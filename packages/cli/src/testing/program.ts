// The small GBP test program of core's tests (one definition for every package's
// tests): tests override what they exercise, e.g. `program({ programId, rewards })`.
export { program } from "../../../core/src/testing/program.js";
