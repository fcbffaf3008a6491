import type { SeedRbac } from "../../kube/seed-bindings";
import { NODECLIENT, SELFNODECLIENT } from "../../kube/seed-bindings";
import type { Fault } from "../fault-injection";
import type { NodeSpec } from "../spec";

/**
 * How the binary provider breaks a cluster on purpose for a negative control
 * (see FAULTS in fault-injection.ts). Each fault changes one thing, at the place a real
 * misconfiguration would: a flag, a binding, the kubelet config.
 */
export function applyControlPlaneFaults(faults: readonly Fault[], untrustedSigner?: { cert: string; key: string }) {
  const has = (f: Fault) => faults.includes(f);
  return {
    apiserverArgv: (argv: string[]) => argv,
    controllerManagerArgv: (argv: string[]) =>
      argv.map((a) => {
        // The per-signer pair instead of the general one (both at once is an error): the other signers go unused, as the suites that take this fault need none of them.
        if (has("kubelet-client-signer-untrusted") && untrustedSigner) {
          if (a.startsWith("--cluster-signing-cert-file=")) return `--cluster-signing-kubelet-client-cert-file=${untrustedSigner.cert}`;
          if (a.startsWith("--cluster-signing-key-file=")) return `--cluster-signing-kubelet-client-key-file=${untrustedSigner.key}`;
        }
        if (has("no-csr-approver") && a.startsWith("--controllers=")) {
          return a.split(",").filter((c) => !c.endsWith("certificatesigningrequest-approving-controller")).join(",");
        }
        if (has("signing-duration-doubled") && a.startsWith("--cluster-signing-duration=")) {
          return `--cluster-signing-duration=${2 * Number(a.split("=")[1]!.replace(/s$/, ""))}s`;
        }
        return a;
      }),
    rbac: (r: SeedRbac): SeedRbac => {
      let bindings = r.bindings;
      if (has("no-selfnodeclient-binding")) bindings = bindings.filter((b) => b.roleRef.name !== SELFNODECLIENT);
      if (has("approve-all-client-csrs")) {
        bindings = [
          ...bindings,
          {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "ClusterRoleBinding",
            metadata: { name: "ktc-fault-approve-all-client-csrs" },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: NODECLIENT },
            subjects: [{ kind: "Group", name: "system:authenticated", apiGroup: "rbac.authorization.k8s.io" }],
          },
        ];
      }
      return { roles: r.roles, bindings };
    },
  };
}

export function kubeletServerTlsBootstrap(node: Pick<NodeSpec, "serverTLSBootstrap">, faults: readonly Fault[]): boolean {
  return (node.serverTLSBootstrap ?? false) && !faults.includes("no-server-tls-bootstrap");
}
