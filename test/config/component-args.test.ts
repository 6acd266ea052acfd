/** Components given bad args throw their InvalidArgsError before registering anything, with named fields. */
import { strict as assert } from "node:assert";
import { GitLabAgent } from "../../components/agent/gitlab-agent";
import { KubernetesCluster } from "../../components/cluster/kubernetes-cluster";
import { App } from "../../components/apps/app";
import { OciSync } from "../../components/flux/oci-sync";
import { Flux } from "../../components/flux/flux";
import { GitLab, type GitLabArgs } from "../../components/gitlab/gitlab";
import { AwsDataServices } from "../../components/data/aws-data-services";
import { existingDataServices } from "../../components/data/existing";
import { AwsNetwork } from "../../components/network/aws-network";
import { GITLAB_BUCKET_TYPES, type GitLabBucketType } from "../../components/data/connection";
import * as pulumi from "@pulumi/pulumi";
import { Route53Dns, type Route53DnsArgs } from "../../components/dns/route53-dns";
import { AcmeDns01Issuer, type AcmeDns01IssuerArgs } from "../../components/dns/acme-dns01";
import { RailsSecrets, type RailsSecretsArgs } from "../../components/gitlab/rails-secrets";
import { argProblems, refusedBeforeRegistering } from "../helpers/problems";
import { dataArgs, ISSUER, NETWORK_REF, OIDC_PROVIDER_ARN, REGION, ZONES } from "../aws/support";

const agent = { project: "g/p", kasAddress: "wss://kas.gitlab.com" };

describe("component args: refused before registering", () => {
    it("a cluster type gke is not treated as an existing cluster", () => {
        assert.deepEqual(
            argProblems(() => new KubernetesCluster("c", { type: "gke", kubernetesVersion: "1.34" } as never)),
            ['type: not an allowed value (expected one of: "existing", "eks")'],
        );
    });

    it("a misspelled agent argument is named, with the key it meant", () => {
        assert.deepEqual(
            argProblems(() => new GitLabAgent("a", { ...agent, replica: 3 } as never)),
            ['replica: unknown key (did you mean "replicas"?)'],
        );
    });

    it("a KAS address over http", () => {
        assert.deepEqual(
            argProblems(() => new GitLabAgent("a", { ...agent, kasAddress: "http://gitlab.example.com" })),
            ["kasAddress: not a KAS address (expected wss://kas.<domain> or wss://<gitlab-host>/-/kubernetes-agent/)"],
        );
    });

    it("a missing args object is a named error, not a TypeError", () => {
        assert.deepEqual(
            argProblems(() => new GitLabAgent("a", undefined as never)),
            ["no arguments (expected the GitLabAgentArgs object)"],
        );
        assert.deepEqual(
            argProblems(() => new OciSync("s", undefined as never)),
            ["no arguments (expected the OciSyncArgs object)"],
        );
        assert.deepEqual(
            argProblems(() => new App("web", undefined as never)),
            ["no arguments (expected the AppArgs object)"],
        );
        assert.deepEqual(
            argProblems(() => new KubernetesCluster("c", undefined as never)),
            ["no arguments (expected the KubernetesClusterArgs object)"],
        );
        assert.deepEqual(
            argProblems(() => new Flux("f", null as never)),
            ["no arguments (expected the FluxArgs object)"],
        );
        assert.deepEqual(
            argProblems(() => new GitLab("g", undefined as never)),
            ["no arguments (expected the GitLabArgs object)"],
        );
        assert.deepEqual(
            argProblems(() => new AwsDataServices("d", undefined as never)),
            ["no arguments (expected the AwsDataServicesArgs object)"],
        );
        assert.deepEqual(
            argProblems(() => new AwsNetwork("n", undefined as never)),
            ["no arguments (expected the AwsNetworkArgs object)"],
        );
        assert.deepEqual(
            argProblems(() => existingDataServices(undefined as never)),
            ["no arguments (expected the ExistingDataServicesArgs object)"],
        );
        assert.deepEqual(
            argProblems(() => new Route53Dns("d", undefined as never)),
            ["no arguments (expected the Route53DnsArgs object)"],
        );
        assert.deepEqual(
            argProblems(() => new AcmeDns01Issuer("i", undefined as never)),
            ["no arguments (expected the AcmeDns01IssuerArgs object)"],
        );
        assert.deepEqual(
            argProblems(() => new RailsSecrets("r", null as never)),
            ["no arguments (expected the RailsSecretsArgs object)"],
        );
    });
});

