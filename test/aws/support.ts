/**
 * Shared fixtures of the AWS tests: mocks that return the computed outputs a real engine would (ARNs,
 * endpoints, the OIDC issuer) and refuse every provider invoke, so a test fails if planning ever needs
 * AWS credentials; and the production composition (network, EKS cluster, data services).
 */
import * as fs from "node:fs";
import type * as pulumi from "@pulumi/pulumi";
import { Route53Dns } from "../../components/dns/route53-dns";
import { dnsSchema } from "../../config/dns";
import { parse } from "yaml";
import {
    AwsDataServices,
    AwsNetwork,
    KubernetesCluster,
    defaultNamePrefix,
    type AwsDataServicesArgs,
    type EksClusterArgs,
} from "../../components";
import { awsDataSchema, type AwsDataConfig } from "../../config/aws";
import { clusterSchema, type EksClusterConfig } from "../../config/cluster";
import type { PlannedResource } from "../../tools/plan/engine";
import { ROOT, record, type Recorded } from "../helpers/pulumi";

export const REGION = "eu-central-1";
export const ZONES = ["eu-central-1a", "eu-central-1b", "eu-central-1c"];
export const ACCOUNT = "123456789012";
export const ISSUER = "oidc.eks.eu-central-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
export const OIDC_PROVIDER_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER}`;
export const DATA_KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/prod-data-key`;

