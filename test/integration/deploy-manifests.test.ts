/**
 * The Kubernetes manifests, checked without a cluster (none can run here): `kubectl kustomize kubernetes/`
 * renders; every object validates against the Kubernetes API schemas of the npm package kubernetes-models and
 * carries no field those schemas do not know; and the rendered objects follow the deployment's policies
 * (probes, resources, non-root, read-only root filesystem, pinned images, spreading over the workers, the names
 * and labels the README's commands use, the Prometheus → InfluxDB wiring).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { before, describe, test } from "node:test";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { type K8sObject, ROOT, renderKustomization, requireTool, skipUnless } from "../support/deploy-tools.js";

const KUBECTL_HINT = "kubectl: the machine image's package, see .ci/deploy-deps.sh";

// --- schema validation with unknown-field detection --------------------------------------------------------------

interface ValidationResult {
  errors: string[];
  unknownFields: string[];
}

/**
 * kubernetes-models' validators (compiled JSON schemas) accept unknown fields. To catch them anyway, the object is
 * wrapped in proxies that record every property the validator reads: a validator reads each property its schema
 * declares and iterates the keys of free-form maps, so an own key it never read is a field the schema lacks.
 */
async function validateObject(object: K8sObject): Promise<ValidationResult> {
  const modulePath = `kubernetes-models/${object.apiVersion}/${object.kind}`;
  let model: { prototype: { validate(this: unknown): void } };
  try {
    model = (await import(modulePath))[object.kind];
  } catch {
    return { errors: [`no schema for ${object.apiVersion} ${object.kind} (${modulePath})`], unknownFields: [] };
  }
  const tracked: { path: string; value: object; read: Set<string> }[] = [];
  const track = (value: unknown, at: string): unknown => {
    if (value === null || typeof value !== "object") return value;
    const read = new Set<string>();
    tracked.push({ path: at, value, read });
    const children = new Map<string, unknown>();
    return new Proxy(value, {
      get(target, key, receiver) {
        const child = Reflect.get(target, key, receiver);
        if (typeof key !== "string") return child;
        read.add(key);
        if (!Object.hasOwn(target, key) || child === null || typeof child !== "object") return child;
        if (!children.has(key)) children.set(key, track(child, `${at}/${key}`));
        return children.get(key);
      },
      has(target, key) {
        if (typeof key === "string") read.add(key);
        return Reflect.has(target, key);
      },
    });
  };
  const errors: string[] = [];
  try {
    model.prototype.validate.call(track(structuredClone(object), ""));
  } catch (error) {
    errors.push((error as Error).message);
  }
  const unknownFields: string[] = [];
  for (const { path: at, value, read } of tracked) {
    if (Array.isArray(value)) continue;
    for (const key of Object.keys(value)) if (!read.has(key)) unknownFields.push(`${at}/${key}`);
  }
  return { errors, unknownFields };
}

// --- helpers over the rendered objects ----------------------------------------------------------------------------

let objects: K8sObject[] = [];
const find = (kind: string, name: string): K8sObject => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  assert.ok(found, `rendered manifests have no ${kind} ${name}`);
  return found;
};
const findGenerated = (kind: string, prefix: string): K8sObject => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name.startsWith(`${prefix}-`));
  assert.ok(found, `rendered manifests have no ${kind} ${prefix}-<hash>`);
  return found;
};
const WORKLOAD_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet"]);
const workloads = () => objects.filter((o) => WORKLOAD_KINDS.has(o.kind));
// biome-ignore lint/suspicious/noExplicitAny: pod templates are plain parsed YAML.
const containersOf = (o: K8sObject): any[] => o.spec.template.spec.containers;
const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

/** Constants deploy.sh uses, read from the script so the manifests and the script cannot drift apart. */
function deployConstant(name: string): string {
  const match = new RegExp(`^${name}="?([^"\\n]+)"?$`, "m").exec(
    readFileSync(path.join(ROOT, "scripts/deploy.sh"), "utf8"),
  );
  assert.ok(match, `scripts/deploy.sh defines no ${name}`);
  return match[1]!;
}

