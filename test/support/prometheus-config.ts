/** Renders prometheus/local.yml, the Prometheus configuration that scripts/local-stack.sh also uses. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "./shared.js";

export function localPrometheusConfig(values: {
  serverTarget: string;
  influxUrl: string;
  influxDb: string;
  scrapeInterval: string;
}): string {
  return readFileSync(path.join(PROJECT_ROOT, "prometheus", "local.yml"), "utf8")
    .replaceAll("__SERVER_TARGET__", values.serverTarget)
    .replaceAll("__INFLUX_URL__", values.influxUrl)
    .replaceAll("__INFLUX_DB__", values.influxDb)
    .replaceAll("__SCRAPE_INTERVAL__", values.scrapeInterval);
}
