import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { FLUX_INSTALL_TIMEOUT_SECONDS, FLUX_OPERATOR_CHART } from "../defaults";
import { assertValid } from "../errors";
import { parseArgs } from "../internal/spec-kit";
import { fluxInstanceManifest, type FluxInstanceManifestArgs } from "./manifests";
import { fluxComponents, fluxRules, fluxSpec } from "./spec";

/*
 * Why the Flux Operator and a FluxInstance rather than the community `flux2` chart:
 * - the newest stored `flux2` chart (fluxcd-community 2.18.3, April 2026) ships Flux 2.8.5; no stored
 *   evidence of a chart carrying Flux 2.9.x, while operator v0.58.1 embeds the v2.9.4 manifests;
 * - the operator is maintained by Flux maintainers, and one exact `spec.distribution.version` decides
 *   every controller image (no per-controller tags to keep in step);
 * - `spec.cluster` carries EKS specifics (`type: aws`), sizing, multi-tenancy lockdown and network
 *   policies as typed fields instead of values patches.
 * The cost: two stages (operator release, then the custom resource) and a chart whose exact 0.58.1
 * tag is inferred from the chart/operator version lockstep (see FLUX_OPERATOR_CHART_VERSION).
 */

/** Arguments of {@link Flux}. */
export interface FluxArgs {
    /**
     * Namespace of the operator and the FluxInstance; created by this component.
     * @default "flux-system" (`FLUX_NAMESPACE`)
     * @see https://fluxoperator.dev/docs/guides/install/
     */
    namespace?: string;
    /**
     * Exact Flux version (no ranges: Flux changes only when this package changes).
     * @default "2.9.4" (`FLUX_VERSION`)
     * @see https://fluxoperator.dev/docs/crd/fluxinstance/#distribution-version
     */
    version?: string;
    /**
     * Exact Flux Operator chart version.
     * @default "0.58.1" (`FLUX_OPERATOR_CHART_VERSION`)
     * @see https://github.com/controlplaneio-fluxcd/charts/tree/main/charts/flux-operator
     */
    chartVersion?: string;
    /**
     * Registry the controller images come from (a mirror needs `variant` support, not offered here).
     * @default "ghcr.io/fluxcd" (`FLUX_REGISTRY`)
     * @see https://fluxoperator.dev/docs/crd/fluxinstance/#distribution-registry
     */
    registry?: string;
    /**
     * Also run helm-controller (HelmRelease). Source, kustomize and notification controllers always run:
     * OCI sources, Kustomizations, and the Receiver the GitLab agent uses to trigger reconciliation.
     * @default false
     * @see https://fluxoperator.dev/docs/crd/fluxinstance/#components-configuration
     */
    helmController?: boolean;
    /**
     * Cluster flavour for provider-specific settings (`aws` for EKS).
     * @default "kubernetes"
     * @see https://fluxoperator.dev/docs/crd/fluxinstance/#cluster-type
     */
    clusterType?: FluxInstanceManifestArgs["clusterType"];
    /**
     * Vertical scaling profile of the controllers (small: tens of apps, medium: hundreds, large: ~1000).
     * @default "small"
     * @see https://fluxoperator.dev/docs/crd/fluxinstance/#cluster-size
     */
    size?: FluxInstanceManifestArgs["size"];
    /**
     * Multi-tenancy lockdown: Kustomizations without a service account impersonate the `default` one of
     * their namespace instead of acting with the controller's cluster-wide rights.
     * @default false - a Kustomization in `flux-system` applying into `default` (the GitLab tutorial's
     *   layout) needs the controller's own rights
     * @see https://fluxoperator.dev/docs/crd/fluxinstance/#cluster-multitenant
     */
    multitenant?: boolean;
    /**
     * NetworkPolicies that restrict access to the Flux namespace from other namespaces.
     * @default true
     * @see https://fluxoperator.dev/docs/crd/fluxinstance/#cluster-network-policy
     */
    networkPolicy?: boolean;
}

/**
 * Flux installed declaratively: the namespace, the Flux Operator from its pinned chart, and one
 * `FluxInstance` with an exact Flux version. Pulumi waits for the instance's `Ready` condition, so
 * resources that depend on this component (OCIRepositories, Kustomizations) find their CRDs.
 */
export class Flux extends pulumi.ComponentResource {
    /** The namespace Flux runs in. */
    public readonly namespace: string;
    /** The Flux version installed. */
    public readonly version: string;
    /** The FluxInstance; depend on it (or on this component) before declaring Flux objects. */
    public readonly instance: k8s.apiextensions.CustomResource;
    /** The Namespace Flux runs in; depend on it for objects that only need the namespace to exist. */
    public readonly namespaceResource: k8s.core.v1.Namespace;

    constructor(name: string, args: FluxArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        // Checked before the component registers: bad args declare nothing.
        const r = parseArgs("Flux", fluxSpec, args);
        assertValid("Flux", fluxRules(r));
        super("gitlab-platform:flux:Flux", name, {}, opts);
        this.namespace = r.namespace;
        this.version = r.version;

        const ns = (this.namespaceResource = new k8s.core.v1.Namespace(
            `${name}-namespace`,
            {
                metadata: {
                    name: r.namespace,
                    labels: {
                        "app.kubernetes.io/managed-by": "pulumi",
                        // The operator and the Flux controllers run with the restricted profile's settings.
                        "pod-security.kubernetes.io/enforce": "restricted",
                    },
                },
            },
            { parent: this },
        ));

        const operator = new k8s.helm.v3.Release(
            `${name}-operator`,
            {
                name: "flux-operator",
                chart: FLUX_OPERATOR_CHART,
                version: r.chartVersion,
                namespace: ns.metadata.name,
                createNamespace: false,
                timeout: FLUX_INSTALL_TIMEOUT_SECONDS,
                values: {
                    installCRDs: true,
                    // The status web UI listens on 9080 by default; nothing here needs it (closed default).
                    web: { enabled: false },
                },
            },
            { parent: this },
        );

        const manifest = fluxInstanceManifest({
            namespace: r.namespace,
            version: r.version,
            registry: r.registry,
            components: fluxComponents(r),
            clusterType: r.clusterType,
            size: r.size,
            multitenant: r.multitenant,
            networkPolicy: r.networkPolicy,
            waitFor: "condition=Ready",
        });
        this.instance = new k8s.apiextensions.CustomResource(`${name}-instance`, manifest, {
            parent: this,
            dependsOn: [operator],
            customTimeouts: { create: `${FLUX_INSTALL_TIMEOUT_SECONDS}s`, update: `${FLUX_INSTALL_TIMEOUT_SECONDS}s` },
        });

        this.registerOutputs({ namespace: this.namespace, version: this.version });
    }
}
