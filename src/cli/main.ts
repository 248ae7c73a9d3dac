#!/usr/bin/env node
/**
 * edge-infer: the command line. Each command lives in its own module; this file only assembles them and turns
 * our named errors into one clear line on stderr and a non-zero exit code.
 */
import { Command } from "commander";
import { EdgeInferenceError } from "../errors.js";
import { registerBenchCommand } from "./bench.js";
import { registerInspectCommand } from "./inspect.js";
import { registerRunCommand } from "./run.js";
import { registerServeCommand } from "./serve.js";

const program = new Command()
  .name("edge-infer")
  .description("Run TensorFlow Lite (Micro) models in pure TypeScript, bit-exact with TFLM, and serve them over HTTP")
  .showHelpAfterError();

registerServeCommand(program);
registerInspectCommand(program);
registerRunCommand(program);
registerBenchCommand(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof EdgeInferenceError) {
    process.stderr.write(`edge-infer: ${err.name}: ${err.message}\n`);
    process.exit(2);
  }
  throw err;
});