describe("kubernetes/ manifests", { skip: skipUnless("kubectl", KUBECTL_HINT) }, () => {
  before(() => {
    objects = renderKustomization(requireTool("kubectl", KUBECTL_HINT));
  });

  test("kubectl kustomize renders every object the README and scripts name", () => {
    const names = objects.map((o) => `${o.kind}/${o.metadata.name}`);
    for (const expected of [
      "Deployment/ml-inference",
      "Service/ml-inference",
      "Ingress/ml-inference",
      "PodDisruptionBudget/ml-inference",
      "HorizontalPodAutoscaler/ml-inference",
      "Deployment/prometheus",
      "Service/prometheus",
      "ServiceAccount/prometheus",
      "Role/prometheus",
      "RoleBinding/prometheus",
      "StatefulSet/influxdb",
      "Service/influxdb",
      "DaemonSet/node-exporter",
    ]) {
      assert.ok(names.includes(expected), `missing ${expected}; rendered: ${names.join(", ")}`);
    }
    findGenerated("ConfigMap", "ml-inference-config");
    findGenerated("ConfigMap", "prometheus-config");
  });

  test("every object validates against the Kubernetes API schemas, with no unknown field", async () => {
    const problems: string[] = [];
    for (const object of objects) {
      const { errors, unknownFields } = await validateObject(object);
      const where = `${object.kind}/${object.metadata.name}`;
      for (const e of errors) problems.push(`${where}: ${e}`);
      for (const f of unknownFields) problems.push(`${where}: unknown field ${f}`);
    }
    assert.deepEqual(problems, []);
  });

  test("the schema check itself rejects a misspelled field and a wrong type", async () => {
    const deployment = structuredClone(find("Deployment", "ml-inference"));
    deployment.spec.template.spec.containers[0].livenesProbe = { httpGet: { path: "/", port: 80 } };
    deployment.spec.template.spec.containers[0].ports[0].containerPortt = 1;
    let result = await validateObject(deployment);
    assert.deepEqual(result.unknownFields.sort(), [
      "/spec/template/spec/containers/0/livenesProbe",
      "/spec/template/spec/containers/0/ports/0/containerPortt",
    ]);
    const wrongType = structuredClone(find("Deployment", "ml-inference"));
    wrongType.spec.replicas = "two";
    result = await validateObject(wrongType);
    assert.match(result.errors.join("\n"), /replicas/);
    result = await validateObject({ apiVersion: "example.com/v1", kind: "Nope", metadata: { name: "x" } });
    assert.match(result.errors.join("\n"), /no schema/);
  });

  test("everything lives in the default namespace and is labelled as part of edge-inference-server", () => {
    for (const o of objects) {
      assert.equal(o.metadata.namespace, "default", `${o.kind}/${o.metadata.name} namespace`);
      assert.equal(
        o.metadata.labels?.["app.kubernetes.io/part-of"],
        "edge-inference-server",
        `${o.kind}/${o.metadata.name}`,
      );
    }
  });

  test("no Secret and no literal password in the manifests", () => {
    assert.deepEqual(
      objects.filter((o) => o.kind === "Secret").map((o) => o.metadata.name),
      [],
    );
    for (const w of workloads()) {
      for (const c of containersOf(w)) {
        for (const env of c.env ?? []) {
          if (/PASSWORD|TOKEN|SECRET/i.test(env.name)) {
            assert.equal(env.value, undefined, `${w.metadata.name}/${c.name}: ${env.name} must come from a Secret`);
          }
        }
      }
    }
    for (const cm of objects.filter((o) => o.kind === "ConfigMap")) {
      for (const key of Object.keys(cm.data ?? {})) {
        assert.doesNotMatch(key, /PASSWORD|TOKEN|SECRET/i, `ConfigMap ${cm.metadata.name} key ${key}`);
      }
    }
  });

  test("workloads: probes, resources, non-root, read-only root, no privilege, pinned images", () => {
    assert.ok(workloads().length >= 4);
    for (const w of workloads()) {
      const pod = w.spec.template.spec;
      const where = `${w.kind}/${w.metadata.name}`;
      assert.equal(w.spec.selector.matchLabels.app, w.metadata.name, `${where}: selector app label`);
      assert.ok(
        matches(w.spec.selector.matchLabels, w.spec.template.metadata.labels),
        `${where}: selector matches pods`,
      );
      assert.equal(pod.securityContext?.runAsNonRoot, true, `${where}: pod runAsNonRoot`);
      assert.ok(pod.securityContext?.runAsUser > 0, `${where}: pod runAsUser must be a non-root uid`);
      assert.equal(pod.securityContext?.seccompProfile?.type, "RuntimeDefault", `${where}: seccomp`);
      assert.equal(pod.enableServiceLinks, false, `${where}: enableServiceLinks`);
      assert.notEqual(pod.hostNetwork, true, `${where}: hostNetwork`);
      assert.notEqual(pod.hostPID, true, `${where}: hostPID`);
      for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
        const at = `${where}/${c.name}`;
        assert.ok(c.livenessProbe, `${at}: livenessProbe`);
        assert.ok(c.readinessProbe, `${at}: readinessProbe`);
        for (const kind of ["requests", "limits"]) {
          assert.ok(c.resources?.[kind]?.cpu, `${at}: resources.${kind}.cpu`);
          assert.ok(c.resources?.[kind]?.memory, `${at}: resources.${kind}.memory`);
        }
        const sc = c.securityContext ?? {};
        assert.equal(sc.allowPrivilegeEscalation, false, `${at}: allowPrivilegeEscalation`);
        assert.equal(sc.readOnlyRootFilesystem, true, `${at}: readOnlyRootFilesystem`);
        assert.notEqual(sc.privileged, true, `${at}: privileged`);
        assert.deepEqual(sc.capabilities?.drop, ["ALL"], `${at}: capabilities.drop`);
        assert.equal(sc.capabilities?.add, undefined, `${at}: capabilities.add`);
        assert.notEqual(sc.runAsUser, 0, `${at}: runAsUser 0`);
        const image: string = c.image;
        const tag = /^(?:.*\/)?[^/:@]+(?::([^/@]+))?(?:@sha256:[0-9a-f]{64})?$/.exec(image)?.[1];
        assert.ok(tag || image.includes("@sha256:"), `${at}: image ${image} has no tag`);
        assert.notEqual(tag, "latest", `${at}: image ${image} uses :latest`);
        for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe].filter(Boolean)) {
          const port = probe.httpGet?.port;
          if (typeof port === "string") {
            assert.ok(
              (c.ports ?? []).some((p: { name?: string }) => p.name === port),
              `${at}: probe port ${port} is not a container port`,
            );
          }
        }
      }
      for (const volume of pod.volumes ?? []) {
        if (!volume.hostPath) continue;
        assert.equal(w.metadata.name, "node-exporter", `${where}: hostPath volume ${volume.name}`);
        for (const c of pod.containers) {
          for (const m of c.volumeMounts ?? []) {
            if (m.name === volume.name) assert.equal(m.readOnly, true, `${where}: hostPath ${volume.name} read-only`);
          }
        }
      }
    }
  });

  test("ml-inference: two replicas spread over the workers, off the master", () => {
    const d = find("Deployment", "ml-inference");
    const pod = d.spec.template.spec;
    assert.equal(d.spec.replicas, 2);
    assert.equal(d.spec.template.metadata.labels.app, "ml-inference", "kubectl logs -l app=ml-inference needs this");
    assert.equal(d.spec.strategy.rollingUpdate.maxUnavailable, 0);
    const terms = pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
    assert.equal(terms.length, 1, "one term: all its expressions must hold");
    const expressions: { key: string; operator: string; values?: string[] }[] = terms[0].matchExpressions;
    const expr = (key: string) => expressions.find((e) => e.key === key);
    assert.deepEqual(expr("edge-inference/role"), { key: "edge-inference/role", operator: "In", values: ["worker"] });
    assert.equal(expr("node-role.kubernetes.io/control-plane")?.operator, "DoesNotExist");
    const spread = pod.topologySpreadConstraints.find(
      (t: { topologyKey: string }) => t.topologyKey === "kubernetes.io/hostname",
    );
    assert.ok(spread, "topology spread over nodes");
    assert.equal(spread.maxSkew, 1);
    assert.equal(spread.whenUnsatisfiable, "DoNotSchedule");
    assert.deepEqual(spread.labelSelector.matchLabels, { app: "ml-inference" });
    const anti = pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm;
    assert.equal(anti.topologyKey, "kubernetes.io/hostname");
  });

  test("the worker label setup-worker.sh gives is the one ml-inference is scheduled by", () => {
    const script = readFileSync(path.join(ROOT, "scripts/setup-worker.sh"), "utf8");
    const label = /^WORKER_LABEL="([^"=]+)=([^"]+)"$/m.exec(script);
    assert.ok(label, "setup-worker.sh defines WORKER_LABEL");
    const d = find("Deployment", "ml-inference");
    const expressions = d.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution
      .nodeSelectorTerms[0].matchExpressions as { key: string; values?: string[] }[];
    assert.ok(expressions.some((e) => e.key === label[1] && e.values?.includes(label[2]!)));
    assert.equal(deployConstant("WORKER_LABEL_KEY"), label[1]);
  });

  test("ml-inference container: health probes, NODE_NAME, settings, drain time, image", () => {
    const d = find("Deployment", "ml-inference");
    const pod = d.spec.template.spec;
    const [c] = containersOf(d);
    assert.equal(c.livenessProbe.httpGet.path, "/v2/health/live");
    assert.equal(c.readinessProbe.httpGet.path, "/health");
    const nodeName = c.env.find((e: { name: string }) => e.name === "NODE_NAME");
    assert.equal(nodeName?.valueFrom?.fieldRef?.fieldPath, "spec.nodeName");
    const config = findGenerated("ConfigMap", "ml-inference-config");
    assert.equal(c.envFrom[0].configMapRef.name, config.metadata.name);
    const settings = config.data!;
    assert.equal(settings.PORT, String(c.ports[0].containerPort));
    assert.equal(settings.MODEL_DIR, "/app/models", "the image's model directory");
    const drainSeconds = (Number(settings.SHUTDOWN_DELAY_MS ?? 0) + Number(settings.SHUTDOWN_GRACE_MS)) / 1000;
    assert.ok(
      pod.terminationGracePeriodSeconds >= drainSeconds + 2,
      `terminationGracePeriodSeconds ${pod.terminationGracePeriodSeconds} < drain ${drainSeconds} s + margin`,
    );
    assert.equal(c.image.split(":")[0], deployConstant("IMAGE_NAME"), "the image deploy.sh builds");
    assert.notEqual(c.imagePullPolicy, "Always", "there is no registry to pull from");
    const dockerfile = readFileSync(path.join(ROOT, "docker/Dockerfile"), "utf8");
    const uid = /^USER (\d+)/m.exec(dockerfile)?.[1];
    assert.equal(String(pod.securityContext.runAsUser), uid, "runAsUser is the image's USER");
    assert.ok(
      c.volumeMounts.some((m: { mountPath: string }) => m.mountPath === "/tmp"),
      "a writable /tmp under the read-only root",
    );
  });

  test("every environment variable given to the server is a setting the server reads", () => {
    const d = find("Deployment", "ml-inference");
    const [c] = containersOf(d);
    const names = new Set<string>([
      ...Object.keys(findGenerated("ConfigMap", "ml-inference-config").data ?? {}),
      ...c.env.map((e: { name: string }) => e.name),
    ]);
    const sources = readdirSync(path.join(ROOT, "src"), { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts"))
      .map((f) => readFileSync(path.join(ROOT, "src", f), "utf8"))
      .join("\n");
    const unread = [...names].filter((name) => !new RegExp(`\\b${name}\\b`).test(sources));
    assert.deepEqual(unread, [], "settings in kubernetes/ that no file in src/ mentions");
  });

  test("Service ml-inference (the README's <service_ip>), Ingress for Traefik, PDB and HPA fit the Deployment", () => {
    const d = find("Deployment", "ml-inference");
    const podLabels = d.spec.template.metadata.labels;
    const [c] = containersOf(d);
    const svc = find("Service", "ml-inference");
    assert.ok(matches(svc.spec.selector, podLabels));
    assert.equal(svc.spec.ports[0].port, 8080);
    assert.ok(c.ports.some((p: { name: string }) => p.name === svc.spec.ports[0].targetPort));

    const ingress = find("Ingress", "ml-inference");
    assert.equal(ingress.spec.ingressClassName, "traefik");
    const paths = ingress.spec.rules.flatMap((r: { http: { paths: unknown[] } }) => r.http.paths);
    assert.ok(paths.some((p: { path: string }) => p.path === "/predict"));
    assert.ok(!paths.some((p: { path: string }) => p.path === "/" || p.path.startsWith("/v2/repository")));
    for (const p of paths) {
      assert.equal(p.backend.service.name, "ml-inference");
      assert.ok(svc.spec.ports.some((sp: { name: string }) => sp.name === p.backend.service.port.name));
    }

    const pdb = find("PodDisruptionBudget", "ml-inference");
    assert.ok(matches(pdb.spec.selector.matchLabels, podLabels));
    assert.ok(pdb.spec.minAvailable >= 1 && pdb.spec.minAvailable < d.spec.replicas);

    const hpa = find("HorizontalPodAutoscaler", "ml-inference");
    assert.deepEqual(hpa.spec.scaleTargetRef, { apiVersion: "apps/v1", kind: "Deployment", name: "ml-inference" });
    assert.equal(hpa.spec.minReplicas, d.spec.replicas);
    assert.ok(hpa.spec.maxReplicas > hpa.spec.minReplicas);
    assert.ok(c.resources.requests.cpu, "CPU utilization needs a CPU request");
  });

  test("Services prometheus:9090 and influxdb:8086 for the README's port-forward commands", () => {
    for (const [name, port] of [
      ["prometheus", 9090],
      ["influxdb", 8086],
    ] as const) {
      const svc = find("Service", name);
      assert.equal(svc.spec.ports[0].port, port);
      const w = workloads().find((o) => matches(svc.spec.selector, o.spec.template.metadata.labels));
      assert.ok(w, `service ${name} selects no workload`);
      assert.ok(
        containersOf(w).some((c) => c.ports.some((p: { name: string }) => p.name === svc.spec.ports[0].targetPort)),
      );
    }
  });

  test("Prometheus: its ServiceAccount may watch pods; config discovers the inference pods and writes to InfluxDB", () => {
    const prom = find("Deployment", "prometheus");
    const pod = prom.spec.template.spec;
    assert.equal(pod.serviceAccountName, find("ServiceAccount", "prometheus").metadata.name);
    const binding = find("RoleBinding", "prometheus");
    assert.deepEqual(binding.roleRef, { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "prometheus" });
    assert.deepEqual(binding.subjects, [{ kind: "ServiceAccount", name: "prometheus", namespace: "default" }]);
    const rules = find("Role", "prometheus").rules as { apiGroups: string[]; resources: string[]; verbs: string[] }[];
    assert.ok(rules.some((r) => r.apiGroups.includes("") && r.resources.includes("pods") && r.verbs.includes("watch")));

    const [c] = containersOf(prom);
    const configMap = findGenerated("ConfigMap", "prometheus-config");
    const configArg: string = c.args.find((a: string) => a.startsWith("--config.file="))!.split("=")[1];
    const configVolume = pod.volumes.find(
      (v: { configMap?: { name: string } }) => v.configMap?.name === configMap.metadata.name,
    );
    const configMount = c.volumeMounts.find((m: { name: string }) => m.name === configVolume.name);
    assert.equal(configArg, `${configMount.mountPath}/${Object.keys(configMap.data!)[0]}`);
    const config = parseYaml(Object.values(configMap.data!)[0]!);

    const job = config.scrape_configs.find((j: { job_name: string }) => j.job_name === "ml-inference");
    assert.equal(job.kubernetes_sd_configs[0].role, "pod");
    const keep = (label: string) =>
      job.relabel_configs.find(
        (r: { action: string; source_labels: string[] }) => r.action === "keep" && r.source_labels[0] === label,
      )?.regex;
    const inference = find("Deployment", "ml-inference");
    assert.equal(keep("__meta_kubernetes_pod_label_app"), inference.spec.template.metadata.labels.app);
    assert.equal(keep("__meta_kubernetes_pod_container_port_name"), containersOf(inference)[0].ports[0].name);
    const exporterJob = config.scrape_configs.find((j: { job_name: string }) => j.job_name === "node-exporter");
    assert.ok(exporterJob, "node-exporter scrape job");

    const influx = find("StatefulSet", "influxdb");
    const influxEnv = containersOf(influx)[0].env as {
      name: string;
      value?: string;
      valueFrom?: { secretKeyRef: { name: string; key: string } };
    }[];
    const database = influxEnv.find((e) => e.name === "INFLUXDB_DB")?.value;
    const write = new URL(config.remote_write[0].url);
    assert.equal(write.pathname, "/api/v1/prom/write");
    assert.equal(write.searchParams.get("db"), database);
    assert.equal(`${write.hostname}:${write.port}`, `${find("Service", "influxdb").metadata.name}:8086`);
    assert.equal(config.remote_write[0].basic_auth.username, deployConstant("INFLUX_USER"));
    const passwordFile: string = config.remote_write[0].basic_auth.password_file;
    const secretVolume = pod.volumes.find((v: { secret?: unknown }) => v.secret);
    assert.equal(secretVolume.secret.secretName, deployConstant("SECRET"));
    const secretMount = c.volumeMounts.find((m: { name: string }) => m.name === secretVolume.name);
    assert.equal(path.dirname(passwordFile), secretMount.mountPath);
    assert.ok(secretVolume.secret.items.some((i: { path: string }) => i.path === path.basename(passwordFile)));
    assert.equal(
      influxEnv.find((e) => e.name === "INFLUXDB_USER_PASSWORD")?.valueFrom?.secretKeyRef.key,
      secretVolume.secret.items.find((i: { path: string }) => i.path === path.basename(passwordFile)).key,
      "Prometheus authenticates with the password InfluxDB created the user with",
    );
  });

  test("Prometheus configuration passes promtool (Kubernetes discovery swapped for static targets)", {
    skip: skipUnless("promtool", "Debian package prometheus"),
  }, () => {
    const promtool = requireTool("promtool", "Debian package prometheus");
    // Debian's Prometheus is built without Kubernetes service discovery; everything else is checked as written.
    const config = parseYaml(readFileSync(path.join(ROOT, "kubernetes/prometheus/prometheus.yml"), "utf8"));
    for (const job of config.scrape_configs) {
      if (!job.kubernetes_sd_configs) continue;
      delete job.kubernetes_sd_configs;
      job.static_configs = [{ targets: ["127.0.0.1:9"] }];
    }
    const dir = mkdtempSync(path.join(tmpdir(), "promtool-"));
    try {
      writeFileSync(path.join(dir, "prometheus.yml"), stringifyYaml(config));
      const result = spawnSync(promtool, ["check", "config", path.join(dir, "prometheus.yml")], { encoding: "utf8" });
      assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("InfluxDB: StatefulSet on local-path storage, database and credentials from the generated Secret", () => {
    const sts = find("StatefulSet", "influxdb");
    assert.equal(sts.spec.serviceName, find("Service", "influxdb").metadata.name);
    const [claim] = sts.spec.volumeClaimTemplates;
    assert.equal(claim.spec.storageClassName, "local-path");
    const [c] = containersOf(sts);
    assert.ok(
      c.volumeMounts.some(
        (m: { name: string; mountPath: string }) =>
          m.name === claim.metadata.name && m.mountPath === "/var/lib/influxdb",
      ),
    );
    const env = Object.fromEntries(c.env.map((e: { name: string }) => [e.name, e]));
    assert.equal(env.INFLUXDB_DB.value, "edge_inference");
    assert.equal(env.INFLUXDB_HTTP_AUTH_ENABLED.value, "true");
    const secretKeys = new Set(["admin-user", "admin-password", "user", "user-password"]);
    for (const name of ["INFLUXDB_ADMIN_USER", "INFLUXDB_ADMIN_PASSWORD", "INFLUXDB_USER", "INFLUXDB_USER_PASSWORD"]) {
      const ref = env[name]?.valueFrom?.secretKeyRef;
      assert.equal(ref?.name, deployConstant("SECRET"), `${name} from the Secret deploy.sh creates`);
      assert.ok(secretKeys.has(ref.key), `${name}: key ${ref?.key}`);
    }
    const server = containersOf(find("Deployment", "ml-inference"))[0];
    const url = new URL(findGenerated("ConfigMap", "ml-inference-config").data!.INFLUX_URL!);
    assert.equal(url.hostname, "influxdb");
    assert.ok(server.env.some((e: { name: string }) => e.name === "NODE_NAME"));
  });

  test("node-exporter: on every node, cpufreq collector on", () => {
    const ds = find("DaemonSet", "node-exporter");
    assert.deepEqual(ds.spec.template.spec.tolerations, [{ operator: "Exists" }]);
    assert.ok(containersOf(ds)[0].args.includes("--collector.cpufreq"));
  });
});

describe("docker/Dockerfile and .dockerignore", () => {
  const dockerfile = readFileSync(path.join(ROOT, "docker/Dockerfile"), "utf8");
  const instructions = dockerfile.split("\n").filter((l) => l.trim() && !l.trimStart().startsWith("#"));

  test("multi-stage on a BASE_IMAGE argument defaulting to the official Node 20 slim image, pinned", () => {
    const arg = /^ARG BASE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1];
    assert.match(arg ?? "", /^node:20\.\d+\.\d+-bookworm-slim$/);
    const froms = instructions.filter((l) => l.startsWith("FROM "));
    assert.ok(froms.length >= 2, "multi-stage");
    for (const from of froms) assert.match(from, /^FROM \$\{BASE_IMAGE\} AS \w[\w-]*$/);
    assert.doesNotMatch(dockerfile, /:latest\b/);
  });

  test("production dependencies only, non-root numeric USER, HEALTHCHECK with node, serve as the command", () => {
    assert.match(dockerfile, /npm prune --omit=dev|npm ci --omit=dev/);
    const user = instructions.filter((l) => l.startsWith("USER ")).at(-1);
    assert.match(user ?? "", /^USER [1-9]\d*:[1-9]\d*$/);
    assert.match(dockerfile, /^HEALTHCHECK .*CMD \["node", /m);
    assert.doesNotMatch(instructions.join("\n"), /\b(curl|wget)\b/, "slim images have neither");
    assert.match(dockerfile, /^ENTRYPOINT \["node", "dist\/cli\/main\.js"\]$/m);
    assert.match(dockerfile, /^CMD \["serve"\]$/m);
    assert.match(dockerfile, /COPY docker\/model\//);
    assert.match(dockerfile, /COPY models\//);
  });

  test("nothing architecture-specific", () => {
    assert.doesNotMatch(instructions.join("\n"), /amd64|arm64|x86_64|aarch64|armv7|--platform/);
  });

  test(".dockerignore is an allow-list that keeps node_modules, dist and .git out", () => {
    const lines = readFileSync(path.join(ROOT, ".dockerignore"), "utf8")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#"));
    assert.equal(lines[0], "*");
    for (const l of lines.filter((x) => x.startsWith("!"))) {
      assert.doesNotMatch(l, /node_modules|dist|\.git|\.env/, l);
    }
    const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/));
    for (const source of copied) {
      const allowed = lines.some(
        (l) => l.startsWith("!") && source.replace(/\/$/, "").startsWith(l.slice(1).replace(/\/$/, "")),
      );
      assert.ok(allowed, `${source} is copied by the Dockerfile but not allowed by .dockerignore`);
    }
  });

  test("docker/model/README.md tells how to add a model", () => {
    const readme = readFileSync(path.join(ROOT, "docker/model/README.md"), "utf8");
    assert.match(readme, /\.tflite/);
    assert.match(readme, /rebuild/i);
    assert.match(readme, /redeploy/i);
    assert.match(readme, /INCLUDE_DEFAULT_MODELS=false/);
  });
});
