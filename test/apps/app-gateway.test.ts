import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import { parse } from "yaml";
import { AppGateway } from "../../components/apps/app-gateway";
import { appGatewayRules, gatewaySpec } from "../../components/apps/gateway";
import { AcmeDns01Issuer } from "../../components/dns/acme-dns01";
import { parseImage } from "../../components/apps/image";
import { InvalidArgsError } from "../../components/errors";
import { argProblems } from "../helpers/problems";
import { dependencyClosure } from "../aws/support";
import { plan, record, ROOT, type Recorded } from "../helpers/pulumi";

/** The stack's DNS-01 ClusterIssuer, for the GitLab domain example.com. */
const acmeIssuer = () =>
    new AcmeDns01Issuer("prod-acme-dns01", {
        issuerName: "gitlab-gitlab-acme-dns01",
        domain: "example.com",
        email: "ops@example.com",
        zoneId: "Z0123456789ABC",
        region: "eu-central-1",
    });

describe("AppGateway", () => {
    it("declares a wildcard HTTPS listener per domain that admits routes only from labelled namespaces", () => {
        const spec = gatewaySpec("gitlab-gw", ["apps.example.com", "review.example.com"], "apps-wildcard-tls");
        assert.equal(spec.gatewayClassName, "gitlab-gw");
        assert.deepEqual(
            spec.listeners.map((l) => [l.name, l.hostname, l.port, l.protocol]),
            [
                ["https-0", "*.apps.example.com", 443, "HTTPS"],
                ["https-1", "*.review.example.com", 443, "HTTPS"],
                ["http-0", "*.apps.example.com", 80, "HTTP"],
                ["http-1", "*.review.example.com", 80, "HTTP"],
            ],
        );
        assert.deepEqual(spec.listeners[0].allowedRoutes.namespaces, {
            from: "Selector",
            selector: { matchLabels: { "gitlab-platform/app-routes": "true" } },
        });
        const https = spec.listeners[1] as { tls?: { certificateRefs: unknown } };
        assert.deepEqual(https.tls?.certificateRefs, [{ kind: "Secret", name: "apps-wildcard-tls" }]);
    });

    it("redirects plain HTTP to HTTPS, and lets no app route attach to the HTTP listeners", async () => {
        const spec = gatewaySpec("gitlab-gw", ["apps.example.com"], "apps-wildcard-tls");
        const http = spec.listeners.find((l) => l.protocol === "HTTP")!;
        assert.deepEqual(http.allowedRoutes.namespaces, { from: "Same" }, "only the Gateway's own namespace");
        assert.ok(!("tls" in http));
        const rec = await record(
            () =>
                new AppGateway("apps", {
                    domains: ["apps.example.com", "review.example.com"],
                    tls: { type: "secret", secretName: "wild" },
                }),
        );
        const route = rec.one("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", "apps-https-redirect");
        assert.deepEqual((route.inputs.metadata as { namespace: string }).namespace, "app-gateway");
        assert.deepEqual(route.inputs.spec, {
            parentRefs: [
                { group: "gateway.networking.k8s.io", kind: "Gateway", name: "apps", sectionName: "http-0" },
                { group: "gateway.networking.k8s.io", kind: "Gateway", name: "apps", sectionName: "http-1" },
            ],
            rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }],
        });
        assert.ok(route.dependsOn.includes(rec.one("kubernetes:gateway.networking.k8s.io/v1:Gateway").urn));
    });

    it("with acme: a wildcard Certificate of the stack's DNS-01 ClusterIssuer, after it, and no role or issuer of its own", async () => {
        const rec = await record(
            () =>
                new AppGateway("apps", {
                    domains: ["apps.example.com", "review.example.com"],
                    tls: { type: "acme", issuer: acmeIssuer() },
                }),
        );
        const component = rec.one("gitlab-platform:apps:AppGateway", "apps");
        assert.deepEqual(rec.childrenOf(component), [
            "kubernetes:cert-manager.io/v1:Certificate/apps-certificate",
            "kubernetes:core/v1:Namespace/apps-namespace",
            "kubernetes:gateway.networking.k8s.io/v1:Gateway/apps-gateway",
            "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute/apps-https-redirect",
        ]);
        assert.equal(rec.ofType("aws:iam/role:Role").length, 0, "no IAM role of its own");
        assert.equal(rec.ofType("kubernetes:cert-manager.io/v1:Issuer").length, 0, "no Issuer of its own");
        assert.equal(rec.ofType("kubernetes:cert-manager.io/v1:ClusterIssuer").length, 1, "the stack's one");
        const cert = rec.one("kubernetes:cert-manager.io/v1:Certificate");
        const spec = cert.inputs.spec as { dnsNames: string[]; issuerRef: unknown };
        assert.deepEqual(spec.dnsNames, ["*.apps.example.com", "*.review.example.com"]);
        assert.deepEqual(spec.issuerRef, {
            group: "cert-manager.io",
            kind: "ClusterIssuer",
            name: "gitlab-gitlab-acme-dns01",
        });
        // Depending on the issuer's component waits for its ClusterIssuer.
        const clusterIssuer = rec.one("kubernetes:cert-manager.io/v1:ClusterIssuer");
        assert.ok(cert.dependsOn.includes(clusterIssuer.urn), "the Certificate waits for the ClusterIssuer");
    });

    it("with acme: refuses a domain the ClusterIssuer's role cannot answer for, before registering anything", async () => {
        let issuer: AcmeDns01Issuer | undefined;
        const rec = await record(() => {
            issuer = acmeIssuer();
            assert.deepEqual(
                argProblems(
                    () =>
                        new AppGateway("apps", {
                            domains: ["apps.example.com", "example.com", "apps.example.org", "notexample.com"],
                            tls: { type: "acme", issuer: issuer! },
                        }),
                ),
                [
                    'domains[2]: "apps.example.org" is outside example.com, the only domain whose _acme-challenge records the DNS-01 ClusterIssuer\'s role may write (expected example.com or a name ending in .example.com)',
                    'domains[3]: "notexample.com" is outside example.com, the only domain whose _acme-challenge records the DNS-01 ClusterIssuer\'s role may write (expected example.com or a name ending in .example.com)',
                ],
            );
        });
        assert.deepEqual(
            rec.resources.map((r) => r.type).filter((t) => t.startsWith("gitlab-platform:apps")),
            [],
        );
    });

    it("with selfSigned: its own self-signed Issuer, which the Certificate waits for", async () => {
        const rec = await record(
            () => new AppGateway("apps", { domains: ["review.dev.example.com"], tls: { type: "selfSigned" } }),
        );
        const issuer = rec.one("kubernetes:cert-manager.io/v1:Issuer");
        assert.deepEqual(issuer.inputs.spec, { selfSigned: {} });
        const cert = rec.one("kubernetes:cert-manager.io/v1:Certificate");
        assert.deepEqual((cert.inputs.spec as { issuerRef: unknown }).issuerRef, {
            group: "cert-manager.io",
            kind: "Issuer",
            name: "apps-self-signed",
        });
        assert.ok(cert.dependsOn.includes(issuer.urn));
    });

    it("with an existing Secret: no issuer and no certificate", async () => {
        const rec = await record(
            () =>
                new AppGateway("apps", { domains: ["apps.example.com"], tls: { type: "secret", secretName: "wild" } }),
        );
        assert.equal(rec.ofType("kubernetes:cert-manager.io/v1:Certificate").length, 0);
        const gw = rec.one("kubernetes:gateway.networking.k8s.io/v1:Gateway");
        assert.deepEqual((gw.inputs.spec as { listeners: { tls: unknown }[] }).listeners[0].tls, {
            mode: "Terminate",
            certificateRefs: [{ kind: "Secret", name: "wild" }],
        });
    });

    it("refuses bad domains and names, every one, before registering anything", async () => {
        assert.deepEqual(
            argProblems(
                () =>
                    new AppGateway("apps", {
                        domains: ["*.apps.example.com", "x.example.com", "x.example.com"],
                        namespace: "App_Gateway",
                        tls: { type: "secret", secretName: "Bad_Secret" },
                    }),
            ),
            [
                'domains[0]: "*.apps.example.com" is not a DNS name (expected the domain the apps live under, e.g. apps.example.com, without "*.")',
                'domains[2]: "x.example.com" is listed twice (expected each domain once)',
                'namespace: "App_Gateway" is not a DNS label (expected e.g. apps)',
                'tls.secretName: "Bad_Secret" is not a Secret name (expected e.g. apps-tls)',
            ],
        );
        let caught: unknown;
        const rec = await record(() => {
            try {
                new AppGateway("apps", { domains: [], tls: { type: "selfSigned" } });
            } catch (err) {
                caught = err;
            }
        });
        assert.ok(caught instanceof InvalidArgsError);
        assert.deepEqual(
            rec.resources.map((r) => r.type).filter((t) => t !== "pulumi:pulumi:Stack"),
            [],
        );
    });
});

