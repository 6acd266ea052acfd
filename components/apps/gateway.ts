/**
 * The app Gateway's spec and pure builders: the settings of {@link AppGatewayArgs} (shape and rules),
 * the Gateway API `Gateway` with one HTTPS listener per wildcard domain, the cert-manager `Certificate`
 * and `Issuer`, and the least-privilege Route 53 policy of a DNS-01 issuer.
 *
 * Facts this relies on (checked against the GitLab chart 9.10.0 render and the CRDs of the cert-manager
 * v1.19.4 it bundles, and the Gateway API v1 spec):
 * - A wildcard certificate needs the ACME DNS-01 challenge; HTTP-01 (the chart's own Issuer) cannot issue one.
 * - cert-manager's Route 53 solver can assume a role with a bound token of a ServiceAccount it names
 *   (`route53.auth.kubernetes.serviceAccountRef`), given RBAC to create that token: no change to the
 *   chart's cert-manager (its service account keeps no cloud role).
 * - `allowedRoutes.namespaces.from: Selector` admits routes only from namespaces whose labels match.
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#listener
 * @see https://cert-manager.io/docs/configuration/acme/dns01/route53/
 */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { OidcIdentity } from "../cluster/eks-config";
import type { PolicyDocument } from "../cluster/irsa";
import {
    ACME_SERVER_LETSENCRYPT,
    APP_ROUTES_LABEL,
    GITLAB_CERT_MANAGER_SERVICE_ACCOUNT_SUFFIX,
    GITLAB_DEFAULT_NAMESPACE,
    GITLAB_DEFAULT_RELEASE_NAME,
} from "../defaults";
import type { Problem } from "../errors";
import { input } from "../internal/spec-kit";
import { isDnsLabel, isDnsName } from "../internal/validation";

/** Where the wildcard certificate of the app Gateway comes from. */
export type AppGatewayTls =
    /**
     * Let's Encrypt through the DNS-01 challenge in a Route 53 hosted zone: an ACME Issuer whose solver
     * assumes its own IAM role (IRSA) through a ServiceAccount the chart's cert-manager may request tokens for.
     */
    | {
          type: "route53";
          /** ACME account e-mail (expiry notices). */
          email: string;
          /** The hosted zone holding the domains (e.g. `Route53Dns.zoneId`). */
          hostedZoneId: pulumi.Input<string>;
          /** The cluster's OIDC provider, for the solver's IAM role. */
          oidc: OidcIdentity;
          /** ARN partition. @default "aws" */
          partition?: string;
          /** Region hint of the Route 53 client (Route 53 is global). @default "us-east-1" */
          region?: string;
          /** The cert-manager controller's service account, allowed to request the solver's tokens. */
          certManager: { namespace: string; serviceAccountName: string };
          /** ACME directory. @default ACME_SERVER_LETSENCRYPT */
          server?: string;
      }
    /** A self-signed certificate (a lab or a dev cluster on a domain no public CA will sign). */
    | { type: "selfSigned" }
    /** An Issuer in the Gateway's namespace or a ClusterIssuer that can sign wildcards (e.g. your own DNS-01 issuer). */
    | { type: "issuer"; kind: "Issuer" | "ClusterIssuer"; name: string }
    /** A `kubernetes.io/tls` Secret in the Gateway's namespace, covering every `*.<domain>`, managed elsewhere. */
    | { type: "secret"; secretName: string };

/** Arguments of {@link AppGateway}. */
export interface AppGatewayArgs {
    /**
     * Domains the apps live under: the Gateway gets an HTTPS listener for `*.<domain>` of each (e.g.
     * `review.example.com` for review apps at `<slug>.review.example.com`), one wildcard certificate for all.
     */
    domains: string[];
    /** Where the wildcard certificate comes from. */
    tls: AppGatewayTls;
    /** Name of the Gateway. @default - the component's name */
    name?: string;
    /** Namespace of the Gateway, its certificate and issuer; created by the component. @default "app-gateway" */
    namespace?: string;
    /**
     * GatewayClass of the Gateway.
     * @default "gitlab-gw" - the GitLab chart's Envoy Gateway class ({@link GITLAB_GATEWAY_CLASS})
     */
    gatewayClassName?: string;
}

export const appGatewayTlsSpec = z.discriminatedUnion("type", [
    z.strictObject({
        type: z.literal("route53"),
        email: z.string(),
        hostedZoneId: input(z.string()),
        oidc: z.strictObject({ providerArn: input(z.string()), issuer: input(z.string()) }),
        partition: z.string().optional(),
        region: z.string().optional(),
        certManager: z.strictObject({ namespace: z.string(), serviceAccountName: z.string() }),
        server: z.string().optional(),
    }),
    z.strictObject({ type: z.literal("selfSigned") }),
    z.strictObject({ type: z.literal("issuer"), kind: z.enum(["Issuer", "ClusterIssuer"]), name: z.string() }),
    z.strictObject({ type: z.literal("secret"), secretName: z.string() }),
]) satisfies z.ZodType<unknown, AppGatewayTls>;

/** The whole of {@link AppGatewayArgs}. */
export const appGatewayArgsSpec = z.strictObject({
    domains: z.array(z.string()).min(1),
    tls: appGatewayTlsSpec,
    name: z.string().optional(),
    namespace: z.string().optional(),
    gatewayClassName: z.string().optional(),
}) satisfies z.ZodType<unknown, AppGatewayArgs>;

