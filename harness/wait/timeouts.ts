/**
 * Every deadline of the harness in one table (like the e2e framework's
 * framework.Timeouts). KTC_TIMEOUT_SCALE multiplies them: above 1 all of
 * them, for a slow machine; below 1 only the waits for the product, so a
 * harness test of a broken cluster fails fast while the harness's own steps
 * (bring-up, node boot, a restart, teardown) keep their whole time: on a
 * loaded machine a shortened bring-up would only turn the test into a harness
 * error (broken), never into the product failure it is after.
 */
const scale = (() => {
  const raw = process.env.KTC_TIMEOUT_SCALE;
  const n = raw === undefined ? 1 : Number(raw);
  return Number.isFinite(n) && n > 0 ? n : 1;
})();

/** A wait for the product: scaled both ways. */
const s = (ms: number) => Math.round(ms * scale);
/** A step of the harness: only ever lengthened. */
const h = (ms: number) => Math.round(ms * Math.max(1, scale));

export const Timeouts = {
  /** etcd, kube-apiserver, kube-controller-manager each to become ready. */
  componentReady: h(120_000),
  /** A whole cluster bring-up (beforeAll hook). */
  clusterUp: h(300_000),
  /** Kubelet start → CSR created → issued → certificate on disk. */
  bootstrap: s(180_000),
  /** The Node object to appear once the kubelet has a certificate. */
  nodeRegistered: s(60_000),
  /** A restarted kubelet to answer /healthz. */
  kubeletRestart: h(60_000),
  /** An extra kind node container from start to systemd having started containerd. */
  nodeBoot: h(90_000),
  /**
   * How long a negative check watches that something does NOT happen (a CSR
   * stays Pending). Not scaled: a shorter window would only make the check
   * weaker, and a negative control must see the fault it injects.
   */
  negativeWindow: 20_000,
  /** Tearing a cluster down (afterAll hook). */
  clusterDown: h(120_000),
} as const;