/** Pulumi.prod.yaml planned as index.ts composes it: one DNS-01 capability, not two. */
describe("the prod stack's certificates", () => {
    let rec: Recorded;
    before(async () => {
        rec = (await plan("prod")).recorded;
    });

    it("come from one DNS-01 ClusterIssuer with one IAM role: the app Gateway's waits for it, which waits for the GitLab release", () => {
        assert.deepEqual(
            rec
                .ofType("aws:iam/role:Role")
                .filter((r) => /cert-manager|dns01|acme/.test(r.name))
                .map((r) => r.name),
            ["prod-dns-cert-manager"],
            "one IAM role for cert-manager",
        );
        assert.equal(rec.ofType("kubernetes:cert-manager.io/v1:Issuer").length, 0, "no second issuer");
        const clusterIssuer = rec.one("kubernetes:cert-manager.io/v1:ClusterIssuer");
        const cert = rec.one("kubernetes:cert-manager.io/v1:Certificate", "apps-certificate");
        const spec = cert.inputs.spec as { issuerRef: unknown; dnsNames: string[] };
        assert.deepEqual(spec.issuerRef, {
            group: "cert-manager.io",
            kind: "ClusterIssuer",
            name: (clusterIssuer.inputs.metadata as { name: string }).name,
        });
        assert.deepEqual(spec.dnsNames, ["*.apps.gitlab-platform.example", "*.review.gitlab-platform.example"]);
        assert.ok(cert.dependsOn.includes(clusterIssuer.urn), "the Certificate waits for the ClusterIssuer");
        const release = rec.one("kubernetes:helm.sh/v3:Release", "gitlab-release").urn;
        assert.ok(
            dependencyClosure(rec, clusterIssuer).has(release),
            "the ClusterIssuer waits for the release that brings cert-manager's CRDs",
        );
    });
});

