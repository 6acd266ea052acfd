/**
 * TLS from the first `up` when the stack owns the domain's Route 53 zone: cert-manager answers Let's
 * Encrypt's DNS-01 challenge by writing a TXT record into the zone, so certificates are issued before the
 * names resolve to the load balancer and whatever the HTTP path does. The GitLab chart's own issuer
 * (`certmanager-issuer`, `_gateway_issuer.yaml`, chart 9.10.0 and 10.x alike) only knows the HTTP-01
 * Gateway solver, so the stack declares a ClusterIssuer with the `route53` DNS-01 solver and the chart's
 * Gateway names it (`cert-manager.io/cluster-issuer`). A ClusterIssuer, not an Issuer: cert-manager uses
 * ambient credentials (the IRSA role) for ClusterIssuers only, unless started with
 * `--issuer-ambient-credentials`.
 *
 * Least privilege: `route53:GetChange` (cert-manager waits for its change to be INSYNC) and
 * `route53:ChangeResourceRecordSets` on this one zone, limited to TXT records named `_acme-challenge.<domain>`
 * and `_acme-challenge.*.<domain>`: the challenges of `<domain>`, `*.<domain>` and of every name below it
 * (IAM's `StringLike` `*` spans dots, so `*.apps.<domain>`'s `_acme-challenge.apps.<domain>` is covered).
 * The solver's `selector.dnsZones` names the same domain, so cert-manager never tries a name the role cannot
 * write ({@link dns01Covers} is the one test of that, for config and the app Gateway alike).
 * One ClusterIssuer serves GitLab's Gateway and the app Gateway's wildcard certificate.
 * No `route53:ListHostedZonesByName`: the solver is given the zone id, and cert-manager looks zones up only
 * when it has none (`getHostedZoneID` in cert-manager's `pkg/issuer/acme/dns/route53/route53.go`).
 * @see https://cert-manager.io/docs/configuration/acme/dns01/route53/
 * @see https://cert-manager.io/docs/usage/gateway/
 */
import { isEmail, isDnsSubdomain } from "../internal/validation";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ACME_SERVER } from "../defaults";
import { assertValid, type Problem } from "../errors";
import type { PolicyDocument } from "../cluster/irsa";
import { domainProblem } from "../data/naming";
import { parseArgs } from "../internal/spec-kit";
import { acmeDns01IssuerArgsSpec } from "./spec";

/**
 * The bundled cert-manager's service account: the chart runs cert-manager with `nameOverride: certmanager`,
 * so its fullname and the service account's default name are `<release>-certmanager` (cert-manager chart
 * `cert-manager.serviceAccountName`, checked in chart 9.10.0). The GitLab values set this name explicitly,
 * so the IRSA subject does not rest on the chart's naming.
 */
export function certManagerServiceAccount(releaseName: string): string {
    return `${releaseName}-certmanager`;
}

/** The ClusterIssuer's name: cluster-scoped, so it carries GitLab's namespace and release. */
export function acmeDns01IssuerName(namespace: string, releaseName: string): string {
    return `${namespace}-${releaseName}-acme-dns01`;
}

/**
 * Whether the role of {@link buildCertManagerDns01Policy} for `domain` may answer the DNS-01 challenge of
 * `name` and `*.<name>` (whose TXT record is `_acme-challenge.<name>`): `name` is `domain` or below it. Pure.
 */
export function dns01Covers(domain: string, name: string): boolean {
    const d = domain.toLowerCase();
    const n = name.toLowerCase();
    return n === d || n.endsWith(`.${d}`);
}

/**
 * cert-manager's IAM policy for DNS-01 in one hosted zone: TXT `_acme-challenge.` records of `domain` and
 * its subdomains, and the change status. Pure.
 */
export function buildCertManagerDns01Policy(partition: string, zoneId: string, domain: string): PolicyDocument {
    const apex = domain.toLowerCase();
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ChangeStatus",
                Effect: "Allow",
                Action: ["route53:GetChange"],
                Resource: `arn:${partition}:route53:::change/*`,
            },
            {
                Sid: "AcmeChallengeRecords",
                Effect: "Allow",
                Action: ["route53:ChangeResourceRecordSets"],
                Resource: `arn:${partition}:route53:::hostedzone/${zoneId}`,
                Condition: {
                    "ForAllValues:StringEquals": { "route53:ChangeResourceRecordSetsRecordTypes": ["TXT"] },
                    "ForAllValues:StringLike": {
                        "route53:ChangeResourceRecordSetsNormalizedRecordNames": [
                            `_acme-challenge.${apex}`,
                            `_acme-challenge.*.${apex}`,
                        ],
                    },
                },
            },
        ],
    };
}

