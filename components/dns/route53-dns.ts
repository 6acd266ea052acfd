import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { OidcIdentity } from "../cluster/eks-config";
import { irsaAssumeRolePolicy, roleArnAfterPolicy, type PolicyDocument } from "../cluster/irsa";
import { domainProblem } from "../data/naming";
import {
    EXTERNAL_DNS_CHART_NAME,
    EXTERNAL_DNS_CHART_REPOSITORY,
    EXTERNAL_DNS_CHART_VERSION,
    EXTERNAL_DNS_NAMESPACE,
    EXTERNAL_DNS_SERVICE_ACCOUNT,
    EXTERNAL_DNS_SOURCES,
    WORKLOAD_LABEL_KEY,
    WORKLOAD_LABELS,
} from "../defaults";
import { assertValid, under, type Problem } from "../errors";
import { parseArgs } from "../internal/spec-kit";
import { buildCertManagerDns01Policy, certManagerServiceAccount } from "./acme-dns01";
import { route53DnsArgsSpec } from "./spec";

/** The Route 53 hosted zone of the domain: created here, or one that exists (by its id). */
export type HostedZoneArgs =
    | {
          /** A new public hosted zone named after the domain. */
          type: "create";
      }
    | {
          /** A hosted zone that exists. */
          type: "existing";
          /** Its id (`Z...`), e.g. from `aws route53 list-hosted-zones-by-name`. */
          zoneId: string;
      };

/**
 * external-dns's IAM policy: change and list records in this one zone, list zones (AWS offers no
 * resource scoping for that read). Pure.
 * @see https://kubernetes-sigs.github.io/external-dns/latest/docs/tutorials/aws/
 */
export function buildExternalDnsPolicy(partition: string, zoneId: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "Records",
                Effect: "Allow",
                Action: [
                    "route53:ChangeResourceRecordSets",
                    "route53:ListResourceRecordSets",
                    "route53:ListTagsForResources",
                ],
                Resource: `arn:${partition}:route53:::hostedzone/${zoneId}`,
            },
            { Sid: "Zones", Effect: "Allow", Action: ["route53:ListHostedZones"], Resource: "*" },
        ],
    };
}

/** What external-dns's values need. */
export interface ExternalDnsValuesInput {
    domain: string;
    zoneId: pulumi.Input<string>;
    /** Owner id of the TXT registry records: this cluster, so two clusters never fight over a name. */
    ownerId: string;
    roleArn: pulumi.Input<string>;
    /** Node placement (the supporting pool), if any. */
    nodeSelector?: Record<string, string>;
}

/**
 * Chart values: the AWS provider limited to the domain and the zone, Gateway API routes as sources,
 * `upsert-only` (never deletes a record it did not make, and none on its own), TXT ownership records,
 * the IRSA role on its service account. Pure.
 */
export function buildExternalDnsValues(i: ExternalDnsValuesInput): Record<string, unknown> {
    return {
        provider: { name: "aws" },
        sources: [...EXTERNAL_DNS_SOURCES],
        domainFilters: [i.domain],
        policy: "upsert-only",
        registry: "txt",
        txtOwnerId: i.ownerId,
        extraArgs: { "zone-id-filter": i.zoneId },
        serviceAccount: {
            create: true,
            name: EXTERNAL_DNS_SERVICE_ACCOUNT,
            annotations: { "eks.amazonaws.com/role-arn": i.roleArn },
        },
        ...(i.nodeSelector ? { nodeSelector: { ...i.nodeSelector } } : {}),
    };
}

/** Arguments of {@link Route53Dns}. */
export interface Route53DnsArgs {
    /** The domain GitLab serves (`gitlab.<domain>`, `registry.<domain>`, `kas.<domain>`, apps below it). */
    domain: string;
    /** The hosted zone holding the domain's records. */
    hostedZone: HostedZoneArgs;
    /** The EKS cluster's name: the owner id of the records external-dns writes. */
    clusterName: string;
    /** The cluster's OIDC provider, for external-dns's IRSA role. */
    oidc: OidcIdentity;
    /** ARN partition. */
    partition: string;
    /**
     * Run external-dns on the supporting node pool (`workload: supporting`).
     * @default false
     */
    supportingPool?: boolean;
    /**
     * Pulumi `protect` on a created hosted zone: deleting it changes its name servers, which the parent
     * domain's delegation points at.
     * @default true
     */
    protect?: boolean;
    /**
     * GitLab's bundled cert-manager, which gets an IRSA role to answer DNS-01 challenges in this zone
     * (see `acme-dns01.ts`): its namespace and the GitLab release (the service account is
     * `<release>-certmanager`).
     * @default - no role: certificates come another way
     */
    certManager?: { namespace: string; releaseName: string };
}

/** Problems of the arguments, `<field>: <problem> (expected ...)`. Pure. */
export function validateRoute53Dns(args: Route53DnsArgs): Problem[] {
    const problems: Problem[] = [];
    const d = domainProblem(args.domain);
    if (d) problems.push({ path: "domain", message: d });
    if (args.hostedZone.type === "existing")
        problems.push(...under("hostedZone", zoneIdProblems(args.hostedZone.zoneId)));
    return problems;
}

