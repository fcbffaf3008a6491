import type { ClusterPkiFiles } from "./cluster-pki";
import { SERVICE_CIDR } from "./cluster-pki";

/**
 * Command lines of the control plane, as a binary install writes them into
 * its systemd units. Pure functions: unit-tested without starting anything.
 */

/** Where etcd listens: a loopback address of the cluster's own, never one the nodes reach. */
export interface EtcdListen {
  host: string;
  client: number;
  peer: number;
}

export function etcdClientUrl(p: EtcdListen): string {
  return `http://${p.host}:${p.client}`;
}

export function etcdArgv(bin: string, dataDir: string, p: EtcdListen): string[] {
  const client = etcdClientUrl(p);
  const peer = `http://${p.host}:${p.peer}`;
  return [
    bin,
    "--name=ktc",
    `--data-dir=${dataDir}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=ktc=${peer}`,
  ];
}

export interface ApiServerOptions {
  bin: string;
  pki: ClusterPkiFiles;
  etcdUrl: string;
  bindAddress: string;
  securePort: number;
  tokenAuthFile: string;
  certDir: string;
  extraFlags: string[];
}

export function apiServerArgv(o: ApiServerOptions): string[] {
  return [
    o.bin,
    `--etcd-servers=${o.etcdUrl}`,
    `--bind-address=${o.bindAddress}`,
    `--advertise-address=${o.bindAddress}`,
    `--secure-port=${o.securePort}`,
    `--cert-dir=${o.certDir}`,
    `--tls-cert-file=${o.pki.apiserverCert}`,
    `--tls-private-key-file=${o.pki.apiserverKey}`,
    `--client-ca-file=${o.pki.caCert}`,
    `--kubelet-certificate-authority=${o.pki.caCert}`,
    `--kubelet-client-certificate=${o.pki.apiserverKubeletClientCert}`,
    `--kubelet-client-key=${o.pki.apiserverKubeletClientKey}`,
    `--service-account-issuer=https://kubernetes.default.svc.cluster.local`,
    `--service-account-key-file=${o.pki.serviceAccountPub}`,
    `--service-account-signing-key-file=${o.pki.serviceAccountKey}`,
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    "--authorization-mode=Node,RBAC",
    "--enable-admission-plugins=NodeRestriction",
    // The two bootstrap credentials of the docs' TLS-bootstrapping page.
    `--token-auth-file=${o.tokenAuthFile}`,
    "--enable-bootstrap-token-auth=true",
    "--allow-privileged=true",
    "--profiling=false",
    ...o.extraFlags,
  ];
}

export interface ControllerManagerOptions {
  bin: string;
  pki: ClusterPkiFiles;
  kubeconfig: string;
  /** The health port's address: loopback, as kubeadm binds it. */
  bindAddress: string;
  securePort: number;
  signingDurationSeconds: number;
  extraFlags: string[];
}

/**
 * The controllers this harness needs, by the names `kube-controller-manager
 * --help` lists (v1.34): csrsigning, csrapproving and csrcleaner, tokencleaner
 * (off by default), and what the controllers' own service-account credentials need.
 */
export const KCM_CONTROLLERS = [
  "certificatesigningrequest-signing-controller",
  "certificatesigningrequest-approving-controller",
  "certificatesigningrequest-cleaner-controller",
  "token-cleaner-controller",
  "serviceaccount-controller",
  "serviceaccount-token-controller",
  "root-ca-certificate-publisher-controller",
];

/**
 * csrsigning signs with the cluster CA for --cluster-signing-duration;
 * csrapproving auto-approves kubelet client CSRs after a SubjectAccessReview;
 * tokencleaner (off by default) deletes expired bootstrap tokens. Controllers
 * act with their own service accounts, as kubeadm and binary installs run them.
 */
export function controllerManagerArgv(o: ControllerManagerOptions): string[] {
  return [
    o.bin,
    `--kubeconfig=${o.kubeconfig}`,
    `--authentication-kubeconfig=${o.kubeconfig}`,
    `--authorization-kubeconfig=${o.kubeconfig}`,
    `--bind-address=${o.bindAddress}`,
    `--secure-port=${o.securePort}`,
    "--leader-elect=true",
    "--use-service-account-credentials=true",
    `--service-account-private-key-file=${o.pki.serviceAccountKey}`,
    `--root-ca-file=${o.pki.caCert}`,
    `--cluster-signing-cert-file=${o.pki.caCert}`,
    `--cluster-signing-key-file=${o.pki.caKey}`,
    `--cluster-signing-duration=${o.signingDurationSeconds}s`,
    `--controllers=${KCM_CONTROLLERS.join(",")}`,
    "--profiling=false",
    ...o.extraFlags,
  ];
}
