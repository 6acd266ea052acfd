/**
 * TLS on GitLab's Gateway (issue 18): every HTTPS listener of the chart's Gateway gets its certificate
 * from somewhere. Either the release points the listeners at the user's own Secret, or cert-manager issues
 * them, and then cert-manager must serve Gateway API (its gateway-shim is off unless
 * `config.enableGatewayAPI` is set: chart 9.x leaves it off, 10.x turns it on) and the issuer the Gateway
 * names must exist and solve in a way that works for a Gateway: DNS-01, or HTTP-01 through a
 * `gatewayHTTPRoute` (an `ingress` HTTP-01 solver never sees the Gateway's traffic).
 * Sources: docs.gitlab.com/charts/advanced/gateway-api (10.x: `global.gatewayApi.configureCertmanager`,
 * `gatewayApiResources.gateway.annotations`, listeners), cert-manager.io/docs/usage/gateway.
 */
import { stackPolicy, type ResourceView, type StackViolation } from "./lib/define";
import { chartName, HELM_RELEASE, helmValues } from "./lib/types";
import { at, isMap, listAt, stringAt, UNKNOWN, type Plain } from "./lib/values";

const CLUSTER_ISSUER = "kubernetes:cert-manager.io/v1:ClusterIssuer";
const ISSUER = "kubernetes:cert-manager.io/v1:Issuer";

/** The chart's listeners that terminate TLS for GitLab's own hosts. */
const TLS_LISTENERS = ["gitlab-web", "registry-web", "kas-web"] as const;

/** The issuer a Gateway annotation names: `{kind, name}`, or undefined. */
function annotatedIssuer(values: Plain): { kind: "ClusterIssuer" | "Issuer"; name: string } | undefined {
    const annotations = at(values, ["gatewayApiResources", "gateway", "annotations"]);
    const cluster = stringAt(annotations, ["cert-manager.io/cluster-issuer"]);
    if (cluster !== undefined) return { kind: "ClusterIssuer", name: cluster };
    const namespaced = stringAt(annotations, ["cert-manager.io/issuer"]);
    return namespaced !== undefined ? { kind: "Issuer", name: namespaced } : undefined;
}

/** Why an issuer's ACME solvers cannot serve a Gateway, or undefined when one can. */
function solverProblem(issuer: ResourceView): string | undefined {
    const acme = at(issuer.props, ["spec", "acme"]);
    if (!isMap(acme)) return undefined; // CA, Vault, self-signed: no challenge to route
    const solvers = listAt(acme, ["solvers"]);
    const serves = solvers.some((s) => isMap(at(s, ["dns01"])) || isMap(at(s, ["http01", "gatewayHTTPRoute"])));
    if (serves || solvers.length === 0) return serves ? undefined : "has no solvers";
    return "solves only HTTP-01 through an Ingress, which no Gateway serves (expected a dns01 solver or http01.gatewayHTTPRoute)";
}

/** Whether every TLS listener references a certificate Secret the release sets (own certificate mode). */
function ownCertificates(values: Plain): boolean {
    return TLS_LISTENERS.every(
        (l) => listAt(values, ["gatewayApiResources", "gateway", "listeners", l, "tls", "certificateRefs"]).length > 0,
    );
}

export const gatewayTlsIssuer = stackPolicy(
    {
        name: "gateway-tls-issuer",
        description:
            "GitLab's Gateway listeners get their certificates: the user's own Secret, or cert-manager with Gateway API enabled and an issuer that exists and can solve for a Gateway.",
        severity: "high",
        enforcementLevel: "mandatory",
        remediationSteps:
            "Use the GitLab component's TLS modes: `tls.secretName` (listeners reference your Secret), or `tls.certManagerIssuerEmail` " +
            "(the bundled cert-manager with `certmanager.config.enableGatewayAPI: true`, issuing through the chart's HTTP-01 Gateway issuer, " +
            "or through the stack's Route 53 DNS-01 ClusterIssuer that `gatewayApiResources.gateway.annotations` names when `dns` is set).",
    },
    (resources) => {
        const violations: StackViolation[] = [];
        const issuers = resources.filter((r) => r.type === CLUSTER_ISSUER || r.type === ISSUER);
        for (const release of resources.filter((r) => r.type === HELM_RELEASE && chartName(r.props) === "gitlab")) {
            const v = helmValues(release.props);
            // 10.x serves through the Gateway unless told otherwise; NGINX Ingress is another policy's business.
            if (at(v, ["global", "gatewayApi", "enabled"]) === false) continue;
            const say = (message: string) => violations.push({ urn: release.urn, message });
            const chartIssuer = at(v, ["global", "gatewayApi", "configureCertmanager"]) === true;
            const named = annotatedIssuer(v);
            if (!chartIssuer && named === undefined) {
                if (!ownCertificates(v))
                    say(
                        `values gatewayApiResources.gateway: no issuer for the listeners ${TLS_LISTENERS.join(", ")} (global.gatewayApi.configureCertmanager is not true, no cert-manager.io issuer annotation) and not every listener references a certificate Secret (expected one of them)`,
                    );
                continue;
            }
            const enabled = at(v, ["certmanager", "config", "enableGatewayAPI"]);
            if (at(v, ["installCertmanager"]) === true && enabled !== true && enabled !== UNKNOWN)
                say(
                    `values certmanager.config.enableGatewayAPI: ${enabled === undefined ? "not set" : `is ${JSON.stringify(enabled)}`} while cert-manager issues the Gateway's certificates (expected true: cert-manager reads Gateways only then)`,
                );
            if (named === undefined || named.name === UNKNOWN) continue;
            const found = issuers.find(
                (i) =>
                    i.type === (named.kind === "ClusterIssuer" ? CLUSTER_ISSUER : ISSUER) &&
                    stringAt(i.props, ["metadata", "name"]) === named.name,
            );
            if (!found) {
                say(
                    `values gatewayApiResources.gateway.annotations: ${named.kind} ${named.name} is not declared by this stack (expected the ${named.kind} the Gateway names)`,
                );
                continue;
            }
            const problem = solverProblem(found);
            if (problem) say(`${named.kind} ${named.name}: ${problem}`);
        }
        return violations;
    },
);

export const GATEWAY_TLS_POLICIES = [gatewayTlsIssuer];
