/**
 * Suite: approval
 *
 * Who approves a kubelet's client CSR, and what happens until someone does.
 *
 * Sources (Kubernetes v1.34–v1.37, the same in each: docs/release-differences.md): pkg/controller/certificates/approver/sarapprove.go
 * (recognizers selfnodeclient then nodeclient; SubjectAccessReview on
 * certificatesigningrequests/<subresource>; condition Approved, reason
 * AutoApproved, "Auto approving kubelet client certificate after
 * SubjectAccessReview."), pkg/controller/certificates/signer/signer.go (only
 * approved, not failed CSRs are signed), staging/src/k8s.io/kubectl/pkg/cmd/
 * certificates (kubectl certificate approve/deny update the /approval
 * subresource), client-go util/certificate/certificate_manager.go (the kubelet
 * waits for its CSR to be issued).
 */
import { describe, expect } from "@jest/globals";
import type { V1CertificateSigningRequest } from "@kubernetes/client-node";
import { condition, csrState, setApproval, waitForIssued, waitForNodeCsr } from "../harness/kube/csr";
import { kubectl } from "../harness/kube/kubectl";
import type { Node } from "../harness/providers/provider";
import { info } from "../harness/log";
import { attachCsr, attachText } from "../harness/report/allure";
import { joinAndBootstrap } from "../harness/suite/bootstrap-node";
import { prepared } from "../harness/suite/prepared";
import { check } from "../harness/suite/check";
import { CLIENT_CERT_CURRENT, waitForClientCertificate } from "../harness/suite/node-waits";
import { conformanceSuite } from "../harness/suite/conformance-suite";
import { useCluster } from "../harness/suite/use-cluster";
import { consistently } from "../harness/wait/eventually";
import { Timeouts } from "../harness/wait/timeouts";

const SUITE = "approval";

