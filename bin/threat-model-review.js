#!/usr/bin/env node
// The CLI entry: runs the compiled CLI (npm ci builds it through the prepare script).
import { run } from "../dist/cli/run.js";

run();
