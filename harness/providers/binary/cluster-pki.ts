import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createAuthority, generateKeys, issue, privateKeyPem, publicKeyPem, type KeyPairPem } from "../../pki/authority";

/** Paths of the control plane's PKI files, as a binary install lays them out. */
export interface ClusterPkiFiles {
  dir: string;
  caCert: string;
  caKey: string;
  apiserverCert: string;
  apiserverKey: string;
  apiserverKubeletClientCert: string;
  apiserverKubeletClientKey: string;
  serviceAccountKey: string;
  serviceAccountPub: string;
  caCertPem: string;
  admin: KeyPairPem;
  controllerManager: KeyPairPem;
}

/** The in-cluster service IP of the `kubernetes` Service (first IP of --service-cluster-ip-range). */
export const SERVICE_CIDR = "10.96.0.0/16";
export const KUBERNETES_SERVICE_IP = "10.96.0.1";

const CLUSTER_CA_NAME = "kubelet-tls-conformance-ca";

/**
 * One cluster CA signs everything here and is also kube-controller-manager's
 * signing CA, as in the docs' binary-install flow; kubelet client
 * certificates therefore chain to the CA the API server trusts.
 */
export async function writeClusterPki(dir: string, apiserverIp: string, caValiditySeconds: number): Promise<ClusterPkiFiles> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const ca = await createAuthority(CLUSTER_CA_NAME, caValiditySeconds);
  // Leaves must end before a short-lived CA does.
  const leafDays = Math.min(365, Math.floor(caValiditySeconds / 86400) || 1);
  const apiserver = await issue(ca, {
    validityDays: leafDays,
    subject: "CN=kube-apiserver",
    usage: "server",
    dnsNames: ["kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local", "localhost"],
    ipAddresses: [apiserverIp, "127.0.0.1", KUBERNETES_SERVICE_IP],
  });
  const kubeletClient = await issue(ca, { subject: "CN=kube-apiserver-kubelet-client, O=system:masters", usage: "client", validityDays: leafDays });
  const admin = await issue(ca, { subject: "CN=kubelet-tls-conformance-admin, O=system:masters", usage: "client", validityDays: leafDays });
  const controllerManager = await issue(ca, { subject: "CN=system:kube-controller-manager", usage: "client", validityDays: leafDays });
  const sa = await generateKeys();

  const files = {
    dir,
    caCert: join(dir, "ca.crt"),
    caKey: join(dir, "ca.key"),
    apiserverCert: join(dir, "apiserver.crt"),
    apiserverKey: join(dir, "apiserver.key"),
    apiserverKubeletClientCert: join(dir, "apiserver-kubelet-client.crt"),
    apiserverKubeletClientKey: join(dir, "apiserver-kubelet-client.key"),
    serviceAccountKey: join(dir, "sa.key"),
    serviceAccountPub: join(dir, "sa.pub"),
  };
  const write = (path: string, content: string, mode: number) => writeFile(path, content, { mode });
  await write(files.caCert, ca.certPem, 0o644);
  await write(files.caKey, ca.keyPem, 0o600);
  await write(files.apiserverCert, apiserver.certPem, 0o644);
  await write(files.apiserverKey, apiserver.keyPem, 0o600);
  await write(files.apiserverKubeletClientCert, kubeletClient.certPem, 0o644);
  await write(files.apiserverKubeletClientKey, kubeletClient.keyPem, 0o600);
  await write(files.serviceAccountKey, await privateKeyPem(sa.privateKey), 0o600);
  await write(files.serviceAccountPub, await publicKeyPem(sa.publicKey), 0o644);
  return { ...files, caCertPem: ca.certPem, admin, controllerManager };
}

/**
 * The kubelet-client-signer-untrusted fault: a second CA under the cluster
 * CA's very name, kept out of the API server's --client-ca-file, for
 * kube-controller-manager's kubelet-client signer. Only a check that verifies
 * signatures against the client CA bundle tells its certificates apart.
 */
export async function writeUntrustedSigner(dir: string, caValiditySeconds: number): Promise<{ cert: string; key: string }> {
  const ca = await createAuthority(CLUSTER_CA_NAME, caValiditySeconds);
  const files = { cert: join(dir, "untrusted-kubelet-client-ca.crt"), key: join(dir, "untrusted-kubelet-client-ca.key") };
  await writeFile(files.cert, ca.certPem, { mode: 0o644 });
  await writeFile(files.key, ca.keyPem, { mode: 0o600 });
  return files;
}