/**
 * The example apps of the committed stacks pull from public registries, pinned, and never from the
 * registry a platform stack creates (`registry.<gitlab domain>`): the first up cannot wait for an image
 * nobody has pushed, and the prod status page must answer when GitLab is down.
 */
describe("example app images", () => {
    const PUBLIC_REGISTRIES = ["docker.io", "registry.k8s.io", "quay.io", "public.ecr.aws", "mcr.microsoft.com"];
    const stackImages = (stack: string): string[] => {
        const doc = parse(fs.readFileSync(`${ROOT}/Pulumi.${stack}.yaml`, "utf8")) as {
            config: Record<string, unknown>;
        };
        const apps = (doc.config["gitlab-platform:apps"] ?? []) as { image: string }[];
        const review = (doc.config["gitlab-platform:reviewApps"] ?? { apps: [] }) as { apps: { image: string }[] };
        return [...apps, ...review.apps].map((a) => a.image);
    };

    /** Problems of one image reference: not on an allowed public registry, or not pinned. */
    const imageProblems = (image: string): string[] => {
        const ref = parseImage(image);
        const registry = ref.repository.split("/")[0];
        const problems: string[] = [];
        if (!PUBLIC_REGISTRIES.includes(registry))
            problems.push(`${image}: registry ${registry} is not a known public one`);
        if (ref.digest === undefined && !/^\d+\.\d+\.\d+/.test(ref.tag ?? ""))
            problems.push(`${image}: neither a digest nor an exact version tag`);
        return problems;
    };

    for (const stack of ["dev-workloads", "prod-workloads"])
        it(`${stack}: public, pinned, not from the registry the platform stack creates`, () => {
            const images = stackImages(stack);
            assert.ok(images.length > 0);
            assert.deepEqual(images.flatMap(imageProblems), []);
        });

    it("refuses the old placeholders and the stack's own registry", () => {
        assert.equal(imageProblems("ghcr.io/gitlab-platform-example/status-page:2.3.1").length, 1);
        assert.equal(imageProblems("ghcr.io/gitlab-platform-example/web:0a1b2c3d").length, 2);
        assert.equal(imageProblems("registry.gitlab-platform.example/apps/web:1.0.0").length, 1);
        assert.equal(imageProblems("docker.io/nginxinc/nginx-unprivileged:1.30-alpine").length, 1);
    });
});

