import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import {
    AcmeDns01Issuer,
    acmeDns01IssuerName,
    buildAcmeDns01ClusterIssuer,
    buildCertManagerDns01Policy,
    certManagerServiceAccount,
    dns01Covers,
    validateAcmeDns01Issuer,
    type AcmeDns01IssuerArgs,
} from "../../components/dns/acme-dns01";
import { Route53Dns, type Route53DnsArgs } from "../../components/dns/route53-dns";
import { InvalidArgsError, problemLine } from "../../components/errors";
import { record, type Recorded } from "../helpers/pulumi";
import { ISSUER, OIDC_PROVIDER_ARN, awsMocks, policyOf } from "./support";

const issuerArgs = (o: Partial<AcmeDns01IssuerArgs> = {}): AcmeDns01IssuerArgs => ({
    issuerName: acmeDns01IssuerName("gitlab", "gitlab"),
    domain: "gitlab-platform.example",
    email: "admin@gitlab-platform.example",
    zoneId: "Z0PRODZONE000000000",
    region: "eu-central-1",
    ...o,
});

const dnsArgs: Route53DnsArgs = {
    domain: "gitlab-platform.example",
    hostedZone: { type: "existing", zoneId: "Z0PRODZONE000000000" },
    clusterName: "gitlab-platform-prod",
    oidc: { providerArn: OIDC_PROVIDER_ARN, issuer: ISSUER },
    partition: "aws",
    certManager: { namespace: "gitlab", releaseName: "gitlab" },
};

