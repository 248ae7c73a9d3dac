/** CPU frequency readings from sysfs, from /proc/cpuinfo, and their absence — on fixture trees made here. */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { readCurrentFrequencies, readMaxFrequencies } from "../../src/telemetry/cpu-frequency.js";

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), "cpufreq-"));
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  }
  return root;
}

test("reads scaling_cur_freq (kHz) per CPU and cpuinfo_max_freq", async () => {
  const root = tree({
    "cpu/cpu0/cpufreq/scaling_cur_freq": "600000\n",
    "cpu/cpu1/cpufreq/scaling_cur_freq": "1500000\n",
    "cpu/cpu1/cpufreq/cpuinfo_max_freq": "1800000\n",
    "cpu/cpufreq/policy0": "",
    cpuinfo: "processor : 0\ncpu MHz : 999.0\n",
  });
  const source = { sysfsRoot: path.join(root, "cpu"), cpuinfoPath: path.join(root, "cpuinfo") };
  assert.deepEqual(await readCurrentFrequencies(source), [
    { cpu: "0", hertz: 600_000_000 },
    { cpu: "1", hertz: 1_500_000_000 },
  ]);
  assert.deepEqual(await readMaxFrequencies(source), [{ cpu: "1", hertz: 1_800_000_000 }]);
});

test("falls back to /proc/cpuinfo's cpu MHz when cpufreq is absent", async () => {
  const root = tree({ cpuinfo: "processor\t: 0\ncpu MHz\t\t: 2596.098\n\nprocessor\t: 1\ncpu MHz\t\t: 1200.5\n" });
  const source = { sysfsRoot: path.join(root, "none"), cpuinfoPath: path.join(root, "cpuinfo") };
  assert.deepEqual(await readCurrentFrequencies(source), [
    { cpu: "0", hertz: 2_596_098_000 },
    { cpu: "1", hertz: 1_200_500_000 },
  ]);
  assert.deepEqual(await readMaxFrequencies(source), []);
});

test("returns nothing (not zeros) where neither source exists", async () => {
  const root = tree({ cpuinfo: "processor : 0\nBogoMIPS : 108.00\n" });
  const source = { sysfsRoot: path.join(root, "none"), cpuinfoPath: path.join(root, "cpuinfo") };
  assert.deepEqual(await readCurrentFrequencies(source), []);
});
