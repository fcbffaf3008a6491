/**
 * Suite: security
 *
 * What must NOT work: bad tokens, a bootstrap identity doing more than asking
 * for certificates, and client CSRs the approver must not approve.
 *
 * Sources (Kubernetes v1.34–v1.37, the same in each: docs/release-differences.md): plugin/pkg/auth/authenticator/token/bootstrap/
 * bootstrap.go (a bootstrap token authenticates only if its Secret exists,
 * matches, is not expired and has usage-bootstrap-authentication=true),
 * plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go
 * (system:node-bootstrapper: create/get/list/watch CSRs, nothing else),
 * pkg/controller/certificates/approver/sarapprove.go (selfnodeclient needs the
 * CSR's username to equal its CN; nodeclient needs a nodeclient grant; both
 * need a valid kubelet client request), pkg/apis/certificates/helpers.go
 * (ValidateKubeletClientCSR: O exactly [system:nodes], CN system:node:*,
 * usages {digital signature, client auth} with optional key encipherment),
 * pkg/controller/certificates/signer/signer.go (a request the signer cannot
 * accept gets the Failed condition SignerValidationFailure and no certificate).
 *
 * Note (sarapprove.go): with the nodeclient binding, a bootstrap identity may
 * get a certificate for ANY node name approved: nodeclient does not tie the CN
 * to the requester. Only nodes asking for another node's name are refused.
 */
import { describe, expect } from "@jest/globals";
import type { V1CertificateSigningRequest, V1ResourceAttributes } from "@kubernetes/client-node";
import { newBootstrapToken, type BootstrapToken } from "../harness/kube/bootstrap-token";
import { apiStatus, type KubeClients } from "../harness/kube/clients";
import { condition, csrState, KUBELET_CLIENT_SIGNER, setApproval } from "../harness/kube/csr";
import { clientsAs, createCsrAs } from "../harness/kube/identities";
import { pemBlocks } from "../harness/pki/inspect";
import { registerSecret } from "../harness/report/redact";
import { attachCsr, attachText } from "../harness/report/allure";
import { joinAndBootstrap } from "../harness/suite/bootstrap-node";
import { prepared } from "../harness/suite/prepared";
import { check } from "../harness/suite/check";
import { CLIENT_CERT_CURRENT } from "../harness/suite/node-waits";
import { conformanceSuite } from "../harness/suite/conformance-suite";
import { useCluster, type ClusterFixture } from "../harness/suite/use-cluster";
import { consistently, eventually } from "../harness/wait/eventually";
import { Timeouts } from "../harness/wait/timeouts";

const SUITE = "security";
const CLIENT_USAGES = ["digital signature", "client auth"];

async function statusOf(p: Promise<unknown>): Promise<number | "ok"> {
  try {
    await p;
    return "ok";
  } catch (err) {
    return apiStatus(err) ?? -1;
  }
}

function asToken(f: ClusterFixture, token: string): KubeClients {
  return clientsAs(f.cluster.apiServerUrl, f.cluster.serverCaPem, "token-user", { kind: "token", token });
}

/** Watches CSRs that must not be approved; returns the first violation seen. */
async function noneApproved(f: ClusterFixture, csrs: { why: string; name: string }[]): Promise<void> {
  await consistently(
    async () => {
      for (const c of csrs) {
        const now = await f.kube.certificates.readCertificateSigningRequest({ name: c.name });
        if (condition(now, "Approved") || now.status?.certificate) return `CSR ${c.name} (${c.why}) became ${csrState(now)}`;
      }
      return undefined;
    },
    { what: `${csrs.length} CSR(s) to stay unapproved`, windowMs: Timeouts.negativeWindow },
  );
}