describe("AppGateway's load balancer address (under mocks)", () => {
    const GATEWAY = "kubernetes:gateway.networking.k8s.io/v1:Gateway";
    const NLB = "k8s-appgatew-envoyapp-0123456789-0123456789abcdef.elb.eu-central-1.amazonaws.com";

    /** AppGateway under mocks that give the created Gateway the provider's `<namespace>/<name>` id and answer its read with `status`. */
    async function run(status: unknown, preview = false) {
        const reads: string[] = [];
        const rec = await record(
            () => {
                const gw = new AppGateway("apps", {
                    domains: ["apps.example.com"],
                    tls: { type: "secret", secretName: "wild" },
                });
                return { appGatewayLoadBalancerHostname: gw.loadBalancerHostname };
            },
            {
                preview,
                mocks: {
                    newResource: (a) => {
                        if (a.type === GATEWAY && a.id !== undefined && a.id !== "") {
                            reads.push(a.id);
                            return { id: a.id, state: { ...a.inputs, status } };
                        }
                        const meta = a.inputs.metadata as { name?: string; namespace?: string } | undefined;
                        const id = a.type === GATEWAY ? `${meta?.namespace}/${meta?.name}` : `${a.name}-id`;
                        return { id: preview ? (undefined as unknown as string) : id, state: a.inputs };
                    },
                    call: (a) => a.inputs,
                },
            },
        );
        return { rec, reads, outputs: rec.run.outputs };
    }

    it("reads the Gateway it created, by that Gateway's id, after it, and exports its NLB hostname", async () => {
        const { rec, reads, outputs } = await run({
            addresses: [
                { type: "IPAddress", value: "203.0.113.7" },
                { type: "Hostname", value: NLB },
            ],
        });
        assert.deepEqual(reads, ["app-gateway/apps"]);
        assert.equal(outputs.appGatewayLoadBalancerHostname, NLB);
        const read = rec.run.reads!.find((r) => r.type === GATEWAY)!;
        assert.equal(read.name, "apps-gateway-status");
        assert.equal(read.id, "app-gateway/apps");
        assert.equal(read.parent, rec.one("gitlab-platform:apps:AppGateway", "apps").urn);
        // The read is not a second declared Gateway.
        assert.equal(rec.ofType(GATEWAY).length, 1);
    });

    it("exports nothing while the load balancer has no address yet (the next up fills it in)", async () => {
        const { reads, outputs } = await run({ conditions: [{ type: "Accepted", status: "True" }] });
        assert.deepEqual(reads, ["app-gateway/apps"]);
        assert.equal(outputs.appGatewayLoadBalancerHostname, undefined);
    });

    it("in the preview that creates the Gateway the read's id is unknown (the engine skips it) and so is the hostname", async () => {
        const { rec, outputs } = await run(undefined, true);
        const read = rec.run.reads!.find((r) => r.type === GATEWAY);
        assert.ok(read, "the read is declared");
        assert.equal(read.id, "[unknown]", "a real engine skips a read whose id is unknown");
        assert.equal(outputs.appGatewayLoadBalancerHostname, "[unknown]");
    });
});

describe("app Gateway names of other objects", () => {
    it("accepts dotted Secret and issuer names (DNS subdomains), and refuses what no object can be named", () => {
        const rules = (tls: Parameters<typeof appGatewayRules>[0]["tls"]) =>
            appGatewayRules({ domains: ["apps.example.com"], tls });
        assert.deepEqual(rules({ type: "secret", secretName: "apps.tls" }), []);
        assert.deepEqual(rules({ type: "issuer", name: "letsencrypt.prod" }), []);
        assert.deepEqual(
            rules({ type: "secret", secretName: "Apps_TLS" }).map((p) => p.path),
            ["tls.secretName"],
        );
    });
});
