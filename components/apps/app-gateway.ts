import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { APP_GATEWAY_NAMESPACE, GITLAB_GATEWAY_CLASS } from "../defaults";
import { assertValid } from "../errors";
import { readGatewayAddress } from "../gitlab/gateway-address";
import { parseArgs } from "../internal/spec-kit";
import {
    acmeDomainProblems,
    appGatewayArgsSpec,
    appGatewayRules,
    certificateSpec,
    gatewaySpec,
    httpsRedirectRouteSpec,
    tlsSecretName,
    type AppGatewayArgs,
} from "./gateway";

export type { AppGatewayArgs, AppGatewayTls } from "./gateway";

/** What a route needs to attach to an {@link AppGateway}, and the domains it serves (a stack output). */
export interface AppGatewayRef {
    name: string;
    namespace: string;
    domains: string[];
}

/**
 * The Gateway apps and review apps are reached through: its own namespace, a Gateway API `Gateway` of
 * the GitLab chart's Envoy Gateway class (so its proxy and load balancer get the same replicas, PDB and
 * NLB annotations as GitLab's), one HTTPS listener per `*.<domain>` with one wildcard certificate,
 * routes admitted only from namespaces labelled `gitlab-platform/app-routes: "true"`, and an HTTP
 * listener per domain that only redirects to HTTPS. GitLab's own
 * Gateway admits routes from its namespace only, so apps get this one. With `tls.type: acme` the
 * certificate comes from the stack's DNS-01 ClusterIssuer (`AcmeDns01Issuer`, the one GitLab's Gateway
 * names): no second IAM role or issuer. Give it the cluster's Kubernetes provider.
 */
export class AppGateway extends pulumi.ComponentResource {
    /** Name, namespace and domains: what a workloads stack reads to attach routes. */
    public readonly ref: AppGatewayRef;
    /**
     * The address of the Gateway's own load balancer (on EKS its NLB's DNS name), what the apps' records
     * point at: the Gateway's `status.addresses` (see `readGatewayAddress`), read back after the Gateway is
     * created. `undefined` while the load balancer has none yet; the next `up` reads it again.
     */
    public readonly loadBalancerHostname: pulumi.Output<string | undefined>;

    constructor(name: string, args: AppGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before the component registers: bad args declare nothing.
        const a = parseArgs("AppGateway", appGatewayArgsSpec, args);
        assertValid("AppGateway", [
            ...appGatewayRules(a),
            ...(a.tls.type === "acme" ? acmeDomainProblems(a.domains, a.tls.issuer.domain) : []),
        ]);
        super("gitlab-platform:apps:AppGateway", name, {}, opts);
        const gatewayName = a.name ?? name;
        const namespaceName = a.namespace ?? APP_GATEWAY_NAMESPACE;
        const o = { parent: this };

        const ns = new k8s.core.v1.Namespace(
            `${name}-namespace`,
            {
                metadata: {
                    name: namespaceName,
                    labels: {
                        "app.kubernetes.io/managed-by": "pulumi",
                        "pod-security.kubernetes.io/enforce": "restricted",
                    },
                },
            },
            o,
        );
        const namespace = ns.metadata.name;
        const secretName = tlsSecretName(gatewayName, a.tls);
        const certDeps: pulumi.Resource[] = [];
        let issuerRef: { kind: "Issuer" | "ClusterIssuer"; name: string } | undefined;
        const t = a.tls;
        if (t.type === "acme") {
            // The stack's DNS-01 ClusterIssuer: the Certificate waits for it (and so for cert-manager's CRDs).
            certDeps.push(t.issuer);
            issuerRef = { kind: "ClusterIssuer", name: t.issuer.issuerName };
        } else if (t.type === "selfSigned") {
            certDeps.push(
                new k8s.apiextensions.CustomResource(
                    `${name}-issuer`,
                    {
                        apiVersion: "cert-manager.io/v1",
                        kind: "Issuer",
                        metadata: { name: `${gatewayName}-self-signed`, namespace },
                        spec: { selfSigned: {} },
                    },
                    o,
                ),
            );
            issuerRef = { kind: "Issuer", name: `${gatewayName}-self-signed` };
        } else if (t.type === "issuer") {
            issuerRef = { kind: t.kind, name: t.name };
        }
        if (issuerRef) {
            certDeps.push(
                new k8s.apiextensions.CustomResource(
                    `${name}-certificate`,
                    {
                        apiVersion: "cert-manager.io/v1",
                        kind: "Certificate",
                        metadata: { name: `${gatewayName}-wildcard`, namespace },
                        spec: certificateSpec(a.domains, secretName, issuerRef),
                    },
                    { parent: this, dependsOn: [...certDeps] },
                ),
            );
        }
        const gateway = new k8s.apiextensions.CustomResource(
            `${name}-gateway`,
            {
                apiVersion: "gateway.networking.k8s.io/v1",
                kind: "Gateway",
                metadata: { name: gatewayName, namespace, labels: { "app.kubernetes.io/managed-by": "pulumi" } },
                spec: gatewaySpec(a.gatewayClassName ?? GITLAB_GATEWAY_CLASS, a.domains, secretName),
            },
            { parent: this, dependsOn: certDeps },
        );
        new k8s.apiextensions.CustomResource(
            `${name}-https-redirect`,
            {
                apiVersion: "gateway.networking.k8s.io/v1",
                kind: "HTTPRoute",
                metadata: {
                    name: `${gatewayName}-https-redirect`,
                    namespace,
                    labels: { "app.kubernetes.io/managed-by": "pulumi" },
                },
                spec: httpsRedirectRouteSpec(gatewayName, a.domains),
            },
            { parent: this, dependsOn: [gateway] },
        );
        // A read of the Gateway this component just declared, for its status: Envoy Gateway fills in
        // `status.addresses` from the Envoy Service's load balancer after the Gateway exists. The id is the
        // created Gateway's own (`<namespace>/<name>`), unknown in the preview of its creation, and the
        // engine skips a read whose id is unknown (as for GitLab's Gateway): a preview that adds
        // `appGateway` to an existing stack never looks for a Gateway that does not exist yet. The read
        // runs on every `up` once the Gateway exists, so an address the NLB gets after the first `up`
        // (AWS names it within a minute or so of the Service) appears with the next one.
        this.loadBalancerHostname = readGatewayAddress(`${name}-gateway-status`, gateway.id, {
            parent: this,
            dependsOn: [gateway],
        });
        this.ref = { name: gatewayName, namespace: namespaceName, domains: [...a.domains] };
        this.registerOutputs({ ref: this.ref, loadBalancerHostname: this.loadBalancerHostname });
    }
}
