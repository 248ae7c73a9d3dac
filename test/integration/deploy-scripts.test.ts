/**
 * The deployment scripts, as far as they can run without K3s (none can run here): shellcheck on every shell
 * script; argument handling (usage and exit 2) of setup-worker.sh, setup-master.sh, deploy.sh and the image
 * scripts; the dry-run plans, with deploy.sh's run against stub docker/ssh/k3s/kubectl commands to prove a dry run
 * changes nothing; and tests/test-inference.sh against a small stand-in HTTP server, passing and failing.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { ROOT, requireTool, runScript, runScriptAsync, skipUnless, which } from "../support/deploy-tools.js";

const SCRIPTS = [
  "scripts/setup-master.sh",
  "scripts/setup-worker.sh",
  "scripts/deploy.sh",
  "scripts/ci-container-test.sh",
  "tests/test-inference.sh",
  "docker/build-base-image.sh",
];
const TOKEN = `K10${"0123456789abcdef".repeat(4)}::server:${"5ecret".repeat(4)}`;

/** Every shell script of the repository: *.sh files and extension-less files with a bash/sh shebang. */
function shellScripts(): string[] {
  const found: string[] = [];
  for (const dir of ["scripts", "tests", "docker", ".ci"]) {
    const abs = path.join(ROOT, dir);
    if (!existsSync(abs)) continue;
    for (const name of readdirSync(abs, { recursive: true, encoding: "utf8" })) {
      const file = path.join(abs, name);
      if (!statSync(file).isFile()) continue;
      const head = readFileSync(file, "utf8").slice(0, 80);
      if (name.endsWith(".sh") || /^#!.*\b(ba)?sh\b/.test(head)) found.push(path.join(dir, name));
    }
  }
  return found.sort();
}

describe("shell scripts", () => {
  test("the README's scripts exist and are executable", () => {
    for (const script of SCRIPTS) {
      const mode = statSync(path.join(ROOT, script)).mode;
      assert.ok(mode & 0o100, `${script} is not executable`);
      const text = readFileSync(path.join(ROOT, script), "utf8");
      assert.match(text, /^#!\/usr\/bin\/env bash\n/, `${script} shebang`);
      assert.match(text, /^set -euo pipefail$/m, `${script} sets -euo pipefail`);
    }
  });

  test("shellcheck passes on every shell script", {
    skip: skipUnless("shellcheck", "Debian package shellcheck"),
  }, () => {
    const shellcheck = requireTool("shellcheck", "Debian package shellcheck");
    const scripts = shellScripts();
    for (const s of SCRIPTS) assert.ok(scripts.includes(s), `${s} found`);
    assert.ok(scripts.includes("scripts/lib.sh"));
    const result = spawnSync(shellcheck, ["--external-sources", ...scripts], { cwd: ROOT, encoding: "utf8" });
    assert.equal(result.status, 0, `shellcheck ${scripts.join(" ")}\n${result.stdout}${result.stderr}`);
  });

  test("no machine path, address or secret in the scripts and manifests", () => {
    const files = [...shellScripts(), "docker/Dockerfile", "docker/healthcheck.cjs", ".dockerignore"];
    for (const dir of ["kubernetes"]) {
      for (const name of readdirSync(path.join(ROOT, dir), { recursive: true, encoding: "utf8" })) {
        if (statSync(path.join(ROOT, dir, name)).isFile()) files.push(path.join(dir, name));
      }
    }
    for (const file of files) {
      const text = readFileSync(path.join(ROOT, file), "utf8");
      assert.doesNotMatch(text, /\/work\/|\/home\/[a-z]|\/root\/(?!\.)/, `${file}: machine path`);
      assert.doesNotMatch(text, /password\s*[:=]\s*["']?[A-Za-z0-9]{6,}/i, `${file}: literal password`);
      assert.doesNotMatch(
        text,
        /\b(10|192\.168|172\.(1[6-9]|2\d|3[01]))\.\d+\.\d+(\.\d+)?\b/,
        `${file}: private address`,
      );
    }
  });
});

describe("setup-worker.sh <master_ip> <node_token>", () => {
  const usageCases: [string, string[], RegExp][] = [
    ["no arguments", [], /expected 2 arguments.*got 0/],
    ["only the master", ["192.0.2.10"], /expected 2 arguments.*got 1/],
    ["three arguments", ["192.0.2.10", TOKEN, "extra"], /expected 2 arguments.*got 3/],
    ["an octet over 255", ["192.0.2.300", TOKEN], /master_ip '192\.0\.2\.300' is not/],
    ["three octets", ["192.0.2", TOKEN], /master_ip '192\.0\.2' is not/],
    ["a URL for the address", ["https://192.0.2.10:6443", TOKEN], /master_ip 'https:\/\/192\.0\.2\.10:6443' is not/],
    ["spaces in the address", ["my master", TOKEN], /master_ip 'my master' is not/],
    ["a short token", ["192.0.2.10", "abc"], /node_token does not look like a K3s node token/],
    ["a token with a space", ["192.0.2.10", "K10abc def::server:xyz0123456789"], /node_token does not look like/],
    ["an empty token", ["192.0.2.10", ""], /node_token does not look like/],
    ["an unknown option", ["--force", "192.0.2.10", TOKEN], /unknown option: --force/],
  ];
  for (const [what, args, message] of usageCases) {
    test(`${what}: usage and exit 2`, () => {
      const r = runScript("scripts/setup-worker.sh", args);
      assert.equal(r.status, 2, r.output);
      assert.match(r.stderr, message);
      assert.match(r.stderr, /Usage: \.\/scripts\/setup-worker\.sh/);
    });
  }

  test("--help prints the usage and exits 0", () => {
    const r = runScript("scripts/setup-worker.sh", ["--help"]);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /Usage: .*<master_ip> <node_token>/);
  });

  test("--dry-run with valid arguments: the join plan, the token never printed", () => {
    const r = runScript("scripts/setup-worker.sh", ["--dry-run", "192.0.2.10", TOKEN]);
    assert.equal(r.status, 0, r.output);
    assert.match(r.stdout, /192\.0\.2\.10:6443\/ping/);
    assert.match(r.stdout, /get\.k3s\.io/);
    assert.match(r.stdout, /K3S_URL=https:\/\/192\.0\.2\.10:6443/);
    assert.match(r.stdout, /agent\\? --node-label\\? edge-inference\/role=worker/);
    assert.ok(!r.output.includes("5ecret"), "the token's secret part is printed");
  });

  test("a host name and a plain shared-secret token are accepted", () => {
    const r = runScript("scripts/setup-worker.sh", ["--dry-run", "master.example", "a-shared-secret-0123456789"]);
    assert.equal(r.status, 0, r.output);
    assert.match(r.stdout, /K3S_URL=https:\/\/master\.example:6443/);
  });
});

describe("setup-master.sh", () => {
  test("an unknown argument: usage and exit 2", () => {
    const r = runScript("scripts/setup-master.sh", ["--bogus"]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown argument: --bogus/);
    assert.match(r.stderr, /Usage:/);
  });

  test("--dry-run: installer, wait for Ready, kubeconfig, and where the node token comes from", () => {
    const r = runScript("scripts/setup-master.sh", ["--dry-run"], { env: { K3S_VERSION: "v1.33.4+k3s1" } });
    assert.equal(r.status, 0, r.output);
    assert.match(r.stdout, /curl -sfL https:\/\/get\.k3s\.io \| env .*INSTALL_K3S_VERSION=v1\.33\.4\+k3s1/);
    assert.match(r.stdout, /Ready/);
    assert.match(r.stdout, /\/var\/lib\/rancher\/k3s\/server\/node-token/);
    assert.match(r.stdout, /\.\/scripts\/setup-worker\.sh \S+ <node_token>/);
  });
});

describe("deploy.sh", () => {
  test("bad arguments: usage and exit 2", () => {
    for (const [args, message] of [
      [["--bogus"], /unknown argument: --bogus/],
      [["--tag"], /--tag needs a value/],
      [["--tag", "latest"], /--tag latest is refused/],
      [["--tag", "no spaces"], /not a valid image tag/],
      [["--skip-build"], /--skip-build needs --tag/],
    ] as [string[], RegExp][]) {
      const r = runScript("scripts/deploy.sh", args);
      assert.equal(r.status, 2, `${args.join(" ")}: ${r.output}`);
      assert.match(r.stderr, message);
    }
  });

  test("--dry-run prints every step in order and runs nothing that changes anything", {
    skip: skipUnless("kubectl", "needed for kubectl kustomize"),
  }, () => {
    const kubectl = requireTool("kubectl", "needed for kubectl kustomize");
    const bin = mkdtempSync(path.join(tmpdir(), "deploy-stubs-"));
    const log = path.join(bin, "calls.log");
    try {
      // Stubs log their calls and fail, as on a machine with no daemon and no cluster; `kubectl kustomize`
      // (local rendering) goes to the real kubectl.
      for (const name of ["docker", "ssh", "sudo", "k3s", "scp"]) {
        writeFileSync(path.join(bin, name), `#!/bin/sh\necho "${name} $*" >> "${log}"\nexit 1\n`);
        chmodSync(path.join(bin, name), 0o755);
      }
      writeFileSync(
        path.join(bin, "kubectl"),
        `#!/bin/sh\nif [ "$1" = kustomize ]; then exec "${kubectl}" "$@"; fi\necho "kubectl $*" >> "${log}"\nexit 1\n`,
      );
      chmodSync(path.join(bin, "kubectl"), 0o755);
      const r = runScript("scripts/deploy.sh", ["--dry-run", "--tag", "0.1.0-test"], {
        env: { PATH: `${bin}:${process.env.PATH}`, KUBECTL: "" },
      });
      assert.equal(r.status, 0, r.output);
      const steps = [
        /\[dry-run\] docker build -f \S+\/docker\/Dockerfile -t edge-inference-server:0\.1\.0-test /,
        /\[dry-run\] docker save -o \S+ edge-inference-server:0\.1\.0-test/,
        /\[dry-run\] ssh \S+@<worker-ip> sudo k3s ctr images import - </,
        /\[dry-run\] create secret influxdb-auth unless it exists: .*user=edge, user-password=<random>/,
        /\[dry-run\] kubectl label node .* node-role\.kubernetes\.io\/worker=true/,
        /\[dry-run\] kubectl apply -k \S+/,
        /\[dry-run\] kubectl --namespace default rollout status deployment\/ml-inference/,
        /Would deploy edge-inference-server:0\.1\.0-test/,
      ];
      let last = -1;
      for (const step of steps) {
        const at = r.stdout.search(step);
        assert.ok(at > last, `step ${step} missing or out of order in:\n${r.stdout}`);
        last = at;
      }
      assert.match(r.stderr, /manifests render: \d+ objects/);
      assert.match(r.stderr, /Deployment\/ml-inference/);
      const calls = existsSync(log) ? readFileSync(log, "utf8").trim().split("\n").filter(Boolean) : [];
      const changing = calls.filter((c) => !/^kubectl (--namespace \S+ )?get /.test(c));
      assert.deepEqual(changing, [], "a dry run called a command that is not a read-only kubectl get");
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});

describe("docker/build-base-image.sh and scripts/ci-container-test.sh", () => {
  test("argument handling", () => {
    let r = runScript("docker/build-base-image.sh", ["--bogus"]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown argument: --bogus/);
    r = runScript("docker/build-base-image.sh", ["--name"]);
    assert.equal(r.status, 2);
    r = runScript("docker/build-base-image.sh", ["--help"]);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /Usage:/);
    r = runScript("scripts/ci-container-test.sh", ["--bogus"]);
    assert.equal(r.status, 2);
    r = runScript("scripts/ci-container-test.sh", ["--help"]);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /test-inference\.sh/);
  });

  test("--print-tag names this machine's Node 20 and changes with its inputs only", () => {
    const r = runScript("docker/build-base-image.sh", ["--print-tag", "--no-host-ca"]);
    assert.equal(r.status, 0, r.output);
    const tag = r.stdout.trim();
    assert.match(tag, /^edge-inference-base:node20\.\d+\.\d+-bookworm-[a-z0-9]+-[0-9a-f]{12}$/);
    assert.equal(runScript("docker/build-base-image.sh", ["--print-tag", "--no-host-ca"]).stdout.trim(), tag);
    const other = runScript("docker/build-base-image.sh", ["--print-tag", "--no-host-ca", "--suite", "trixie"]);
    assert.notEqual(other.stdout.trim(), tag);
  });
});

// --- tests/test-inference.sh against a stand-in server ------------------------------------------------------------

interface Behaviour {
  health: number;
  predictBody: string;
  metrics: string;
  token?: string;
}
const GOOD: Behaviour = {
  health: 200,
  predictBody: JSON.stringify({ model: "iris", output: [0.01, 0.02, 0.97], outputs: [] }),
  metrics:
    '# TYPE inference_requests_total counter\ninference_requests_total{model="iris",status="ok"} 1\n# TYPE inference_duration_seconds histogram\ninference_duration_seconds_count{model="iris"} 1\n',
};

describe("tests/test-inference.sh", { skip: skipUnless("curl", "Debian package curl") }, () => {
  let server: Server;
  let url = "";
  let behaviour: Behaviour = GOOD;
  let lastPredict = "";
  before(async () => {
    requireTool("curl", "Debian package curl");
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => {
        body += c;
      });
      req.on("end", () => {
        const send = (status: number, text: string) => res.writeHead(status).end(text);
        if (req.url === "/health") return send(behaviour.health, "{}");
        if (req.url === "/v2/health/live" || req.url === "/v2/health/ready") return send(200, "");
        if (req.url === "/metrics") return send(200, behaviour.metrics);
        if (req.url === "/predict" && req.method === "POST") {
          lastPredict = body;
          if (behaviour.token && req.headers.authorization !== `Bearer ${behaviour.token}`) return send(401, "{}");
          return send(200, behaviour.predictBody);
        }
        send(404, "{}");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server?.close());

  // Asynchronous: the stand-in server runs in this process and must keep answering while the script runs.
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    runScriptAsync("tests/test-inference.sh", args, {
      env: { ...process.env, WAIT_SECONDS: "0", API_TOKEN: "", ...env },
    });

  test("passes against a server that answers like the real one, sending the README's example", async () => {
    behaviour = GOOD;
    const r = await run([url]);
    assert.equal(r.status, 0, r.output);
    assert.match(r.stdout, /All checks passed/);
    assert.deepEqual(JSON.parse(lastPredict), { input: [1.0, 2.0, 3.0, 4.0] });
  });

  test("URL from INFERENCE_URL, trailing slash tolerated", async () => {
    behaviour = GOOD;
    const r = await run([], { INFERENCE_URL: `${url}/` });
    assert.equal(r.status, 0, r.output);
  });

  test("sends API_TOKEN as a bearer token; says so when the server wants one", async () => {
    behaviour = { ...GOOD, token: "t0ken" };
    assert.equal((await run([url], { API_TOKEN: "t0ken" })).status, 0);
    const r = await run([url]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /401.*set API_TOKEN/);
  });

  const failures: [string, Partial<Behaviour>, RegExp][] = [
    ["health 503", { health: 503 }, /FAIL: GET \/health returned HTTP 503/],
    ["no output in the prediction", { predictBody: '{"result": 1}' }, /FAIL: POST \/predict .*without "output"/],
    ["an empty output array", { predictBody: '{"output": []}' }, /FAIL: POST \/predict/],
    [
      "metrics without the inference families",
      { metrics: "# TYPE up gauge\nup 1\n" },
      /FAIL: .*inference_requests_total/,
    ],
    ["metrics not in Prometheus format", { metrics: "hello" }, /FAIL: GET \/metrics is not in Prometheus text format/],
  ];
  for (const [what, change, message] of failures) {
    test(`fails with a clear message: ${what}`, async () => {
      behaviour = { ...GOOD, ...change };
      const r = await run([url]);
      assert.equal(r.status, 1, r.output);
      assert.match(r.stderr, message);
    });
  }

  test("fails clearly when nothing listens", async () => {
    const r = await run(["http://127.0.0.1:9"]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /FAIL: GET \/health: no answer from http:\/\/127\.0\.0\.1:9/);
  });

  test("no URL and no kubectl: says to pass a URL", async () => {
    const bin = mkdtempSync(path.join(tmpdir(), "no-kubectl-"));
    try {
      const curl = which("curl")!;
      writeFileSync(path.join(bin, "curl"), `#!/bin/sh\nexec "${curl}" "$@"\n`);
      chmodSync(path.join(bin, "curl"), 0o755);
      // Only curl in PATH: no kubectl, no k3s.
      const r = await runScriptAsync("tests/test-inference.sh", [], {
        command: which("bash")!,
        env: { PATH: bin, INFERENCE_URL: "" },
      });
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /no URL given and kubectl not found/);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  test("bad arguments: exit 2", async () => {
    assert.equal((await run(["--bogus"])).status, 2);
    assert.equal((await run([url, "extra"])).status, 2);
    assert.equal((await run(["not-a-url"])).status, 1);
  });
});