/** Computed outputs by resource type, as AWS would return them after creation. */
function computed(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    switch (type) {
        case "aws:eks/cluster:Cluster":
            return {
                endpoint: "https://EXAMPLE.gr7.eu-central-1.eks.amazonaws.com",
                certificateAuthority: { data: "LS0tLS1CRUdJTi0tLS0t" },
                identities: [{ oidcs: [{ issuer: `https://${ISSUER}` }] }],
                vpcConfig: { ...(inputs.vpcConfig as object), clusterSecurityGroupId: "sg-0cluster0000000000" },
            };
        case "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
            return { arn: OIDC_PROVIDER_ARN };
        case "aws:kms/key:Key":
            return { arn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${name}`, keyId: `${name}-key-id` };
        case "aws:rds/instance:Instance":
            return { address: `${name}.abcdefghij.${REGION}.rds.amazonaws.com` };
        case "aws:elasticache/replicationGroup:ReplicationGroup":
            return { primaryEndpointAddress: `master.${name}.abcdef.euc1.cache.amazonaws.com` };
        case "aws:eks/nodeGroup:NodeGroup":
            return { resources: [{ autoscalingGroups: [{ name: `eks-${name}-asg` }] }], nodeGroupName: `${name}-ng` };
        case "aws:ec2/launchTemplate:LaunchTemplate":
            return { latestVersion: 1 };
        case "random:index/randomPassword:RandomPassword":
            return { result: `generated-${name}` };
        case "aws:s3/bucket:Bucket":
            return { arn: `arn:aws:s3:::${String(inputs.bucket)}` };
        default:
            return type.startsWith("aws:")
                ? { arn: `arn:aws:${type.split(":")[1].split("/")[0]}:${REGION}:${ACCOUNT}:${name}` }
                : {};
    }
}

/** Mocks with realistic computed outputs; any invoke (getCallerIdentity, getAvailabilityZones, ...) fails the test. */
export const awsMocks: pulumi.runtime.Mocks = {
    newResource: (args) => {
        const inputs = args.inputs as Record<string, unknown>;
        const state = {
            ...(args.type.startsWith("aws:") ? { name: `${args.name}-name` } : {}),
            ...inputs,
            ...computed(args.type, args.name, inputs),
        };
        return { id: `${args.name}-id`, state };
    },
    call: (args) => {
        throw new Error(`unexpected provider invoke ${args.token}: planning must not need AWS credentials`);
    },
};

/** Preview semantics (computed outputs unknown, as in `pulumi preview`), invokes refused likewise. */
export const awsPreviewMocks: pulumi.runtime.Mocks = {
    newResource: (args) => ({ id: undefined as unknown as string, state: args.inputs }),
    call: awsMocks.call,
};

/** The network reference of a component test that does not declare the network itself. */
export const NETWORK_REF = {
    vpcId: "vpc-0123456789abcdef0",
    privateSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2", "subnet-0ccccccccccccccc3"],
    dataClientsSecurityGroupId: "sg-0datac1ients00000",
    availabilityZones: ZONES,
};

/** The EKS arguments most tests start from. */
export function eksArgs(overrides: Partial<EksClusterArgs> = {}): EksClusterArgs {
    return {
        type: "eks",
        kubernetesVersion: "1.35",
        region: REGION,
        clusterName: "gitlab-platform-prod",
        network: NETWORK_REF,
        ...overrides,
    };
}

/** The data-service arguments most tests start from. */
export function dataArgs(overrides: Partial<AwsDataServicesArgs> = {}): AwsDataServicesArgs {
    return {
        namePrefix: "gitlab-platform-prod",
        region: REGION,
        network: NETWORK_REF,
        oidc: { providerArn: OIDC_PROVIDER_ARN, issuer: ISSUER },
        ...overrides,
    };
}

/** Pulumi.prod.yaml's config values by full key. */
export const PROD_CONFIG = (
    parse(fs.readFileSync(`${ROOT}/Pulumi.prod.yaml`, "utf8")) as { config: Record<string, unknown> }
).config;

/** The prod stack's `cluster` and `data` values, parsed by their schemas. */
export function prodValues(): { cluster: EksClusterConfig; data: AwsDataConfig } {
    return {
        cluster: clusterSchema.parse(PROD_CONFIG["gitlab-platform:cluster"]) as EksClusterConfig,
        data: awsDataSchema.parse(PROD_CONFIG["gitlab-platform:data"]),
    };
}

/** Declares the prod stack's AWS composition as index.ts does: the network, then cluster and data services side by side. */
export function declareProduction(): void {
    const { cluster, data } = prodValues();
    const prefix = defaultNamePrefix("gitlab-platform", "prod");
    const network = new AwsNetwork("prod", { ...cluster.network, region: cluster.region });
    const k8s = new KubernetesCluster("prod", {
        ...cluster,
        network: network.ref,
        clusterName: cluster.clusterName ?? prefix,
        requireGitLabCapacity: true,
    });
    const { type: _type, namePrefix, ...settings } = data;
    new AwsDataServices("prod-data", {
        ...settings,
        namePrefix: namePrefix ?? prefix,
        region: cluster.region,
        network: network.ref,
        oidc: k8s.oidc!,
    });
    const dns = dnsSchema.parse(PROD_CONFIG["gitlab-platform:dns"]);
    const domain = (PROD_CONFIG["gitlab-platform:gitlab"] as { domain: string }).domain;
    new Route53Dns(
        "prod-dns",
        {
            domain,
            hostedZone: dns.hostedZone,
            clusterName: cluster.clusterName ?? prefix,
            oidc: k8s.oidc!,
            partition: "aws",
            supportingPool: true,
        },
        { provider: k8s.provider },
    );
}

let productionPlan: Promise<Recorded> | undefined;

/** The prod composition planned once per test run, with preview semantics and every invoke refused. */
export function planProduction(): Promise<Recorded> {
    productionPlan ??= record(declareProduction, { preview: true, mocks: awsPreviewMocks });
    return productionPlan;
}

/** Parses a JSON policy input. */
export function policyOf(r: PlannedResource, key: string): { Statement: Record<string, unknown>[] } {
    return JSON.parse(r.inputs[key] as string) as { Statement: Record<string, unknown>[] };
}

/**
 * The resource's URN and every URN it transitively waits for: its recorded dependencies (explicit
 * `dependsOn` and Outputs used as inputs), its parent chain, and, where it depends on a component, all
 * of that component's descendants (depending on a component waits for its whole subtree).
 */
export function dependencyClosure(rec: Recorded, start: PlannedResource): Set<string> {
    const descendants = (urn: string): string[] =>
        rec.resources.filter((r) => r.parent === urn).flatMap((r) => [r.urn, ...descendants(r.urn)]);
    const seen = new Set<string>();
    const stack = [start.urn];
    while (stack.length > 0) {
        const urn = stack.pop()!;
        if (seen.has(urn)) continue;
        seen.add(urn);
        // A read (`Resource.get`) waits for its parent's dependencies; it declares nothing itself.
        const read = rec.run.reads?.find((x) => x.urn === urn);
        if (read) {
            if (read.parent) stack.push(read.parent);
            continue;
        }
        const r = rec.byUrn(urn);
        for (const dep of r.dependsOn) {
            const isRead = rec.run.reads?.some((x) => x.urn === dep) ?? false;
            stack.push(dep, ...(isRead || rec.byUrn(dep).custom ? [] : descendants(dep)));
        }
        if (r.parent) stack.push(r.parent);
    }
    return seen;
}
