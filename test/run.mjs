// Finds every *.test.ts under test/ and runs them with Node's test runner (Node 20 has no --test glob support).
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return find(p);
    return e.name.endsWith(".test.ts") ? [p] : [];
  });
}

const roots = process.argv.slice(2).length ? process.argv.slice(2) : ["test"];
const files = roots.flatMap((r) => (r.endsWith(".test.ts") ? [r] : find(r))).sort();
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", "--test-concurrency=2", "--test-reporter=spec", ...files],
  { stdio: "inherit" },
);
process.exit(result.status ?? 1);
