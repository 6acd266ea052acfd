/**
 * The chart values that make GitLab's one entry point survive a node or a zone, and keep long git
 * transfers alive. Pure; merged into {@link buildGitLabValues} in gateway routing only.
 *
 * - Envoy proxy: the bundled Envoy Gateway runs ONE proxy replica unless its EnvoyProxy spec says
 *   otherwise; here `replicas` from the size preset, spread across zones, and a PodDisruptionBudget
 *   (EnvoyProxy `provider.kubernetes.{envoyDeployment,envoyPDB}`, Envoy Gateway v1alpha1 API). Chart 10.x
 *   takes the spec at `gatewayApiResources.envoy.proxySpec` (9.x: `global.gatewayApi.envoyProxySpec`).
 * - Service annotations on the Envoy Service (e.g. a cross-zone AWS Network Load Balancer).
 * - Route timeouts: the webservice HTTPRoute gives `/` a 15 s request and backend timeout
 *   (`webservice/templates/_datamodel.tpl`, rule `root`). Chart 9.10.0 gives 0 s only to
 *   `ssh-upload-pack`/`ssh-receive-pack`; 10.0.4/10.1.2 ("add HTTP git paths to long-running HTTPRoute")
 *   add `git-upload-pack`/`git-receive-pack` to that `long-running` rule, and the 10.2.x data model still
 *   keeps `root` at 15 s. LFS objects, artifact, package and archive downloads run under `/` and routinely
 *   take longer, so the override still applies on 10.2.3: both rules get {@link GITLAB_ROUTE_TIMEOUT}, and
 *   `long-running` keeps all four 10.x paths (a list replaces the chart's whole, so none may be dropped).
 * @see https://gateway.envoyproxy.io/docs/api/extension_types/#kubernetesdeploymentspec
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#httproutetimeouts
 */
import { GITLAB_ROUTE_TIMEOUT } from "../defaults";

/** What the gateway values need. */
export interface GatewayValuesInput {
    /** Envoy proxy replicas (at least 2 for anything but `dev`). */
    replicas: number;
    /** Node placement of the proxy pods (the supporting pool), if any. */
    pod: Record<string, unknown>;
    /** Annotations of the Envoy Service (the load balancer). */
    serviceAnnotations: Record<string, string>;
}

/** The labels Envoy Gateway puts on every proxy pod it manages. */
const ENVOY_POD_LABELS = { "app.kubernetes.io/name": "envoy", "app.kubernetes.io/component": "proxy" };

/**
 * The labels naming the Gateway a proxy pod serves (Envoy Gateway v1.8.2 `OwningGatewayNameLabel` and
 * `OwningGatewayNamespaceLabel`, on every proxy pod of a Gateway not merged with others). This EnvoyProxy is
 * the GatewayClass's, so the app Gateway's proxies match {@link ENVOY_POD_LABELS} too: spreading by these
 * keys as well (`matchLabelKeys`, on by default since Kubernetes 1.27) spreads each Gateway's own replicas
 * over the zones, instead of all proxies of the class together.
 */
const OWNING_GATEWAY_LABEL_KEYS = [
    "gateway.envoyproxy.io/owning-gateway-namespace",
    "gateway.envoyproxy.io/owning-gateway-name",
];

/** Builds the Envoy proxy and route-timeout values. */
export function buildGatewayValues(i: GatewayValuesInput): {
    gatewayApiResources: Record<string, unknown>;
    gitlab: Record<string, unknown>;
} {
    const spread = [
        {
            maxSkew: 1,
            topologyKey: "topology.kubernetes.io/zone",
            whenUnsatisfiable: "ScheduleAnyway",
            labelSelector: { matchLabels: ENVOY_POD_LABELS },
            matchLabelKeys: OWNING_GATEWAY_LABEL_KEYS,
        },
        {
            maxSkew: 1,
            topologyKey: "kubernetes.io/hostname",
            whenUnsatisfiable: "ScheduleAnyway",
            labelSelector: { matchLabels: ENVOY_POD_LABELS },
            matchLabelKeys: OWNING_GATEWAY_LABEL_KEYS,
        },
    ];
    const timeouts = { request: GITLAB_ROUTE_TIMEOUT, backendRequest: GITLAB_ROUTE_TIMEOUT };
    return {
        gatewayApiResources: {
            envoy: {
                proxySpec: {
                    provider: {
                        type: "Kubernetes",
                        kubernetes: {
                            envoyDeployment: {
                                replicas: i.replicas,
                                pod: { ...i.pod, topologySpreadConstraints: spread },
                            },
                            ...(i.replicas > 1 ? { envoyPDB: { minAvailable: i.replicas - 1 } } : {}),
                            ...(Object.keys(i.serviceAnnotations).length > 0
                                ? { envoyService: { annotations: { ...i.serviceAnnotations } } }
                                : {}),
                        },
                    },
                },
            },
        },
        gitlab: {
            webservice: {
                deployments: {
                    default: {
                        ingress: { path: "/" },
                        gatewayRoute: {
                            rules: [
                                { name: "root", matches: [{ path: { type: "PathPrefix", value: "/" } }], timeouts },
                                {
                                    name: "long-running",
                                    matches: [
                                        { path: { type: "RegularExpression", value: "^/.*/ssh-receive-pack$" } },
                                        { path: { type: "RegularExpression", value: "^/.*/ssh-upload-pack$" } },
                                        { path: { type: "RegularExpression", value: "^/.*/git-receive-pack$" } },
                                        { path: { type: "RegularExpression", value: "^/.*/git-upload-pack$" } },
                                    ],
                                    timeouts,
                                },
                            ],
                        },
                    },
                },
            },
        },
    };
}