const buckets = Object.fromEntries(GITLAB_BUCKET_TYPES.map((t) => [t, `acme-${t.toLowerCase()}`])) as Record<
    GitLabBucketType,
    string
>;
const gitlabArgs: GitLabArgs = {
    domain: "example.com",
    tls: { certManagerIssuerEmail: "ops@example.com" },
    data: {
        postgres: {
            host: "db.internal",
            port: 5432,
            database: "gitlabhq_production",
            username: "gitlab",
            password: pulumi.secret("pg"),
        },
        redis: { host: "redis.internal", port: 6379, tls: true },
        objectStorage: { provider: "aws", region: "eu-central-1", buckets, auth: { type: "iamRole" } },
    },
};

const route53Args: Route53DnsArgs = {
    domain: "example.com",
    hostedZone: { type: "create" },
    clusterName: "gitlab-platform-prod",
    oidc: { providerArn: OIDC_PROVIDER_ARN, issuer: ISSUER },
    partition: "aws",
};
const issuerArgs: AcmeDns01IssuerArgs = {
    issuerName: "gitlab-gitlab-acme-dns01",
    domain: "example.com",
    email: "ops@example.com",
    zoneId: "Z0PRODZONE000000000",
    region: REGION,
};
const railsArgs: RailsSecretsArgs = { namespace: "gitlab", secretName: "gitlab-rails-secret" };

