import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Daemon } from "../../exec/daemon";
import { clientsFromFile } from "../../kube/clients";
import { renderKubeconfig } from "../../kube/kubeconfig";
import { seedRbac } from "../../kube/seed-bindings";
import { timed } from "../../log";
import { Timeouts } from "../../wait/timeouts";
import type { Fault } from "../fault-injection";
import type { ClusterSpec } from "../spec";
import { writeClusterPki, writeUntrustedSigner, type ClusterPkiFiles } from "./cluster-pki";
import { apiServerArgv, controllerManagerArgv, etcdArgv, etcdClientUrl } from "./component-args";
import { applyControlPlaneFaults } from "./faults";
import { clusterLoopback, freePorts } from "./ports";
import { waitForDaemon } from "../../exec/wait-daemon";
import { NODE_TIER } from "../../local-node/node";

/** Stop order of the run's processes: higher tiers stop first. */
/**
 * kube-apiserver's own graceful shutdown often outlasts the default 10 s
 * here; while it lingers, its log shows only its storage size estimators
 * asking the stopped watch cache for keys, each ask timing out after seconds
 * ("Error getting keys" ... "Too large resource version", k8s.io/apiserver
 * pkg/storage/etcd3/stats.go; kubernetes/kubernetes#134343 reports the
 * message, open since v1.34). By the time it is stopped its
 * nodes and controller manager are gone and its etcd goes next, so a
 * graceful end protects nothing; each release of a cluster waited the full
 * 10 s for it (two of six in a binary full run), on the renewal suite's end.
 */
const API_SERVER_STOP_GRACE_MS = 3_000;

export const TIER = { etcd: 0, apiserver: 1, controllerManager: 2, ...NODE_TIER } as const;

export interface ControlPlane {
  pki: ClusterPkiFiles;
  apiServerUrl: string;
  adminKubeconfigPath: string;
  timingsMs: Record<string, number>;
}

export interface ControlPlaneInputs {
  runDir: string;
  /** The cluster name: prefix of its process names and owner of its records. */
  owner: string;
  dir: string;
  binDir: string;
  etcdBin: string;
  apiServerIp: string;
  spec: ClusterSpec;
  /** Negative controls only (faults.ts). */
  faults: readonly Fault[];
  tokenFileLines: string[];
}

/**
 * etcd → kube-apiserver → seed RBAC → kube-controller-manager, each awaited
 * on its own readiness signal (etcd /health, apiserver /readyz, the KCM's
 * leader-election Lease), never on a fixed delay.
 */
export async function startControlPlane(i: ControlPlaneInputs): Promise<ControlPlane> {
  const timingsMs: Record<string, number> = {};
  const logs = join(i.dir, "logs");
  await mkdir(logs, { recursive: true });
  const start = (name: string, tier: number, argv: string[], stopGraceMs?: number) =>
    Daemon.start(i.runDir, { name: `${i.owner}-${name}`, owner: i.owner, tier, argv, logPath: join(logs, `${name}.log`), stopGraceMs });

  const pki = await writeClusterPki(join(i.dir, "pki"), i.apiServerIp, i.spec.caValiditySeconds);
  const tokenAuthFile = join(i.dir, "pki", "token.csv");
  await writeFile(tokenAuthFile, i.tokenFileLines.join("\n") + "\n", { mode: 0o600 });

  // Host-only daemons on the cluster's own loopback address, the API server on
  // its address on the host: no two clusters of the machine pick from one address.
  const loopback = clusterLoopback(i.apiServerIp);
  const [etcdClient, etcdPeer, kcmPort] = await freePorts(loopback, 3);
  const [securePort] = await freePorts(i.apiServerIp, 1);
  const etcdListen = { host: loopback, client: etcdClient!, peer: etcdPeer! };
  const etcdUrl = etcdClientUrl(etcdListen);
  timingsMs.etcd = (
    await timed("starting etcd", async () => {
      const etcd = await start("etcd", TIER.etcd, etcdArgv(i.etcdBin, join(i.dir, "etcd"), etcdListen));
      await waitForDaemon(etcd, async () => (await fetch(`${etcdUrl}/health`)).ok, { what: `etcd ${etcdUrl}/health`, timeoutMs: Timeouts.componentReady });
    })
  ).ms;

  const apiServerUrl = `https://${i.apiServerIp}:${securePort}`;
  const adminKubeconfigPath = join(i.dir, "admin.kubeconfig");
  await writeFile(
    adminKubeconfigPath,
    renderKubeconfig({ server: apiServerUrl, user: "ktc-admin", caPem: pki.caCertPem, auth: { kind: "client-cert", ...pki.admin } }),
    { mode: 0o600 },
  );
  const kube = clientsFromFile(adminKubeconfigPath);
  const faulty = applyControlPlaneFaults(i.faults, i.faults.includes("kubelet-client-signer-untrusted") ? await writeUntrustedSigner(join(i.dir, "pki"), i.spec.caValiditySeconds) : undefined);
  timingsMs.apiserver = (
    await timed("starting kube-apiserver", async () => {
      const argv = apiServerArgv({
        bin: join(i.binDir, "kube-apiserver"),
        pki,
        etcdUrl,
        bindAddress: i.apiServerIp,
        securePort,
        tokenAuthFile,
        certDir: join(i.dir, "apiserver-certs"),
        extraFlags: i.spec.extraFlags["kube-apiserver"] ?? [],
      });
      const apiserver = await start("kube-apiserver", TIER.apiserver, faulty.apiserverArgv(argv), API_SERVER_STOP_GRACE_MS);
      await waitForDaemon(apiserver, () => kube.health.readyz({}), { what: `kube-apiserver ${apiServerUrl}/readyz`, timeoutMs: Timeouts.componentReady });
    })
  ).ms;

  const rbac = faulty.rbac(seedRbac(i.spec));
  for (const role of rbac.roles) await kube.rbac.createClusterRole({ body: role });
  for (const binding of rbac.bindings) await kube.rbac.createClusterRoleBinding({ body: binding });

  const kcmKubeconfig = join(i.dir, "controller-manager.kubeconfig");
  await writeFile(
    kcmKubeconfig,
    renderKubeconfig({
      server: apiServerUrl,
      user: "system:kube-controller-manager",
      caPem: pki.caCertPem,
      auth: { kind: "client-cert", ...pki.controllerManager },
    }),
    { mode: 0o600 },
  );
  timingsMs.controllerManager = (
    await timed("starting kube-controller-manager", async () => {
      const argv = controllerManagerArgv({
        bin: join(i.binDir, "kube-controller-manager"),
        pki,
        kubeconfig: kcmKubeconfig,
        bindAddress: loopback,
        securePort: kcmPort!,
        signingDurationSeconds: i.spec.signingDurationSeconds,
        extraFlags: i.spec.extraFlags["kube-controller-manager"] ?? [],
      });
      const kcm = await start("kube-controller-manager", TIER.controllerManager, faulty.controllerManagerArgv(argv));
      await waitForDaemon(
        kcm,
        async () => {
          const lease = await kube.coordination.readNamespacedLease({ name: "kube-controller-manager", namespace: "kube-system" });
          return !!lease.spec?.holderIdentity;
        },
        { what: "kube-controller-manager to hold its leader-election Lease kube-system/kube-controller-manager", timeoutMs: Timeouts.componentReady },
      );
    })
  ).ms;

  return { pki, apiServerUrl, adminKubeconfigPath, timingsMs };
}