conformanceSuite(SUITE, "security negatives", () => {
  const f = useCluster({ autoApprove: { bootstrap: true, renewal: true } });
  const token = prepared(
    "a bootstrap token",
    async (): Promise<BootstrapToken> => {
      return f.createBootstrapToken({ ttlSeconds: 3600 });
    },
    60_000,
  );

  describe("authentication", () => {
    check(SUITE, f, "a token that matches no Secret is refused with 401", async () => {
      const wrong = newBootstrapToken(60);
      registerSecret(wrong.token);
      expect({ token: "unknown bootstrap token", status: await statusOf(asToken(f, wrong.token).certificates.listCertificateSigningRequest()) }).toEqual({
        token: "unknown bootstrap token",
        status: 401,
      });
      const forged = `${(await token()).id}.${"0".repeat(16)}`;
      expect({ token: "right id, wrong secret", status: await statusOf(asToken(f, forged).certificates.listCertificateSigningRequest()) }).toEqual({
        token: "right id, wrong secret",
        status: 401,
      });
    });

    check(SUITE, f, "an expired bootstrap token is refused with 401", async () => {
      const t = await f.createBootstrapToken({ ttlSeconds: -3600 });
      expect({ token: `expired at ${t.expiration.toISOString()}`, status: await statusOf(asToken(f, t.token).certificates.listCertificateSigningRequest()) }).toEqual({
        token: `expired at ${t.expiration.toISOString()}`,
        status: 401,
      });
    });

    check(SUITE, f, "a bootstrap token Secret without usage-bootstrap-authentication is refused with 401", async () => {
      const t = await f.createBootstrapToken({ ttlSeconds: 3600, usageAuthentication: false });
      expect({ token: "no usage-bootstrap-authentication", status: await statusOf(asToken(f, t.token).certificates.listCertificateSigningRequest()) }).toEqual({
        token: "no usage-bootstrap-authentication",
        status: 401,
      });
    });
  });

  describe("authorization of the bootstrap identity", () => {
    const review = async (attrs: V1ResourceAttributes): Promise<boolean> => {
      const bootstrap = await token();
      const groups = ["system:bootstrappers", ...f.cluster.bootstrapperGroups, "system:authenticated"];
      const r = await f.kube.authorization.createSubjectAccessReview({
        body: { apiVersion: "authorization.k8s.io/v1", kind: "SubjectAccessReview", spec: { user: bootstrap.user, groups, resourceAttributes: attrs } },
      });
      return r.status?.allowed ?? false;
    };
    const csrs = { group: "certificates.k8s.io", resource: "certificatesigningrequests" };

    check(SUITE, f, "it may create, get, list and watch CSRs", async () => {
      const bootstrap = await token();
      const verdicts = Object.fromEntries(await Promise.all(["create", "get", "list", "watch"].map(async (verb) => [verb, await review({ ...csrs, verb })])));
      expect({ user: bootstrap.user, verdicts }).toEqual({ user: bootstrap.user, verdicts: { create: true, get: true, list: true, watch: true } });
    });

    check(SUITE, f, "it may not read secrets, create pods, change nodes, or approve CSRs", async () => {
      const bootstrap = await token();
      const forbidden: Record<string, V1ResourceAttributes> = {
        "get secrets in kube-system": { verb: "get", resource: "secrets", namespace: "kube-system" },
        "list secrets": { verb: "list", resource: "secrets" },
        "create pods": { verb: "create", resource: "pods", namespace: "default" },
        "list pods": { verb: "list", resource: "pods" },
        "update nodes": { verb: "update", resource: "nodes" },
        "delete nodes": { verb: "delete", resource: "nodes" },
        "delete CSRs": { ...csrs, verb: "delete" },
        "update CSR approval": { ...csrs, verb: "update", subresource: "approval" },
        "approve the kubelet client signer": { group: "certificates.k8s.io", resource: "signers", verb: "approve", name: KUBELET_CLIENT_SIGNER },
      };
      const allowedOnes = [];
      for (const [what, attrs] of Object.entries(forbidden)) if (await review(attrs)) allowedOnes.push(what);
      expect({ user: bootstrap.user, allowed: allowedOnes }).toEqual({ user: bootstrap.user, allowed: [] });
      // And for real, with the token itself:
      expect({ request: "list secrets in kube-system with the bootstrap token", status: await statusOf(asToken(f, bootstrap.token).core.listNamespacedSecret({ namespace: "kube-system" })) }).toEqual({
        request: "list secrets in kube-system with the bootstrap token",
        status: 403,
      });
    });
  });

  describe("client CSRs that must not be approved", () => {
    const nodes = prepared(
      "two bootstrapped nodes",
      async () => ({ nodeA: await joinAndBootstrap(f, "sec-a", "bootstrap-token"), nodeB: await joinAndBootstrap(f, "sec-b", "bootstrap-token") }),
      2 * Timeouts.bootstrap + 60_000,
    );
    const attempted = prepared("the CSRs that must not be approved", async () => {
      const bootstrap = await token();
      const { nodeA, nodeB } = await nodes();
      const made: { why: string; csr: V1CertificateSigningRequest }[] = [];
      const rejectedAtCreate: { why: string; status: number }[] = [];
      const asBootstrap = asToken(f, bootstrap.token);
      const certPem = await nodeA.node.readFile(`${nodeA.node.certDir}/${CLIENT_CERT_CURRENT}`);
      const asNodeA = clientsAs(f.cluster.apiServerUrl, f.cluster.serverCaPem, nodeA.node.name, {
        kind: "client-cert",
        certPem: pemBlocks(certPem, "CERTIFICATE")[0]!,
        keyPem: pemBlocks(certPem).find((b) => b.includes("PRIVATE KEY"))!,
      });
      const attempts: [string, KubeClients, string, string[]][] = [
        [`node ${nodeA.node.name} asking for node ${nodeB.node.name}'s name`, asNodeA, `CN=system:node:${nodeB.node.name}, O=system:nodes`, CLIENT_USAGES],
        ["O=system:masters on the kubelet client signer", asBootstrap, "CN=system:node:sec-evil, O=system:masters", CLIENT_USAGES],
        ["server auth usage on the kubelet client signer", asBootstrap, "CN=system:node:sec-srv, O=system:nodes", ["digital signature", "server auth"]],
      ];
      const generateName = await f.csrGenerateName("ktc-sec-");
      for (const [why, as, subject, usages] of attempts) {
        try {
          made.push({ why, csr: await createCsrAs(as, { subject, signerName: KUBELET_CLIENT_SIGNER, usages, generateName }) });
        } catch (err) {
          rejectedAtCreate.push({ why, status: apiStatus(err) ?? -1 });
        }
      }
      return { nodeA, nodeB, made, rejectedAtCreate };
    }, 60_000);

    check(SUITE, f, "a node cannot ask for another node's client certificate: NodeRestriction refuses the CSR (403), or the approver leaves it unapproved", async () => {
      const { nodeA, nodeB, made, rejectedAtCreate } = await attempted();
      const why = `node ${nodeA.node.name} asking for node ${nodeB.node.name}'s name`;
      const refused = rejectedAtCreate.find((r) => r.why === why);
      const created = made.find((m) => m.why === why);
      await attachText("outcome", refused ? `refused at creation with HTTP ${refused.status}` : `created as ${created?.csr.metadata?.name}`);
      if (refused) {
        // plugin/pkg/admission/noderestriction/admission.go admitCSR (v1.34–v1.37): "can only create a node CSR with CN=system:node:<self>".
        expect({ why, status: refused.status }).toEqual({ why, status: 403 });
      } else {
        await noneApproved(f, [{ why, name: created!.csr.metadata!.name! }]);
      }
    }, Timeouts.negativeWindow + 30_000);

    check(SUITE, f, `no CSR the API accepted is auto-approved (checked for ${Timeouts.negativeWindow / 1000} s): O=system:masters, server auth usage, another node's name`, async () => {
      const { made, rejectedAtCreate } = await attempted();
      for (const m of made) await attachCsr(m.csr);
      // A request the API refuses outright (4xx) is just as safe; the report says which were.
      await attachText("refused at creation", JSON.stringify(rejectedAtCreate, null, 2));
      expect({ attempts: made.length + rejectedAtCreate.length, refusedWithOtherThan4xx: rejectedAtCreate.filter((r) => r.status < 400 || r.status >= 500) }).toEqual({
        attempts: 3,
        refusedWithOtherThan4xx: [],
      });
      await noneApproved(f, made.map((m) => ({ why: m.why, name: m.csr.metadata!.name! })));
    }, Timeouts.negativeWindow + 30_000);

    check(SUITE, f, "if an admin approves the malformed ones anyway, the signer refuses them (Failed: SignerValidationFailure) and issues nothing", async () => {
      const { made } = await attempted();
      const malformed = made.filter((m) => !m.why.startsWith("node "));
      expect(malformed.length).toBeGreaterThan(0);
      for (const m of malformed) {
        const name = m.csr.metadata!.name!;
        await setApproval(f.kube, name, "Approved");
        const failed = await eventually(
          async () => {
            const now = await f.kube.certificates.readCertificateSigningRequest({ name });
            return condition(now, "Failed") || now.status?.certificate ? now : undefined;
          },
          { what: `the signer to act on approved CSR ${name} (${m.why})`, timeoutMs: Timeouts.componentReady, blame: "product" },
        );
        await attachCsr(failed);
        expect({ csr: name, why: m.why, failedReason: condition(failed, "Failed")?.reason, issued: !!failed.status?.certificate }).toEqual({
          csr: name,
          why: m.why,
          failedReason: "SignerValidationFailure",
          issued: false,
        });
      }
    });
  });

  describe("with only the selfnodeclient binding", () => {
    const g = useCluster({ autoApprove: { bootstrap: false, renewal: true } });
    const requested = prepared("a client CSR made with a bootstrap token", async () => {
      const t = await g.createBootstrapToken({ ttlSeconds: 3600 });
      const as = clientsAs(g.cluster.apiServerUrl, g.cluster.serverCaPem, t.user, { kind: "token", token: t.token });
      return createCsrAs(as, { subject: "CN=system:node:sec-self, O=system:nodes", signerName: KUBELET_CLIENT_SIGNER, usages: CLIENT_USAGES, generateName: await g.csrGenerateName("ktc-sec-") });
    }, 60_000);

    check(SUITE, g, "a client CSR from a non-node identity (a bootstrap token) is not approved", async () => {
      const csr = await requested();
      await attachCsr(csr);
      await noneApproved(g, [{ why: "bootstrap identity, selfnodeclient only", name: csr.metadata!.name! }]);
    }, Timeouts.negativeWindow + 30_000);
  });
});
