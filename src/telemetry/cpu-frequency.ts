/**
 * CPU clock speed of this node, read at scrape time: cpufreq's scaling_cur_freq (kHz) per CPU where the kernel
 * exposes it, else /proc/cpuinfo's "cpu MHz" lines (x86 VMs); the maximum from cpuinfo_max_freq where present.
 * Returns no readings (never zeros) where the platform has neither, so the series is absent rather than wrong.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

export interface CpuFrequencyReading {
  cpu: string;
  hertz: number;
}

export interface CpuFrequencySource {
  sysfsRoot: string;
  cpuinfoPath: string;
}

const DEFAULT_SOURCE: CpuFrequencySource = {
  sysfsRoot: "/sys/devices/system/cpu",
  cpuinfoPath: "/proc/cpuinfo",
};

async function readKhz(file: string): Promise<number | null> {
  try {
    const khz = Number((await readFile(file, "utf8")).trim());
    return Number.isFinite(khz) && khz > 0 ? khz * 1000 : null;
  } catch {
    return null;
  }
}

async function cpuDirs(root: string): Promise<string[]> {
  try {
    return (await readdir(root))
      .filter((d) => /^cpu\d+$/.test(d))
      .sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
  } catch {
    return [];
  }
}

async function fromSysfs(root: string, file: string): Promise<CpuFrequencyReading[]> {
  const out: CpuFrequencyReading[] = [];
  for (const dir of await cpuDirs(root)) {
    const hertz = await readKhz(path.join(root, dir, "cpufreq", file));
    if (hertz !== null) out.push({ cpu: dir.slice(3), hertz });
  }
  return out;
}

async function fromCpuinfo(file: string): Promise<CpuFrequencyReading[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return [];
  }
  const out: CpuFrequencyReading[] = [];
  let cpu: string | null = null;
  for (const line of text.split("\n")) {
    const [key, value] = line.split(":").map((s) => s?.trim());
    if (key === "processor") cpu = value ?? null;
    else if (key === "cpu MHz" && cpu !== null && value) {
      const mhz = Number(value);
      if (Number.isFinite(mhz) && mhz > 0) out.push({ cpu, hertz: Math.round(mhz * 1e6) });
    }
  }
  return out;
}

export async function readCurrentFrequencies(
  source: CpuFrequencySource = DEFAULT_SOURCE,
): Promise<CpuFrequencyReading[]> {
  const sysfs = await fromSysfs(source.sysfsRoot, "scaling_cur_freq");
  return sysfs.length > 0 ? sysfs : fromCpuinfo(source.cpuinfoPath);
}

export async function readMaxFrequencies(source: CpuFrequencySource = DEFAULT_SOURCE): Promise<CpuFrequencyReading[]> {
  return fromSysfs(source.sysfsRoot, "cpuinfo_max_freq");
}
