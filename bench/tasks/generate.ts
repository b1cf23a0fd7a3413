import { ensureDataset } from "../generate/dataset.js";
import { arg, finish } from "../lib/task.js";

// Generates (or finds in bench/out) the data set of the run.
const dataset = await ensureDataset({
  members: Number(arg("members")),
  events: Number(arg("events")),
  seed: Number(arg("seed")),
  commandMembers: Number(arg("command-members")),
  outDir: arg("out"),
  log: (line) => process.stderr.write(`${line}\n`),
});
finish({ dir: dataset.dir, eventsPath: dataset.eventsPath, cached: dataset.cached, meta: dataset.meta });
