/**
 * Every deadline of the harness in one table (like the e2e framework's
 * framework.Timeouts). KTC_TIMEOUT_SCALE multiplies them all: above 1 for a
 * slow machine, below 1 to make a harness test of a broken cluster fail fast.
 */
const scale = (() => {
  const raw = process.env.KTC_TIMEOUT_SCALE;
  const n = raw === undefined ? 1 : Number(raw);
  return Number.isFinite(n) && n > 0 ? n : 1;
})();

const s = (ms: number) => Math.round(ms * scale);

export const Timeouts = {
  /** etcd, kube-apiserver, kube-controller-manager each to become ready. */
  componentReady: s(120_000),
  /** A whole cluster bring-up (beforeAll hook). */
  clusterUp: s(300_000),
  /** Kubelet start → CSR created → issued → certificate on disk. */
  bootstrap: s(180_000),
  /** The Node object to appear once the kubelet has a certificate. */
  nodeRegistered: s(60_000),
  /** A restarted kubelet to answer /healthz. */
  kubeletRestart: s(60_000),
  /** An extra kind node container from start to systemd having started containerd. */
  nodeBoot: s(90_000),
  /**
   * How long a negative check watches that something does NOT happen (a CSR
   * stays Pending). Not scaled: a shorter window would only make the check
   * weaker, and a negative control must see the fault it injects.
   */
  negativeWindow: 20_000,
  /** Tearing a cluster down (afterAll hook). */
  clusterDown: s(120_000),
} as const;
