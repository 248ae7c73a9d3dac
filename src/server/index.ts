/** Public server API (`edge-inference-server/server`): configuration, the Fastify app factory, and start-up. */
export { CONFIG_OPTIONS, loadConfig, type ServerConfig } from "../config.js";
export { type BuildOptions, buildApp } from "./app.js";
export { type RunningServer, type StartOptions, startServer } from "./start.js";
