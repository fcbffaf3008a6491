import type { ReleaseRow } from "../binaries/support-window";
import { DEFAULT_PROVIDER, PROVIDER_DEFINITIONS } from "../providers/registry";
import { providerChoices } from "./args";
import type { SuiteEntry } from "./catalogue";

export function helpText(suites: SuiteEntry[], defaultVersion: string, supported: ReleaseRow[], pinned: string[]): string {
  const width = Math.max(...suites.map((s) => s.name.length));
  const providers = PROVIDER_DEFINITIONS.map((p) => `${p.name} (${p.summary})`).join(", ");
  const environment = PROVIDER_DEFINITIONS.filter((p) => p.environmentHelp).map((p) => `Environment (${p.name}): ${p.environmentHelp}\n`).join("");
  return `kubelet-tls-conformance: proves kubelet TLS bootstrapping and certificate rotation against real clusters.

Usage:
  npm test -- [--suite NAME[,NAME...]] [--provider ${providerChoices().join("|")}] [flags]

Flags:
  --suite NAME        run these suites (repeatable, or comma-separated); default: all
  --provider NAME     ${providers},
                      or auto (default: auto = ${DEFAULT_PROVIDER})
  --k8s-version V     Kubernetes release (default: ${defaultVersion}, the newest supported); supported:
                      ${supported.map((r) => `${r.pinned} (${r.minor} until ${r.endOfLife})`).join(", ")}
                      built from tools/k8s/<version> when pinned (${pinned.join(", ")}), else downloaded
  --k8s-bin-dir DIR   use your own kube-apiserver, kube-controller-manager, kubelet, kubectl
                      (also K8S_BIN_DIR); otherwise: cache, official download, or build from source
  --config FILE       vendor knobs in YAML: distro, bindingStyle, signingDuration, extraFlags
                      per component, k8sBinDir, kubernetesVersion, provider, kubeconfig, and
                      for --provider existing tokenFileToken or tokenFileBootstrapKubeconfig
                      (your token-file credential: its nodes' checks run instead of skipping),
                      and nodes: {placement: container, image, network} to run its test
                      nodes as containers of a kind node image on that docker network
                      (default: local processes in network namespaces)
                      (also KTC_CONFIG); flags win
  --kubeconfig FILE   with --provider existing: a cluster-admin's kubeconfig of the running
                      cluster to test (also KTC_KUBECONFIG, or kubeconfig: in --config); the
                      preflight checks it answers and that the credentials hold every right
                      the run uses, before anything is created on it
  --allow-cluster-changes
                      with --provider existing: reach the approval paths the cluster's bindings
                      rule out; the run's nodes are approved through bindings of its own, and
                      for checks of approval by hand it takes system:bootstrappers and
                      system:nodes out of the cluster's nodeclient / selfnodeclient bindings
                      until it ends, then puts them back (also KTC_ALLOW_CLUSTER_CHANGES=1)
  --keep              leave clusters running after the run, for debugging
  --parallel N        run up to N suites at once, each in a jest worker (also KTC_PARALLEL);
                      suites needing equal clusters share them. Default: the provider's for
                      this machine (see the console's "suites at once" line); 1 is serial
  --list-suites       print the suites and exit
  --list-versions     print the supported releases, newest (the default) first, and exit
  --prepare-only      build or install what the provider needs for the release (binaries, node
                      runtime, kind tools and node image), then exit: warms the caches, runs nothing
  -h, --help          this text

Suites:
${suites.map((s) => `  ${s.name.padEnd(width)}  ${s.summary}`).join("\n")}

${environment}Reports: reports/allure-results (Allure; KTC_ALLURE_RESULTS moves it), reports/junit/junit.xml
  (KTC_JUNIT_DIR moves its folder), reports/kind-logs.
Leftovers of a killed run: npm run cleanup
`;
}