/** Each component given bad args: the exact problems, and nothing registered (not even the component). */
describe("component args: nothing registered before the InvalidArgsError", () => {
    const cases: Array<[string, () => unknown, string[]]> = [
        [
            "Flux with a version range",
            () => new Flux("flux", { version: "2.x" }),
            [
                'version: "2.x" is not an exact version (expected X.Y.Z, e.g. "2.9.4"; ranges such as "2.9.x" upgrade Flux behind your back)',
            ],
        ],
        [
            "Flux with a misspelled setting",
            () => new Flux("flux", { helmControler: true } as never),
            ['helmControler: unknown key (did you mean "helmController"?)'],
        ],
        [
            "OciSync with a semver range that is not one",
            () =>
                new OciSync("web", {
                    project: "g/p",
                    url: "oci://registry.example.com/g/p/web",
                    ref: { semver: "not-a-range" },
                }),
            ['ref.semver: "not-a-range" is not a semver range (expected e.g. ">=1.0.0 <2.0.0", "~1.2" or "1.x")'],
        ],
        [
            "GitLab with an unknown edition",
            () => new GitLab("gitlab", { ...gitlabArgs, edition: "premium" as never }),
            ['edition: not an allowed value (expected one of: "ee", "ce")'],
        ],
        [
            "GitLab with a URL as its domain",
            () => new GitLab("gitlab", { ...gitlabArgs, domain: "https://example.com" }),
            [
                "domain: not a DNS domain (expected a lower-case domain such as example.com, without scheme or trailing dot)",
            ],
        ],
        [
            "GitLab without data services",
            () => new GitLab("gitlab", { ...gitlabArgs, data: undefined as never }),
            ["data: missing (expected GitLab's external services: postgres, redis and objectStorage)"],
        ],
        [
            "GitLab jumping over a required upgrade stop",
            () => new GitLab("gitlab", { ...gitlabArgs, deployedGitLabVersion: "18.7.0" }),
            [
                "chartVersion: 10.2.3 (GitLab 19.2.3) skips required upgrade stops from the deployed GitLab 18.7.0 (expected to deploy 18.8 (no chart in GITLAB_CHART_RELEASES yet), then 18.11 (chart 9.11.0) first, letting background migrations finish after each: https://docs.gitlab.com/update/upgrade_paths/)",
            ],
        ],
        [
            "AwsDataServices with a burstable class and a misspelled Redis setting",
            () =>
                new AwsDataServices(
                    "data",
                    dataArgs({ postgres: { instanceClass: "db.t4g.micro" }, redis: { nodeCont: 3 } as never }),
                ),
            ['redis.nodeCont: unknown key (did you mean "nodeCount"?)'],
        ],
        [
            "AwsDataServices with one subnet and a burstable class",
            () =>
                new AwsDataServices(
                    "data",
                    dataArgs({
                        network: { ...NETWORK_REF, privateSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1"] },
                        postgres: { instanceClass: "db.t4g.micro" },
                    }),
                ),
            [
                "network.privateSubnetIds: fewer than two subnets (expected subnets in at least two zones, for Multi-AZ)",
                'postgres.instanceClass: "db.t4g.micro" is burstable (expected a db.m, db.r or db.c class for production)',
            ],
        ],
        [
            "KubernetesCluster (existing) with a misspelled context",
            () => new KubernetesCluster("c", { type: "existing", kubernetesVersion: "1.34", contxt: "dev" } as never),
            ['contxt: unknown key (did you mean "context"?)'],
        ],
        [
            "KubernetesCluster (eks) with a misspelled node group workload",
            () =>
                new KubernetesCluster("c", {
                    type: "eks",
                    kubernetesVersion: "1.34",
                    region: REGION,
                    network: NETWORK_REF,
                    nodeGroups: { webservce: { instanceTypes: ["m7i.xlarge"], minSize: 1, maxSize: 2 } } as never,
                }),
            ['nodeGroups.webservce: unknown key (did you mean "webservice"?)'],
        ],
        [
            "KubernetesCluster (eks) with a misspelled node group setting",
            () =>
                new KubernetesCluster("c", {
                    type: "eks",
                    kubernetesVersion: "1.34",
                    region: REGION,
                    network: NETWORK_REF,
                    nodeGroups: { runners: { instanceTypes: ["m7i.xlarge"], minSize: 0, maxSise: 4 } } as never,
                }),
            [
                "nodeGroups.runners.maxSize: missing required key (expected number)",
                'nodeGroups.runners.maxSise: unknown key (did you mean "maxSize"?)',
            ],
        ],
        [
            "KubernetesCluster (eks) with an unsupported version",
            () =>
                new KubernetesCluster("c", {
                    type: "eks",
                    kubernetesVersion: "1.36" as never,
                    region: REGION,
                    network: NETWORK_REF,
                }),
            ["kubernetesVersion: outside the supported window (expected one of: 1.33, 1.34, 1.35)"],
        ],
        [
            "KubernetesCluster (eks) without its network",
            () => new KubernetesCluster("c", { type: "eks", kubernetesVersion: "1.34", region: REGION } as never),
            ["network: not a network (expected AwsNetwork.ref: vpcId, privateSubnetIds, dataClientsSecurityGroupId)"],
        ],
        [
            "Route53Dns with a misspelled setting",
            () => new Route53Dns("dns", { ...route53Args, protct: false } as never),
            ['protct: unknown key (did you mean "protect"?)'],
        ],
        [
            "Route53Dns with a malformed zone id",
            () => new Route53Dns("dns", { ...route53Args, hostedZone: { type: "existing", zoneId: "zone-1" } }),
            [
                'hostedZone.zoneId: "zone-1" is not a Route 53 hosted zone id (expected Z and up to 31 upper-case letters and digits, e.g. Z0123456789ABCDEFGHIJ)',
            ],
        ],
        [
            "AcmeDns01Issuer with a misspelled setting",
            () => new AcmeDns01Issuer("acme", { ...issuerArgs, emial: "ops@example.com" } as never),
            ['emial: unknown key (did you mean "email"?)'],
        ],
        [
            "AcmeDns01Issuer with a bad e-mail",
            () => new AcmeDns01Issuer("acme", { ...issuerArgs, email: "nope" }),
            ['email: "nope" is not an e-mail address (expected e.g. admin@example.com)'],
        ],
        [
            "RailsSecrets with a misspelled setting",
            () => new RailsSecrets("rails", { ...railsArgs, protekt: false } as never),
            ['protekt: unknown key (did you mean "protect"?)'],
        ],
        [
            "RailsSecrets with a Secret name that is not one",
            () => new RailsSecrets("rails", { ...railsArgs, secretName: "Rails_Secret" }),
            [
                'secretName: "Rails_Secret" is not a Secret name (expected a lower-case DNS subdomain such as gitlab-rails-secret)',
            ],
        ],
        [
            "AwsNetwork with one zone",
            () => new AwsNetwork("net", { type: "create", region: REGION, availabilityZones: [ZONES[0]] }),
            ["network.availabilityZones: 1 zones (expected 2 or 3 distinct zones of the region)"],
        ],
    ];
    for (const [what, make, problems] of cases) {
        it(what, async () => {
            const refused = await refusedBeforeRegistering(make);
            assert.deepEqual(refused, { problems, registered: [] });
        });
    }
});