/** The rules of the settings a stack file can hold (domains and the names); paths relative to the args. Pure. */
export function appGatewayRules(a: {
    domains: readonly string[];
    name?: string;
    namespace?: string;
    tls: { type: string; email?: string; secretName?: string; name?: string };
}): Problem[] {
    const problems: Problem[] = [];
    a.domains.forEach((d, i) => {
        if (!isDnsName(d))
            problems.push({
                path: `domains[${i}]`,
                message: `"${d}" is not a DNS name (expected the domain the apps live under, e.g. apps.example.com, without "*.")`,
            });
        if (a.domains.indexOf(d) < i)
            problems.push({ path: `domains[${i}]`, message: `"${d}" is listed twice (expected each domain once)` });
    });
    for (const key of ["name", "namespace"] as const) {
        const v = a[key];
        if (v !== undefined && !isDnsLabel(v))
            problems.push({ path: key, message: `"${v}" is not a DNS label (expected e.g. apps)` });
    }
    const t = a.tls;
    if (t.type === "route53" && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(t.email ?? ""))
        problems.push({
            path: "tls.email",
            message: `"${t.email}" is not an e-mail address (expected the ACME account's address)`,
        });
    if (t.type === "secret" && !isDnsLabel(t.secretName ?? "", 253))
        problems.push({
            path: "tls.secretName",
            message: `"${t.secretName}" is not a Secret name (expected e.g. apps-tls)`,
        });
    if (t.type === "issuer" && !isDnsLabel(t.name ?? "", 253))
        problems.push({
            path: "tls.name",
            message: `"${t.name}" is not an issuer name (expected e.g. letsencrypt-dns01)`,
        });
    return problems;
}

/** The Secret holding the wildcard certificate. */
export function tlsSecretName(gatewayName: string, tls: AppGatewayTls): string {
    return tls.type === "secret" ? tls.secretName : `${gatewayName}-wildcard-tls`;
}

/** A listener's name for the i-th domain (a section name routes may pin). */
export function listenerName(i: number): string {
    return `https-${i}`;
}

/**
 * The Gateway's spec: an HTTPS listener on 443 per domain, hostname `*.<domain>`, terminating TLS with
 * the wildcard Secret, admitting HTTPRoutes only from namespaces labelled {@link APP_ROUTES_LABEL}. Pure.
 */
export function gatewaySpec(gatewayClassName: string, domains: readonly string[], secretName: string) {
    return {
        gatewayClassName,
        listeners: domains.map((d, i) => ({
            name: listenerName(i),
            protocol: "HTTPS",
            port: 443,
            hostname: `*.${d}`,
            tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: secretName }] },
            allowedRoutes: {
                namespaces: { from: "Selector", selector: { matchLabels: { [APP_ROUTES_LABEL]: "true" } } },
                kinds: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute" }],
            },
        })),
    };
}

/** The Certificate's spec: one certificate for every `*.<domain>`. Pure. */
export function certificateSpec(
    domains: readonly string[],
    secretName: string,
    issuerRef: { kind: "Issuer" | "ClusterIssuer"; name: string },
) {
    return {
        secretName,
        dnsNames: domains.map((d) => `*.${d}`),
        privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
        issuerRef: { group: "cert-manager.io", ...issuerRef },
    };
}

/** The ACME Issuer's spec: Let's Encrypt, DNS-01 in one Route 53 zone, the solver's role through a bound token. Pure. */
export function route53IssuerSpec(i: {
    email: string;
    server?: string;
    accountKeySecret: string;
    hostedZoneId: pulumi.Input<string>;
    region: string;
    roleArn: pulumi.Input<string>;
    serviceAccountName: string;
}) {
    return {
        acme: {
            server: i.server ?? ACME_SERVER_LETSENCRYPT,
            email: i.email,
            privateKeySecretRef: { name: i.accountKeySecret },
            solvers: [
                {
                    dns01: {
                        route53: {
                            region: i.region,
                            hostedZoneID: i.hostedZoneId,
                            role: i.roleArn,
                            auth: { kubernetes: { serviceAccountRef: { name: i.serviceAccountName } } },
                        },
                    },
                },
            ],
        },
    };
}

/**
 * The DNS-01 solver's IAM policy: TXT records in this one zone and the change status, nothing else (no
 * zone listing: the Issuer names the zone). Pure.
 */
export function buildDns01Policy(partition: string, zoneId: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ChallengeRecords",
                Effect: "Allow",
                Action: ["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets"],
                Resource: `arn:${partition}:route53:::hostedzone/${zoneId}`,
                Condition: {
                    "ForAllValues:StringEquals": { "route53:ChangeResourceRecordSetsRecordTypes": ["TXT"] },
                },
            },
            {
                Sid: "ChangeStatus",
                Effect: "Allow",
                Action: ["route53:GetChange"],
                Resource: `arn:${partition}:route53:::change/*`,
            },
        ],
    };
}

/**
 * Trust of the solver's role: the cluster's OIDC provider, for tokens of exactly one ServiceAccount.
 * The subject is bound and not the audience: cert-manager's bound token carries `sts.amazonaws.com`
 * and, per the cert-manager v1.19 CRD, may carry the issuer's own audience too. Pure.
 */
export function buildDns01TrustPolicy(providerArn: string, issuer: string, namespace: string, serviceAccount: string) {
    const host = issuer.replace(/^https:\/\//, "");
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Federated: providerArn },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: { [`${host}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}` },
                },
            },
        ],
    };
}

/** The service account of the cert-manager a GitLab release bundles (for `tls.type: route53`). Pure. */
export function gitlabCertManager(
    namespace: string = GITLAB_DEFAULT_NAMESPACE,
    releaseName: string = GITLAB_DEFAULT_RELEASE_NAME,
): { namespace: string; serviceAccountName: string } {
    return { namespace, serviceAccountName: `${releaseName}${GITLAB_CERT_MANAGER_SERVICE_ACCOUNT_SUFFIX}` };
}
