/**
 * The existing provider's preflight against a real cluster the harness did
 * not configure for it: a binary cluster kept by a run (`--keep`), as a
 * vendor's would be. Each refusal names what is missing; nothing is created.
 */
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { parse, stringify } from "yaml";
import { KubeConfig } from "@kubernetes/client-node";
import { PreflightError, UsageError } from "../../errors";
import { clientsFromFile } from "../../kube/clients";
import { startCli } from "../../selftest/cli-run";
import { keptBinaryCluster, keptClusterTokenFileToken } from "../../selftest/kept-cluster";
import { TestRunsRoot } from "../../selftest/runs-root";
import { preflightExistingCluster } from "./preflight";
import { describeRight, REQUIRED_RIGHTS } from "./required-rights";
import { preflightTokenFileCredential } from "./token-file-preflight";

const runsRoot = new TestRunsRoot("e");
const scratch = mkdtempSync(join(tmpdir(), "ktc-existing-preflight-"));
let admin = "";

/** The admin kubeconfig with its server, or its user's credentials, replaced. */
/** A kubeconfig's fields the variants change. */
interface KubeconfigDoc {
  clusters: { cluster: { server: string } }[];
  contexts: { context: { user: string } }[];
  users: { name: string; user: Record<string, string> }[];
}

function variant(name: string, change: (kc: KubeconfigDoc) => void): string {
  const kc = parse(readFileSync(admin, "utf8")) as KubeconfigDoc;
  change(kc);
  const file = join(scratch, `${name}.kubeconfig`);
  writeFileSync(file, stringify(kc));
  return file;
}

const withToken = (name: string, token: string) =>
  variant(name, (kc) => {
    kc.users = [{ name: "ktc-preflight", user: { token } }];
    kc.contexts[0]!.context.user = "ktc-preflight";
  });

async function refusal(kubeconfig: string | undefined): Promise<string> {
  const err = await preflightExistingCluster(kubeconfig).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PreflightError);
  return (err as PreflightError).describe();
}

beforeAll(async () => {
  admin = await keptBinaryCluster(runsRoot);
}, 5 * 60_000);

afterAll(async () => {
  await runsRoot.cleanUpAndRemove();
  rmSync(scratch, { recursive: true, force: true });
}, 2 * 60_000);

