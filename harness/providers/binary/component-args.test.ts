import { describe, expect, it } from "@jest/globals";
import type { ClusterPkiFiles } from "./cluster-pki";
import { apiServerArgv, controllerManagerArgv, etcdArgv, KCM_CONTROLLERS } from "./component-args";
import { tokenFileLine } from "../../kube/token-file";

const pki = {
  caCert: "/p/ca.crt",
  caKey: "/p/ca.key",
  apiserverCert: "/p/apiserver.crt",
  apiserverKey: "/p/apiserver.key",
  apiserverKubeletClientCert: "/p/kc.crt",
  apiserverKubeletClientKey: "/p/kc.key",
  serviceAccountKey: "/p/sa.key",
  serviceAccountPub: "/p/sa.pub",
} as ClusterPkiFiles;

describe("control plane command lines", () => {
  it("kube-apiserver: both bootstrap credentials, Node+RBAC, NodeRestriction, the cluster CA for clients", () => {
    const argv = apiServerArgv({
      bin: "/bin/kube-apiserver",
      pki,
      etcdUrl: "http://127.0.0.1:2379",
      bindAddress: "10.213.20.1",
      securePort: 6443,
      tokenAuthFile: "/p/token.csv",
      certDir: "/c",
      extraFlags: ["--v=4"],
    });
    expect(argv).toEqual(
      expect.arrayContaining([
        "--token-auth-file=/p/token.csv",
        "--enable-bootstrap-token-auth=true",
        "--authorization-mode=Node,RBAC",
        "--enable-admission-plugins=NodeRestriction",
        "--client-ca-file=/p/ca.crt",
        "--secure-port=6443",
        "--bind-address=10.213.20.1",
      ]),
    );
    expect(argv.at(-1)).toBe("--v=4");
  });

  it("kube-controller-manager: signs with the cluster CA for the spec's duration and runs the CSR controllers", () => {
    const argv = controllerManagerArgv({ bin: "kcm", pki, kubeconfig: "/k", bindAddress: "127.213.20.1", securePort: 1, signingDurationSeconds: 900, extraFlags: [] });
    expect(argv).toEqual(
      expect.arrayContaining([
        "--cluster-signing-cert-file=/p/ca.crt",
        "--cluster-signing-key-file=/p/ca.key",
        "--cluster-signing-duration=900s",
        "--use-service-account-credentials=true",
      ]),
    );
    const controllers = argv.find((a) => a.startsWith("--controllers="))!.split("=")[1]!.split(",");
    expect(controllers).toEqual(KCM_CONTROLLERS);
    expect(controllers).toEqual(
      expect.arrayContaining([
        "certificatesigningrequest-signing-controller",
        "certificatesigningrequest-approving-controller",
        "token-cleaner-controller",
      ]),
    );
  });

  it("etcd listens on loopback only", () => {
    const argv = etcdArgv("etcd", "/d", { host: "127.213.20.1", client: 1, peer: 2 });
    expect(argv.filter((a) => a.includes("://")).every((a) => a.includes("://127.213.20.1:"))).toBe(true);
  });

  it("the token-file line follows the docs: token,user,uid,\"groups\"", () => {
    expect(tokenFileLine("02b50b05283e98dd0fd71db496ef01e8", "kubelet-bootstrap", "10001", ["system:kubelet-bootstrap"])).toBe(
      '02b50b05283e98dd0fd71db496ef01e8,kubelet-bootstrap,10001,"system:kubelet-bootstrap"',
    );
  });
});
