/**
 * The app Gateway's spec and pure builders: the settings of {@link AppGatewayArgs} (shape and rules),
 * the Gateway API `Gateway` with one HTTPS listener per wildcard domain and the cert-manager `Certificate`.
 *
 * Facts this relies on (checked against the GitLab chart 9.10.0 render and the CRDs of the cert-manager
 * v1.19.4 it bundles, and the Gateway API v1 spec):
 * - A wildcard certificate needs the ACME DNS-01 challenge; HTTP-01 (the chart's own Issuer) cannot issue
 *   one. With `tls.type: acme` the certificate comes from the stack's one DNS-01 ClusterIssuer
 *   (`AcmeDns01Issuer`, whose role writes `_acme-challenge` records of the GitLab domain and below), so
 *   every domain must lie at or below that issuer's domain ({@link acmeDomainProblems}).
 * - `allowedRoutes.namespaces.from: Selector` admits routes only from namespaces whose labels match.
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#listener
 * @see https://cert-manager.io/docs/configuration/acme/dns01/route53/
 */
import { z } from "zod";
import { AcmeDns01Issuer, dns01Covers } from "../dns/acme-dns01";
import { APP_ROUTES_LABEL } from "../defaults";
import type { Problem } from "../errors";
import { isDnsLabel, isDnsName, isDnsSubdomain } from "../internal/validation";

/** Where the wildcard certificate of the app Gateway comes from. */
export type AppGatewayTls =
    /**
     * Let's Encrypt through DNS-01 in the stack's Route 53 zone: the stack's one DNS-01 ClusterIssuer (the
     * one GitLab's Gateway names). The Certificate waits for it; every domain must be at or below its domain.
     */
    | { type: "acme"; issuer: AcmeDns01Issuer }
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

const appGatewayTlsSpec = z.discriminatedUnion("type", [
    z.strictObject({ type: z.literal("acme"), issuer: z.instanceof(AcmeDns01Issuer) }),
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
    tls: { type: string; secretName?: string; name?: string };
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
    if (t.type === "secret" && !isDnsSubdomain(t.secretName ?? ""))
        problems.push({
            path: "tls.secretName",
            message: `"${t.secretName}" is not a Secret name (expected e.g. apps-tls)`,
        });
    if (t.type === "issuer" && !isDnsSubdomain(t.name ?? ""))
        problems.push({
            path: "tls.name",
            message: `"${t.name}" is not an issuer name (expected e.g. letsencrypt-dns01)`,
        });
    return problems;
}

/**
 * Domains the DNS-01 ClusterIssuer of `issuerDomain` cannot answer for (its role writes `_acme-challenge`
 * records at or below that domain only), paths `domains[i]`. Pure.
 */
export function acmeDomainProblems(domains: readonly string[], issuerDomain: string): Problem[] {
    return domains.flatMap((d, i) =>
        dns01Covers(issuerDomain, d)
            ? []
            : [
                  {
                      path: `domains[${i}]`,
                      message: `"${d}" is outside ${issuerDomain}, the only domain whose _acme-challenge records the DNS-01 ClusterIssuer's role may write (expected ${issuerDomain} or a name ending in .${issuerDomain})`,
                  },
              ],
    );
}

/** The Secret holding the wildcard certificate. */
export function tlsSecretName(gatewayName: string, tls: AppGatewayTls): string {
    return tls.type === "secret" ? tls.secretName : `${gatewayName}-wildcard-tls`;
}

/** A listener's name for the i-th domain (a section name routes may pin). */
function listenerName(i: number): string {
    return `https-${i}`;
}

/** The plain-HTTP listener's name for the i-th domain (only the HTTPS redirect attaches to it). */
function httpListenerName(i: number): string {
    return `http-${i}`;
}

/**
 * The Gateway's spec: an HTTPS listener on 443 per domain, hostname `*.<domain>`, terminating TLS with
 * the wildcard Secret, admitting HTTPRoutes only from namespaces labelled {@link APP_ROUTES_LABEL}; and
 * an HTTP listener on 80 per domain admitting routes from the Gateway's own namespace only, where
 * {@link httpsRedirectRouteSpec} answers every request with a redirect to HTTPS (apps never serve plain
 * HTTP: their routes, in other namespaces, cannot attach to it). Pure.
 */
export function gatewaySpec(gatewayClassName: string, domains: readonly string[], secretName: string) {
    const kinds = [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute" }];
    return {
        gatewayClassName,
        listeners: [
            ...domains.map((d, i) => ({
                name: listenerName(i),
                protocol: "HTTPS",
                port: 443,
                hostname: `*.${d}`,
                tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: secretName }] },
                allowedRoutes: {
                    namespaces: { from: "Selector", selector: { matchLabels: { [APP_ROUTES_LABEL]: "true" } } },
                    kinds,
                },
            })),
            ...domains.map((d, i) => ({
                name: httpListenerName(i),
                protocol: "HTTP",
                port: 80,
                hostname: `*.${d}`,
                allowedRoutes: { namespaces: { from: "Same" }, kinds },
            })),
        ],
    };
}

/**
 * The HTTPRoute on the HTTP listeners: a `RequestRedirect` to `https` with 301, host and path kept. With
 * the scheme changed and no port given, Gateway API (v1.5 `HTTPRequestRedirectFilter.port`) redirects to
 * the scheme's well-known port, 443. Pure.
 */
export function httpsRedirectRouteSpec(gatewayName: string, domains: readonly string[]) {
    return {
        parentRefs: domains.map((_, i) => ({
            group: "gateway.networking.k8s.io",
            kind: "Gateway",
            name: gatewayName,
            sectionName: httpListenerName(i),
        })),
        rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }],
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