describe("the existing provider's preflight", () => {
  it("a cluster-admin's kubeconfig passes, and the server's version is read", async () => {
    const facts = await preflightExistingCluster(admin);
    expect(facts).toEqual({ kubeconfigPath: admin, context: expect.any(String), server: expect.stringMatching(/^https:\/\//), gitVersion: expect.stringMatching(/^v1\.\d+\.\d+/), minor: expect.any(Number) });
    expect(facts.gitVersion).toContain(`.${facts.minor}.`);
  });

  it("no kubeconfig, a missing file, or a file that is no kubeconfig: each says so", async () => {
    expect(await refusal(undefined)).toMatch(/no kubeconfig was given\n {2}hint: pass --kubeconfig/);
    expect(await refusal(join(scratch, "absent"))).toMatch(/does not exist/);
    const notOne = join(scratch, "not-a-kubeconfig.yaml");
    writeFileSync(notOne, "just: text\n");
    expect(await refusal(notOne)).toMatch(/names no current context|is not a kubeconfig/);
  });

  it("an API server that refuses connections: the address and the reason", async () => {
    const file = variant("refused", (kc) => (kc.clusters[0]!.cluster.server = "https://127.0.0.1:1"));
    expect(await refusal(file)).toMatch(/the API server https:\/\/127\.0\.0\.1:1 \(context .* of .*refused\.kubeconfig\) did not answer GET \/version: ECONNREFUSED/);
  });

  it("credentials the API server rejects: HTTP 401", async () => {
    expect(await refusal(withToken("bogus", "not-a-token"))).toMatch(/rejected the kubeconfig's credentials \(HTTP 401\)/);
  });

  it("credentials that lack rights: every missing right is listed with why the run needs it, and only those", async () => {
    const kube = clientsFromFile(admin);
    const name = `ktc-preflight-${process.pid}`;
    await kube.core.createNamespacedServiceAccount({ namespace: "default", body: { metadata: { name } } });
    // Only the CSR reads granted: the rest must be reported missing.
    await kube.rbac.createClusterRole({ body: { metadata: { name }, rules: [{ apiGroups: ["certificates.k8s.io"], resources: ["certificatesigningrequests"], verbs: ["get", "list", "watch"] }] } });
    await kube.rbac.createClusterRoleBinding({
      body: { metadata: { name }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name }, subjects: [{ kind: "ServiceAccount", name, namespace: "default" }] },
    });
    const { status } = await kube.core.createNamespacedServiceAccountToken({ name, namespace: "default", body: { spec: { audiences: [], expirationSeconds: 600 } } });
    const message = await refusal(withToken("limited", status!.token));
    const expectedMissing = REQUIRED_RIGHTS.filter((r) => !(r.attributes.resource === "certificatesigningrequests" && !r.attributes.subresource && ["get", "list", "watch"].includes(r.attributes.verb!)));
    expect(message).toContain(`lack ${expectedMissing.length} right(s) the run needs`);
    for (const r of expectedMissing) expect(message).toContain(`- ${describeRight(r.attributes)}: ${r.why}`);
    expect(message).not.toContain(`- ${describeRight({ group: "certificates.k8s.io", resource: "certificatesigningrequests", verb: "watch" })}:`);
  });
});

describe("the preflight of the token-file credential a config declares", () => {
  const adminKc = () => {
    const kc = new KubeConfig();
    kc.loadFromFile(admin);
    return kc;
  };
  const configWith = (name: string, token: string) => {
    const file = join(scratch, `${name}.yaml`);
    writeFileSync(file, `provider: existing\ntokenFileToken: "${token}"\n`);
    return file;
  };
  async function tokenRefusal(config: string): Promise<string> {
    const err = await preflightTokenFileCredential(adminKc(), { key: "tokenFileToken", config }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PreflightError);
    return (err as PreflightError).describe();
  }

  it("a token of the API server's --token-auth-file: whom it authenticates as, from a SelfSubjectReview made with it", async () => {
    const config = configWith("token-file", keptClusterTokenFileToken(admin));
    expect(await preflightTokenFileCredential(adminKc(), { key: "tokenFileToken", config })).toEqual({
      declared: { key: "tokenFileToken", config },
      // The kept binary cluster's own line (create-cluster.ts): binary-install style.
      identity: { user: "kubelet-bootstrap", groups: ["system:authenticated", "system:kubelet-bootstrap"] },
    });
    // The same token as the user of a bootstrap kubeconfig.
    const kubeconfig = withToken("bootstrap", keptClusterTokenFileToken(admin));
    expect((await preflightTokenFileCredential(adminKc(), { key: "tokenFileBootstrapKubeconfig", kubeconfig })).identity.user).toBe("kubelet-bootstrap");
  });

  it("a token the API server does not know: HTTP 401, naming where it was declared and never the token", async () => {
    const token = "ffffffffffffffffffffffffffffffff";
    const config = configWith("unknown-token", token);
    const message = await tokenRefusal(config);
    expect(message).toMatch(new RegExp(`the token-file credential \\(tokenFileToken of ${config}\\) does not authenticate to the API server https://\\S+: a SelfSubjectReview made with it was refused \\(HTTP 401\\)\n {2}hint: declare the token`));
    expect(message).not.toContain(token);
  });

  it("a token whose identity may not create CSRs: said, with the binding that would allow it", async () => {
    const kube = clientsFromFile(admin);
    const name = `ktc-token-file-${process.pid}`;
    await kube.core.createNamespacedServiceAccount({ namespace: "default", body: { metadata: { name } } });
    const { status } = await kube.core.createNamespacedServiceAccountToken({ name, namespace: "default", body: { spec: { audiences: [], expirationSeconds: 600 } } });
    const message = await tokenRefusal(configWith("no-csr-rights", status!.token));
    expect(message).toMatch(new RegExp(`authenticates as system:serviceaccount:default:${name} \\(groups .*\\), who may not create CertificateSigningRequests.*\n {2}hint: bind the ClusterRole system:node-bootstrapper`));
  });

  it("a bootstrap kubeconfig whose user has no token: a usage error naming the key", async () => {
    const err = await preflightTokenFileCredential(adminKc(), { key: "tokenFileBootstrapKubeconfig", kubeconfig: admin }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toMatch(/^tokenFileBootstrapKubeconfig .*admin\.kubeconfig: its current user \S+ authenticates with no token \(a client certificate\)$/);
  });

  it("through the CLI: the run stops before anything is created, exit 3 as the preflight's other refusals", async () => {
    const root = new TestRunsRoot("t");
    try {
      const cli = startCli("main", ["--provider", "existing", "--kubeconfig", admin, "--config", configWith("cli-unknown-token", "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"), "--suite", "bootstrap"], { KTC_RUNS_ROOT: root.path });
      const { code } = await cli.exit;
      expect({ code, error: cli.output().match(/error: .*/)?.[0] }).toEqual({ code: 3, error: expect.stringMatching(/does not authenticate to the API server .*\(HTTP 401\)$/) });
      expect(cli.output()).not.toContain("eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee");
      expect(root.runIds()).toEqual([]);
    } finally {
      root.remove();
    }
  }, 2 * 60_000);
});
