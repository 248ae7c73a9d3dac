/**
 * `edge-infer serve`: the HTTP inference server. One flag per setting of src/config.ts (each also read from its
 * environment variable; a flag wins), then the server starts and drains on SIGTERM/SIGINT.
 */
import type { Command } from "commander";
import { CONFIG_OPTIONS, type ConfigKey, loadConfig } from "../config.js";
import { startServer } from "../server/start.js";

export function registerServeCommand(program: Command): void {
  const command = program
    .command("serve")
    .description("start the HTTP inference server (seed API, Open Inference Protocol, repository control, metrics)");
  for (const option of CONFIG_OPTIONS) {
    command.option(option.flag, `${option.description} [env ${option.env}; default ${option.shownDefault}]`);
  }
  command.action(async (flags: Record<string, string | undefined>) => {
    const given: Partial<Record<ConfigKey, string>> = {};
    for (const option of CONFIG_OPTIONS) {
      const value = flags[option.key];
      if (value !== undefined) given[option.key] = value;
    }
    const config = loadConfig(process.env, given);
    await startServer(config, { handleSignals: true });
  });
}