/** The problem of an existing hosted zone's id, path `zoneId`. Pure. */
export function zoneIdProblems(zoneId: string): Problem[] {
    if (/^Z[A-Z0-9]{1,31}$/.test(zoneId)) return [];
    return [
        {
            path: "zoneId",
            message: `"${zoneId}" is not a Route 53 hosted zone id (expected Z and up to 31 upper-case letters and digits, e.g. Z0123456789ABCDEFGHIJ)`,
        },
    ];
}

/**
 * DNS as code on AWS: the domain's Route 53 hosted zone (created, or one that exists) and external-dns
 * with its own least-privilege IRSA role, which publishes a record for every host a Gateway API route
 * names (GitLab's `gitlab.`, `registry.`, `kas.`, each app's host) pointing at the gateway's load
 * balancer, whose name Pulumi cannot know before the cloud assigns it. Why external-dns rather than
 * Pulumi records: the load balancer is created by the cloud controller after the release, and app hosts
 * come and go with review apps; external-dns follows both. Give it the cluster's Kubernetes provider.
 */
export class Route53Dns extends pulumi.ComponentResource {
    /** The hosted zone's id. */
    public readonly zoneId: pulumi.Output<string>;
    /** The zone's name servers (created zones only): delegate the domain to them at its parent. */
    public readonly nameServers?: pulumi.Output<string[]>;
    /** cert-manager's DNS-01 role (when `certManager` is given), for its service account's annotation. */
    public readonly certManagerRoleArn?: pulumi.Output<string>;

    constructor(name: string, args: Route53DnsArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before the component registers: an unknown key or a bad domain declares nothing.
        const a = parseArgs("Route53Dns", route53DnsArgsSpec, args);
        assertValid("Route53Dns", validateRoute53Dns(a));
        super("gitlab-platform:dns:Route53Dns", name, {}, opts);
        const o = { parent: this };
        if (a.hostedZone.type === "create") {
            const zone = new aws.route53.Zone(
                `${name}-zone`,
                { name: a.domain, comment: `GitLab (${a.clusterName}): managed by Pulumi and external-dns` },
                { ...o, protect: a.protect },
            );
            this.zoneId = zone.zoneId;
            this.nameServers = zone.nameServers;
        } else {
            this.zoneId = pulumi.output(a.hostedZone.zoneId);
        }
        const role = new aws.iam.Role(
            `${name}-external-dns`,
            {
                description: `external-dns of EKS cluster ${a.clusterName} (IRSA), zone of ${a.domain}`,
                assumeRolePolicy: irsaAssumeRolePolicy(a.oidc, EXTERNAL_DNS_NAMESPACE, [EXTERNAL_DNS_SERVICE_ACCOUNT]),
            },
            o,
        );
        const policy = new aws.iam.RolePolicy(
            `${name}-external-dns`,
            {
                role: role.id,
                policy: this.zoneId.apply((id) => JSON.stringify(buildExternalDnsPolicy(a.partition, id))),
            },
            o,
        );
        const ns = new k8s.core.v1.Namespace(
            `${name}-namespace`,
            {
                metadata: {
                    name: EXTERNAL_DNS_NAMESPACE,
                    labels: {
                        "app.kubernetes.io/managed-by": "pulumi",
                        "pod-security.kubernetes.io/enforce": "restricted",
                    },
                },
            },
            o,
        );
        new k8s.helm.v3.Release(
            `${name}-external-dns`,
            {
                name: "external-dns",
                namespace: ns.metadata.name,
                chart: EXTERNAL_DNS_CHART_NAME,
                version: EXTERNAL_DNS_CHART_VERSION,
                repositoryOpts: { repo: EXTERNAL_DNS_CHART_REPOSITORY },
                values: buildExternalDnsValues({
                    domain: a.domain,
                    zoneId: this.zoneId,
                    ownerId: a.clusterName,
                    roleArn: role.arn,
                    ...(a.supportingPool ? { nodeSelector: { [WORKLOAD_LABEL_KEY]: WORKLOAD_LABELS.supporting } } : {}),
                }),
            },
            { ...o, dependsOn: [policy] },
        );
        if (a.certManager) {
            const cm = a.certManager;
            const cmRole = new aws.iam.Role(
                `${name}-cert-manager`,
                {
                    description: `cert-manager DNS-01 of EKS cluster ${a.clusterName} (IRSA), zone of ${a.domain}`,
                    assumeRolePolicy: irsaAssumeRolePolicy(a.oidc, cm.namespace, [
                        certManagerServiceAccount(cm.releaseName),
                    ]),
                },
                o,
            );
            const cmPolicy = new aws.iam.RolePolicy(
                `${name}-cert-manager`,
                {
                    role: cmRole.id,
                    policy: this.zoneId.apply((id) =>
                        JSON.stringify(buildCertManagerDns01Policy(a.partition, id, a.domain)),
                    ),
                },
                o,
            );
            this.certManagerRoleArn = roleArnAfterPolicy(cmRole, cmPolicy);
        }
        this.registerOutputs({ zoneId: this.zoneId, ...(this.nameServers ? { nameServers: this.nameServers } : {}) });
    }
}
