import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import {
    Route53Dns,
    buildExternalDnsPolicy,
    validateRoute53Dns as validateRoute53DnsProblems,
    type Route53DnsArgs,
} from "../../components/dns/route53-dns";
import { refusedBeforeRegistering } from "../helpers/problems";
import { parseStackConfig, ConfigError } from "../../config";
import { plan, record, type Recorded } from "../helpers/pulumi";
import { validateAll } from "../helpers/schema";
import { ISSUER, OIDC_PROVIDER_ARN, PROD_CONFIG, awsMocks, dependencyClosure, policyOf } from "./support";
import { problemLine } from "../../components/errors";

/** Problems as `<path>: <message>` lines, as the assertions below state them. */
const validateRoute53Dns = (...a: Parameters<typeof validateRoute53DnsProblems>): string[] =>
    validateRoute53DnsProblems(...a).map(problemLine);

const args = (overrides: Partial<Route53DnsArgs> = {}): Route53DnsArgs => ({
    domain: "gitlab-platform.example",
    hostedZone: { type: "create" },
    clusterName: "gitlab-platform-prod",
    oidc: { providerArn: OIDC_PROVIDER_ARN, issuer: ISSUER },
    partition: "aws",
    supportingPool: true,
    ...overrides,
});
/** AWS mocks that give a created zone its id and name servers, as Route 53 would. */
const mocks: pulumi.runtime.Mocks = {
    newResource: (a) => {
        const r = awsMocks.newResource(a) as { id: string; state: Record<string, unknown> };
        return a.type === "aws:route53/zone:Zone"
            ? { ...r, state: { ...r.state, zoneId: "Z0PRODZONE000000000", nameServers: ["ns-1.awsdns-01.org"] } }
            : r;
    },
    call: awsMocks.call,
};
const unwrap = <T>(o: pulumi.Input<T> | undefined) =>
    new Promise<T>((resolve) => pulumi.output(o as pulumi.Input<T>).apply((v) => resolve(v as T)));

