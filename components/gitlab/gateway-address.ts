/**
 * Where GitLab's Gateway is reached: the address its load balancer got, read from the Gateway's status.
 * {@link gatewayAddress} is pure; {@link readGatewayAddress} declares the read GitLab (after its release) and
 * AppGateway (after its Gateway) export the address from.
 *
 * Why the Gateway's `status.addresses` and not the Envoy Service (checked against Envoy Gateway v1.8.2,
 * the version chart 10.2.x bundles, and pulumi-kubernetes 4.34):
 * - Envoy Gateway copies the Envoy Service's `status.loadBalancer.ingress` into the Gateway's
 *   `status.addresses` (`internal/gatewayapi/status/gateway.go`, `UpdateGatewayStatusProgrammedCondition`:
 *   a `Hostname` address for an AWS NLB). It is the Gateway API's own answer, per Gateway.
 * - The Gateway is rendered by the chart (`<release>-gw`), so it exists once the Helm release is done;
 *   the Envoy Service is created later by the controller under a hashed name
 *   (`envoy-<namespace>-<gateway>-<sha256 prefix>`, `proxy.ExpectedResourceHashedName`), an internal detail.
 * - A fixed Service name through the EnvoyProxy's `provider.kubernetes.envoyService.name` (passed through
 *   `gatewayApiResources.envoy.proxySpec`) would apply to every Gateway of the class: GitLab's EnvoyProxy is
 *   the GatewayClass's `parametersRef`, so the app Gateway's proxy would claim the same Service name
 *   (`resource_provider.go` sets `svc.Name` from it verbatim) and the two Gateways would fight over one Service.
 */

import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/** The Gateway the chart renders for a release (`gitlab.gatewayApi.gateway.name.default`: `<release>-gw`, chart 9.10.0 and 10.x `templates/_gateway.tpl`). */
export function gitlabGatewayName(releaseName: string): string {
    return `${releaseName}-gw`;
}

/** One entry of a Gateway's `status.addresses` (Gateway API v1 `GatewayStatusAddress`). */
interface GatewayStatusAddress {
    type?: string;
    value?: string;
}

/**
 * The address clients reach a Gateway at: the first `Hostname` address of its status (an AWS load
 * balancer's DNS name), else the first `IPAddress` (load balancers that publish IPs); `undefined` while the
 * load balancer has none yet. Pure.
 */
export function gatewayAddress(status: unknown): string | undefined {
    const addresses = (status as { addresses?: unknown } | undefined)?.addresses;
    if (!Array.isArray(addresses)) return undefined;
    const valid = (addresses as GatewayStatusAddress[]).filter(
        (a) => typeof a?.value === "string" && a.value.length > 0,
    );
    // Gateway API: an address without a type is an IPAddress.
    const hostname = valid.find((a) => a.type === "Hostname");
    const ip = valid.find((a) => a.type === undefined || a.type === "IPAddress");
    return (hostname ?? ip)?.value;
}

/**
 * Reads a Gateway that exists (or will, once `opts.dependsOn` is done) for its load balancer address. A
 * read, not a resource; the engine skips it while `id` (`<namespace>/<name>`) is unknown, as in the preview
 * that creates the Gateway, and it runs again on every `up`, so an address assigned later appears then.
 */
export function readGatewayAddress(
    name: string,
    id: pulumi.Input<string>,
    opts: pulumi.CustomResourceOptions,
): pulumi.Output<string | undefined> {
    // `CustomResource.get` exposes no `status`; the constructor with an `id` reads the object with it.
    const gateway = new k8s.apiextensions.CustomResource(
        name,
        { apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway", status: undefined },
        { ...opts, id },
    );
    return (gateway as unknown as { status: pulumi.Output<unknown> }).status.apply(gatewayAddress);
}