conformanceSuite(SUITE, "CSR approval", () => {
  describe("with the nodeclient auto-approve binding", () => {
    const f = useCluster({ autoApprove: { bootstrap: true, renewal: true } });
    const bootstrapped = prepared("the node's bootstrap", () => joinAndBootstrap(f, "appr-auto", "bootstrap-token"), Timeouts.bootstrap + 60_000);

    check(SUITE, f, "the first CSR is Approved by kube-controller-manager with reason AutoApproved and the nodeclient message", async () => {
      const b = await bootstrapped();
      await attachCsr(b.csr);
      const approved = condition(b.csr, "Approved");
      expect({ csr: b.csr.metadata!.name, reason: approved?.reason, message: approved?.message }).toEqual({
        csr: b.csr.metadata!.name,
        reason: "AutoApproved",
        message: "Auto approving kubelet client certificate after SubjectAccessReview.",
      });
      // The reason and message above are sarapprove.go's own: that is what says kube-controller-manager's csrapproving
      // controller approved it. The /approval subresource has one writer; its field manager name is the first word of
      // that writer's User-Agent, i.e. the name of the binary kube-controller-manager runs as (client-go rest/config.go
      // DefaultKubernetesUserAgent: os.Args[0]; apiserver handlers prefixFromUserAgent): "kube-controller-manager" for
      // kubeadm and the binary install, another name where a distribution embeds it. Reported, not asserted.
      const approvers = (b.csr.metadata!.managedFields ?? []).filter((m) => m.subresource === "approval").map((m) => m.manager);
      const writer = `the /approval subresource of ${b.csr.metadata!.name} was written by field manager(s) ${JSON.stringify(approvers)} (information, not asserted)`;
      await attachText("approval writer", writer);
      info(writer);
      expect({ csr: b.csr.metadata!.name, approvalWriters: approvers.length }).toEqual({ csr: b.csr.metadata!.name, approvalWriters: 1 });
    });
  });

  describe("without the nodeclient auto-approve binding", () => {
    // The selfnodeclient binding stays: it approves renewals only, which these checks never reach,
    // and the cluster is then the one the security suite's selfnodeclient-only checks use (one cluster fewer per run).
    const f = useCluster({ autoApprove: { bootstrap: false, renewal: true } });
    /** A node whose first CSR nobody approves (yet). */
    const pendingNode = (label: string) =>
      prepared(`node ${label}'s first CSR`, async (): Promise<{ node: Node; csr: V1CertificateSigningRequest }> => {
        const node = await f.join(label, "bootstrap-token");
        return { node, csr: (await waitForNodeCsr(f.kube, node, Timeouts.bootstrap)).csr };
      }, Timeouts.bootstrap + 60_000);
    const pending = { api: pendingNode("appr-api"), kubectl: pendingNode("appr-kctl"), deny: pendingNode("appr-deny") };

    check(SUITE, f, `the CSR stays Pending (checked for ${Timeouts.negativeWindow / 1000} s): no certificate is issued and none is written`, async () => {
      const all = [await pending.api(), await pending.kubectl(), await pending.deny()];
      await consistently(
        async () => {
          for (const { node, csr } of all) {
            const now = await f.kube.certificates.readCertificateSigningRequest({ name: csr.metadata!.name! });
            if (csrState(now) !== "Pending") return `CSR ${csr.metadata!.name} of ${node.name} became ${csrState(now)}`;
            if (await node.exists(`${node.certDir}/${CLIENT_CERT_CURRENT}`)) return `${node.name} wrote ${CLIENT_CERT_CURRENT}`;
          }
          return undefined;
        },
        { what: "every CSR to stay Pending with no certificate", windowMs: Timeouts.negativeWindow },
      );
    }, Timeouts.negativeWindow + 30_000);

    check(SUITE, f, "after approval through the API the certificate is issued and the kubelet writes it", async () => {
      const { node, csr } = await pending.api();
      await setApproval(f.kube, csr.metadata!.name!, "Approved");
      const issued = await waitForIssued(f.kube, csr.metadata!.name!, Timeouts.bootstrap);
      await attachCsr(issued);
      await waitForClientCertificate(node, Timeouts.bootstrap);
    });

    check(SUITE, f, "after `kubectl certificate approve` the certificate is issued and the kubelet writes it", async () => {
      const { node, csr } = await pending.kubectl();
      const env = f.env;
      const out = await kubectl(env.binDir, f.cluster.adminKubeconfigPath, ["certificate", "approve", csr.metadata!.name!]);
      expect(out).toContain(`${csr.metadata!.name} approved`);
      const issued = await waitForIssued(f.kube, csr.metadata!.name!, Timeouts.bootstrap);
      expect(condition(issued, "Approved")?.reason).toBe("KubectlApprove");
      await waitForClientCertificate(node, Timeouts.bootstrap);
    });

    check(SUITE, f, `a denied CSR is never issued and the kubelet gets no certificate from it (checked for ${Timeouts.negativeWindow / 1000} s)`, async () => {
      const { node, csr } = await pending.deny();
      const name = csr.metadata!.name!;
      await setApproval(f.kube, name, "Denied");
      await consistently(
        async () => {
          const now = await f.kube.certificates.readCertificateSigningRequest({ name });
          if (now.status?.certificate) return `CSR ${name} was issued a certificate after being denied`;
          if (!condition(now, "Denied")) return `CSR ${name} lost its Denied condition: ${csrState(now)}`;
          if (await node.exists(`${node.certDir}/${CLIENT_CERT_CURRENT}`)) return `${node.name} wrote ${CLIENT_CERT_CURRENT}`;
          return undefined;
        },
        { what: `denied CSR ${name} to stay without a certificate`, windowMs: Timeouts.negativeWindow },
      );
      await attachCsr(await f.kube.certificates.readCertificateSigningRequest({ name }));
    }, Timeouts.negativeWindow + 30_000);
  });
});