describe("Route53Dns", () => {
    let rec: Recorded;
    let dns: Route53Dns;
    before(async () => {
        rec = await record(() => (dns = new Route53Dns("prod-dns", args())), { mocks });
    });

    it("declares a protected hosted zone, external-dns's IRSA role and policy, its namespace and the pinned release", async () => {
        assert.deepEqual(rec.childrenOf(rec.one("gitlab-platform:dns:Route53Dns")), [
            "aws:iam/role:Role/prod-dns-external-dns",
            "aws:iam/rolePolicy:RolePolicy/prod-dns-external-dns",
            "aws:route53/zone:Zone/prod-dns-zone",
            "kubernetes:core/v1:Namespace/prod-dns-namespace",
            "kubernetes:helm.sh/v3:Release/prod-dns-external-dns",
        ]);
        const zone = rec.one("aws:route53/zone:Zone");
        assert.equal(zone.protect, true);
        assert.equal(zone.inputs.name, "gitlab-platform.example");
        assert.equal(await validateAll(rec.resources), 1);
        assert.ok(dns.nameServers, "a created zone exports its name servers for the delegation");
    });

    it("lets only external-dns's service account assume a role that may change records of this zone alone", () => {
        const trust = policyOf(rec.one("aws:iam/role:Role"), "assumeRolePolicy");
        assert.deepEqual(trust.Statement[0].Condition, {
            StringEquals: {
                [`${ISSUER}:aud`]: "sts.amazonaws.com",
                [`${ISSUER}:sub`]: ["system:serviceaccount:external-dns:external-dns"],
            },
        });
        const policy = policyOf(rec.one("aws:iam/rolePolicy:RolePolicy"), "policy");
        assert.deepEqual(policy.Statement, buildExternalDnsPolicy("aws", "Z0PRODZONE000000000").Statement);
        assert.deepEqual(policy.Statement[0], {
            Sid: "Records",
            Effect: "Allow",
            Action: [
                "route53:ChangeResourceRecordSets",
                "route53:ListResourceRecordSets",
                "route53:ListTagsForResources",
            ],
            Resource: "arn:aws:route53:::hostedzone/Z0PRODZONE000000000",
        });
        assert.deepEqual(policy.Statement[1], {
            Sid: "Zones",
            Effect: "Allow",
            Action: ["route53:ListHostedZones"],
            Resource: "*",
        });
    });

    it("publishes records from the Gateway API routes, for the domain and zone only, never deleting what it did not make", async () => {
        const release = rec.one("kubernetes:helm.sh/v3:Release");
        assert.deepEqual(
            [release.inputs.chart, release.inputs.version, release.inputs.repositoryOpts, release.inputs.namespace],
            ["external-dns", "1.21.1", { repo: "https://kubernetes-sigs.github.io/external-dns/" }, "external-dns"],
        );
        const v = release.inputs.values as Record<string, unknown>;
        assert.deepEqual(
            { ...v, extraArgs: undefined, serviceAccount: undefined },
            {
                provider: { name: "aws" },
                sources: ["gateway-httproute", "gateway-tcproute"],
                domainFilters: ["gitlab-platform.example"],
                policy: "upsert-only",
                registry: "txt",
                txtOwnerId: "gitlab-platform-prod",
                extraArgs: undefined,
                serviceAccount: undefined,
                nodeSelector: { workload: "supporting" },
            },
        );
        assert.deepEqual(v.extraArgs, { "zone-id-filter": "Z0PRODZONE000000000" });
        assert.deepEqual(await unwrap(dns.nameServers), ["ns-1.awsdns-01.org"]);
        assert.deepEqual(v.serviceAccount, {
            create: true,
            name: "external-dns",
            annotations: {
                "eks.amazonaws.com/role-arn": "arn:aws:iam:eu-central-1:123456789012:prod-dns-external-dns",
            },
        });
        assert.equal(
            rec.one("kubernetes:core/v1:Namespace").inputs.metadata &&
                (rec.one("kubernetes:core/v1:Namespace").inputs.metadata as { labels: Record<string, string> }).labels[
                    "pod-security.kubernetes.io/enforce"
                ],
            "restricted",
        );
    });

    it("uses an existing zone by id without creating one (no name servers to export)", async () => {
        let existing: Route53Dns | undefined;
        const r = await record(
            () =>
                (existing = new Route53Dns(
                    "prod-dns",
                    args({ hostedZone: { type: "existing", zoneId: "Z0123456789ABCDEFGHIJ" } }),
                )),
            { mocks: awsMocks },
        );
        assert.equal(r.ofType("aws:route53/zone:Zone").length, 0);
        assert.equal(await unwrap(existing!.zoneId), "Z0123456789ABCDEFGHIJ");
        assert.equal(existing!.nameServers, undefined);
        assert.equal(
            policyOf(r.one("aws:iam/rolePolicy:RolePolicy"), "policy").Statement[0].Resource,
            "arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ",
        );
    });

    it("rejects a bad domain or zone id before declaring anything, naming the field", async () => {
        assert.deepEqual(validateRoute53Dns(args({ hostedZone: { type: "existing", zoneId: "zone-1" } })), [
            'hostedZone.zoneId: "zone-1" is not a Route 53 hosted zone id (expected Z and up to 31 upper-case letters and digits, e.g. Z0123456789ABCDEFGHIJ)',
        ]);
        assert.deepEqual(
            await refusedBeforeRegistering(() => new Route53Dns("bad", args({ domain: "not a domain" }))),
            {
                problems: [
                    "domain: not a DNS domain (expected a lower-case domain such as example.com, without scheme or trailing dot)",
                ],
                registered: [],
            },
        );
    });

    it("is configured by the dns key, which needs an EKS cluster and GitLab", () => {
        const raw = (values: Record<string, unknown>) => ({
            values,
            secretKeys: new Set<string>(),
            secret: () => pulumi.output(""),
            project: "gitlab-platform",
            stack: "prod",
        });
        assert.throws(
            () =>
                parseStackConfig(
                    raw({
                        cluster: { type: "existing", kubernetesVersion: "1.35" },
                        dns: { hostedZone: { type: "existing", zoneId: "nope" } },
                    }),
                ),
            (e: unknown) =>
                e instanceof ConfigError &&
                [
                    "dns: set with cluster.type existing (expected an EKS cluster: external-dns assumes its IAM role through the cluster's OIDC provider)",
                    "dns: set without gitlab (expected the gitlab key: its domain names the records)",
                    'dns.hostedZone.zoneId: "nope" is not a Route 53 hosted zone id (expected Z and up to 31 upper-case letters and digits, e.g. Z0123456789ABCDEFGHIJ)',
                ].every((p) => e.message.includes(p)),
        );
        assert.deepEqual(PROD_CONFIG["gitlab-platform:dns"], { hostedZone: { type: "create" } });
    });
});

describe("the prod stack's IRSA roles, on a first up", () => {
    it("hand GitLab's release a role only once its policy exists (cert-manager DNS-01, object storage, Alertmanager)", async () => {
        const rec = (await plan("prod")).recorded;
        const waits = dependencyClosure(rec, rec.one("kubernetes:helm.sh/v3:Release", "gitlab-release"));
        for (const policy of ["prod-dns-cert-manager", "prod-data-gitlab-object-storage", "prod-alarms-alertmanager"])
            assert.ok(
                waits.has(rec.one("aws:iam/rolePolicy:RolePolicy", policy).urn),
                `the release waits for ${policy}`,
            );
    });
});