describe("cert-manager DNS-01 through Route 53", () => {
    it("names the bundled cert-manager's service account and a cluster-unique issuer", () => {
        assert.equal(certManagerServiceAccount("gitlab"), "gitlab-certmanager");
        assert.equal(acmeDns01IssuerName("gitlab", "gitlab"), "gitlab-gitlab-acme-dns01");
    });

    it("lets cert-manager change only TXT _acme-challenge records of the one zone, and read change status", () => {
        assert.deepEqual(buildCertManagerDns01Policy("aws", "Z0PRODZONE000000000", "Gitlab-Platform.example"), {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "ChangeStatus",
                    Effect: "Allow",
                    Action: ["route53:GetChange"],
                    Resource: "arn:aws:route53:::change/*",
                },
                {
                    Sid: "AcmeChallengeRecords",
                    Effect: "Allow",
                    Action: ["route53:ChangeResourceRecordSets"],
                    Resource: "arn:aws:route53:::hostedzone/Z0PRODZONE000000000",
                    Condition: {
                        "ForAllValues:StringEquals": { "route53:ChangeResourceRecordSetsRecordTypes": ["TXT"] },
                        "ForAllValues:StringLike": {
                            "route53:ChangeResourceRecordSetsNormalizedRecordNames": [
                                "_acme-challenge.gitlab-platform.example",
                                "_acme-challenge.*.gitlab-platform.example",
                            ],
                        },
                    },
                },
            ],
        });
        const actions = JSON.stringify(buildCertManagerDns01Policy("aws", "Z1", "example.com"));
        assert.ok(!actions.includes("ListHostedZones"), "the solver has the zone id: no zone listing");
        assert.ok(!actions.includes('"*"'), "no statement on every resource");
    });

    it("covers the challenges of the domain and every name below it, the app Gateway's included, and nothing else", () => {
        const policy = buildCertManagerDns01Policy("aws", "Z1", "gitlab-platform.example");
        const patterns = (policy.Statement[1].Condition as Record<string, Record<string, string[]>>)[
            "ForAllValues:StringLike"
        ]["route53:ChangeResourceRecordSetsNormalizedRecordNames"];
        // IAM StringLike: `*` matches any run of characters, dots included.
        const like = (p: string) => new RegExp(`^${p.replace(/[.]/g, "\\.").replace(/\*/g, ".*")}$`);
        const allowed = (record: string) => patterns.some((p) => like(p).test(record));
        for (const name of [
            "gitlab-platform.example",
            "apps.gitlab-platform.example",
            "review.gitlab-platform.example",
            "a.b.gitlab-platform.example",
        ]) {
            assert.ok(dns01Covers("gitlab-platform.example", name), name);
            assert.ok(allowed(`_acme-challenge.${name}`), `the role writes _acme-challenge.${name}`);
        }
        for (const name of ["gitlab-platform.org", "notgitlab-platform.example", "example"]) {
            assert.ok(!dns01Covers("gitlab-platform.example", name), name);
            assert.ok(!allowed(`_acme-challenge.${name}`), `the role cannot write _acme-challenge.${name}`);
        }
        assert.ok(dns01Covers("gitlab-platform.example", "Apps.GitLab-Platform.example"), "case-insensitive");
    });

    it("builds an ACME ClusterIssuer with the Route 53 DNS-01 solver on ambient (IRSA) credentials", () => {
        assert.deepEqual(buildAcmeDns01ClusterIssuer(issuerArgs()), {
            apiVersion: "cert-manager.io/v1",
            kind: "ClusterIssuer",
            metadata: { name: "gitlab-gitlab-acme-dns01", labels: { "app.kubernetes.io/managed-by": "pulumi" } },
            spec: {
                acme: {
                    server: "https://acme-v02.api.letsencrypt.org/directory",
                    email: "admin@gitlab-platform.example",
                    privateKeySecretRef: { name: "gitlab-gitlab-acme-dns01-account-key" },
                    solvers: [
                        {
                            selector: { dnsZones: ["gitlab-platform.example"] },
                            dns01: { route53: { region: "eu-central-1", hostedZoneID: "Z0PRODZONE000000000" } },
                        },
                    ],
                },
            },
        });
    });

    it("refuses bad issuer arguments before declaring anything, every problem at once", async () => {
        assert.deepEqual(
            validateAcmeDns01Issuer(
                issuerArgs({
                    issuerName: "Bad_Name",
                    domain: "Example.com",
                    email: "nope",
                    region: "europe",
                    server: "http://x",
                }),
            ).map(problemLine),
            [
                'issuerName: "Bad_Name" is not a Kubernetes object name (expected a lower-case DNS subdomain)',
                'domain: "Example.com" is not a DNS domain (expected a lower-case domain such as example.com, without scheme or trailing dot)',
                'email: "nope" is not an e-mail address (expected e.g. admin@example.com)',
                'region: "europe" is not an AWS region (expected e.g. eu-central-1)',
                'server: "http://x" is not an https URL (expected an ACME directory URL)',
            ],
        );
        assert.deepEqual(validateAcmeDns01Issuer(issuerArgs()), []);
        const rec = await record(
            () => {
                assert.throws(
                    () => new AcmeDns01Issuer("bad", issuerArgs({ email: "nope" })),
                    (e: unknown) => e instanceof InvalidArgsError && /email: "nope"/.test(e.message),
                );
            },
            { mocks: awsMocks },
        );
        assert.deepEqual(
            rec.resources.map((r) => r.type),
            ["pulumi:pulumi:Stack"],
            "nothing of the component registered",
        );
    });

    describe("Route53Dns with certManager", () => {
        let rec: Recorded;
        let dns: Route53Dns;
        before(async () => {
            rec = await record(() => (dns = new Route53Dns("prod-dns", dnsArgs)), { mocks: awsMocks });
        });

        it("gives the bundled cert-manager's service account alone a role on the zone's challenge records", async () => {
            const role = rec.resources.find(
                (r) => r.name === "prod-dns-cert-manager" && r.type === "aws:iam/role:Role",
            );
            assert.ok(role, "a cert-manager role");
            const trust = policyOf(role, "assumeRolePolicy");
            assert.deepEqual(trust.Statement[0].Condition, {
                StringEquals: {
                    [`${ISSUER}:aud`]: "sts.amazonaws.com",
                    [`${ISSUER}:sub`]: ["system:serviceaccount:gitlab:gitlab-certmanager"],
                },
            });
            const policy = rec.resources.find(
                (r) => r.name === "prod-dns-cert-manager" && r.type === "aws:iam/rolePolicy:RolePolicy",
            );
            assert.ok(policy);
            assert.deepEqual(
                policyOf(policy, "policy").Statement,
                buildCertManagerDns01Policy("aws", "Z0PRODZONE000000000", "gitlab-platform.example").Statement,
            );
            const arn = await new Promise((resolve) => pulumi.output(dns.certManagerRoleArn).apply(resolve));
            assert.match(String(arn), /prod-dns-cert-manager/);
        });

        it("declares no cert-manager role without certManager", async () => {
            const { certManager: _omit, ...rest } = dnsArgs;
            const plain = await record(() => new Route53Dns("prod-dns", rest), { mocks: awsMocks });
            assert.equal(
                plain.resources.filter((r) => r.name === "prod-dns-cert-manager").length,
                0,
                "no DNS-01 role unless asked",
            );
        });
    });
});
