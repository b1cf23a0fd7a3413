#!/usr/bin/env node
import { runCli } from "./cli.js";

const code = await runCli(process.argv.slice(2));
// Let pending output reach the terminal or pipe, then leave even if a driver keeps a handle open.
process.stdout.write("", () => process.exit(code));