/** What the ClusterIssuer needs. */
export interface AcmeDns01IssuerArgs {
    /** The ClusterIssuer's name ({@link acmeDns01IssuerName}). */
    issuerName: string;
    /**
     * The domain whose `_acme-challenge` records cert-manager's role may write (`Route53Dns`'s domain, the
     * GitLab domain): the solver answers for it and the names below it only (`selector.dnsZones`).
     */
    domain: string;
    /** The ACME account e-mail (Let's Encrypt's expiry notices). */
    email: string;
    /** The hosted zone's id (`Z...`; `Route53Dns.zoneId`, which checked it). */
    zoneId: pulumi.Input<string>;
    /** The zone's AWS region for the Route 53 client (Route 53 is global; the SDK still wants one). */
    region: string;
    /**
     * The ACME directory.
     * @default Let's Encrypt production ({@link ACME_SERVER})
     */
    server?: string;
}

/** Problems of the arguments, `<field>: <problem> (expected ...)`. Pure. */
export function validateAcmeDns01Issuer(args: AcmeDns01IssuerArgs): Problem[] {
    const problems: Problem[] = [];
    if (!isDnsSubdomain(args.issuerName))
        problems.push({
            path: "issuerName",
            message: `"${args.issuerName}" is not a Kubernetes object name (expected a lower-case DNS subdomain)`,
        });
    const d = domainProblem(args.domain);
    if (d) problems.push({ path: "domain", message: `"${args.domain}" is ${d}` });
    if (!isEmail(args.email))
        problems.push({
            path: "email",
            message: `"${args.email}" is not an e-mail address (expected e.g. admin@example.com)`,
        });
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(args.region))
        problems.push({
            path: "region",
            message: `"${args.region}" is not an AWS region (expected e.g. eu-central-1)`,
        });
    if (args.server !== undefined && !/^https:\/\/\S+$/.test(args.server))
        problems.push({
            path: "server",
            message: `"${args.server}" is not an https URL (expected an ACME directory URL)`,
        });
    return problems;
}

/**
 * The ClusterIssuer manifest: ACME with the Route 53 DNS-01 solver on ambient (IRSA) credentials, for the
 * domain and the names below it. Pure.
 */
export function buildAcmeDns01ClusterIssuer(args: AcmeDns01IssuerArgs) {
    return {
        apiVersion: "cert-manager.io/v1",
        kind: "ClusterIssuer",
        metadata: { name: args.issuerName, labels: { "app.kubernetes.io/managed-by": "pulumi" } },
        spec: {
            acme: {
                server: args.server ?? ACME_SERVER,
                email: args.email,
                privateKeySecretRef: { name: `${args.issuerName}-account-key` },
                solvers: [
                    {
                        selector: { dnsZones: [args.domain] },
                        dns01: { route53: { region: args.region, hostedZoneID: args.zoneId } },
                    },
                ],
            },
        },
    };
}

/**
 * The DNS-01 ClusterIssuer. Its CRD comes with the GitLab chart's cert-manager, so declare it with the
 * GitLab component in `dependsOn`; certificates the Gateway asked for meanwhile wait for it. Pass it to
 * `AppGateway` (`tls: {type: "acme", issuer}`) for the apps' wildcard certificate: that Certificate waits
 * for it.
 */
export class AcmeDns01Issuer extends pulumi.ComponentResource {
    /** The ClusterIssuer's name. */
    public readonly issuerName: string;
    /** The domain it answers for (its names and those below it, {@link dns01Covers}). */
    public readonly domain: string;

    constructor(name: string, args: AcmeDns01IssuerArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before the component registers: an unknown key or a bad e-mail declares nothing.
        const a = parseArgs("AcmeDns01Issuer", acmeDns01IssuerArgsSpec, args);
        assertValid("AcmeDns01Issuer", validateAcmeDns01Issuer(a));
        super("gitlab-platform:dns:AcmeDns01Issuer", name, {}, opts);
        const manifest = buildAcmeDns01ClusterIssuer(a);
        new k8s.apiextensions.CustomResource(`${name}-cluster-issuer`, manifest, { parent: this });
        this.issuerName = a.issuerName;
        this.domain = a.domain;
        this.registerOutputs({ issuerName: this.issuerName, domain: this.domain });
    }
}
