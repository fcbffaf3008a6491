import { ProvisionError } from "../errors";
import type { ProviderDefinition } from "./definition";

/**
 * Deliberate misconfigurations, for the harness's negative controls: a suite
 * run against a cluster with its fault must fail, naming the broken behaviour.
 * Set for a whole run through the vendor config's `faults`; never by the
 * suites themselves, and so not part of a ClusterSpec.
 */
export const FAULTS = [
  /** kube-controller-manager runs without the CSR approving controller. */
  "no-csr-approver",
  /** The selfnodeclient (renewal) binding is not created, whatever the spec says. */
  "no-selfnodeclient-binding",
  /** kube-controller-manager signs for twice the spec's signing duration. */
  "signing-duration-doubled",
  /** nodeclient is bound to every authenticated user: anyone's client CSR is auto-approved. */
  "approve-all-client-csrs",
  /** The kubelet's serverTLSBootstrap is off, whatever the joining node asks. */
  "no-server-tls-bootstrap",
  /** The kubelet serves with a cluster-CA certificate given by flags, so it writes no kubelet.crt. */
  "kubelet-external-serving-cert",
  /**
   * kube-controller-manager signs kubelet client certificates with a CA of
   * its own (--cluster-signing-kubelet-client-{cert,key}-file) that the API
   * server does not trust, named as the cluster CA is: the certificates are
   * issued and written, and the API server refuses them.
   */
  "kubelet-client-signer-untrusted",
] as const;
export type Fault = (typeof FAULTS)[number];

/**
 * An optional capability of a provider (as e2e-framework's optional provider
 * interfaces): it can build its clusters with these faults. A provider
 * without it cannot serve a run that asks for faults.
 */
export interface FaultInjection<Settings> {
  /** The settings of a run whose every cluster carries `faults`. */
  withFaults(settings: Settings, faults: readonly Fault[]): Settings;
}

/**
 * How a run's faults change its provider's prepared settings. Called before
 * anything is prepared, so a run with faults on a provider that cannot inject
 * them is refused at once.
 */
export function faultsInto<Settings>(provider: ProviderDefinition<Settings>, faults: readonly Fault[]): (settings: Settings) => Settings {
  if (!faults.length) return (settings) => settings;
  const injection = provider.faultInjection;
  if (!injection) {
    throw new ProvisionError(`the ${provider.name} provider does not inject faults (${faults.join(", ")})`, {
      hint: "negative controls run on the binary provider",
    });
  }
  return (settings) => injection.withFaults(settings, faults);
}
