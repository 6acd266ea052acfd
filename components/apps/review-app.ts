import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { APP_ROUTES_LABEL, REVIEW_APP_LABEL, REVIEW_SLUG_LABEL, type REVIEW_QUOTA } from "../defaults";
import { assertValid } from "../errors";
import { dockerConfigJson } from "../flux/manifests";
import { parseArgs } from "../internal/spec-kit";
import { App, type AppArgs } from "./app";
import type { AppExposure } from "./manifests";
import { reviewNamespaceName, reviewSlug } from "./naming";
import { resolveReviewLimits, reviewAppArgsSpec, reviewAppRules, reviewHost } from "./spec";

/** CPU and memory quantities of a container, e.g. `{cpu: "500m", memory: "256Mi"}`. */
export type ContainerQuantities = { cpu: string; memory: string };

/** How a review app's host reaches it. */
export type ReviewRoute =
    Omit<Extract<AppExposure, { type: "ingress" }>, "host"> | Omit<Extract<AppExposure, { type: "httpRoute" }>, "host">;

/** Arguments of {@link ReviewApp}. */
export interface ReviewAppArgs {
    /**
     * The branch, as Git names it (`$CI_COMMIT_REF_NAME`); the namespace and host derive from it.
     * @see https://docs.gitlab.com/ci/variables/predefined_variables/
     */
    branch: string;
    /** Review domain: the app answers at `<slug>.<domain>` (a wildcard DNS record points there). */
    domain: string;
    /** The application; its namespace and exposure are the review app's. */
    app: Omit<AppArgs, "namespace" | "exposure">;
    /**
     * Route of the host: an HTTPRoute on a Gateway with a listener for `*.<domain>` (an
     * {@link AppGateway}), or an Ingress of a named IngressClass. No default: a class-less Ingress is
     * served by nobody on a cluster without a default IngressClass.
     */
    route: ReviewRoute;
    /**
     * ResourceQuota of the namespace, merged key by key over the defaults.
     * @default 1 CPU / 1Gi requested, 2 CPU / 2Gi limits, 10 pods, no LoadBalancer, NodePort or PVC (`REVIEW_QUOTA`)
     * @see https://kubernetes.io/docs/concepts/policy/resource-quotas/
     */
    quota?: Partial<Record<keyof typeof REVIEW_QUOTA, string>>;
    /**
     * LimitRange of containers, merged over the defaults.
     * @default request 50m/64Mi, limit 500m/256Mi, at most 1 CPU / 1Gi (`REVIEW_CONTAINER_LIMITS`)
     * @see https://kubernetes.io/docs/concepts/policy/limit-range/
     */
    containerLimits?: {
        defaultRequest?: Partial<ContainerQuantities>;
        default?: Partial<ContainerQuantities>;
        max?: Partial<ContainerQuantities>;
    };
    /**
     * Registry credentials for a private image (e.g. `$CI_REGISTRY`, `$CI_DEPLOY_USER`, `$CI_DEPLOY_PASSWORD`):
     * stored as the namespace's `registry-auth` docker-registry Secret and used by the pods.
     * @default - none; the image is public or the nodes can pull it
     */
    pullSecret?: { server: string; username: pulumi.Input<string>; password: pulumi.Input<string> };
}

/**
 * A review app for one branch: its own namespace (`review-<slug>`, labelled for cleanup), a ResourceQuota
 * and LimitRange bounding what it may use, and the App, reachable at `<slug>.<domain>`. Destroying the
 * stack deletes the namespace and everything in it.
 */
export class ReviewApp extends pulumi.ComponentResource {
    /** The branch's slug: host label and label value. */
    public readonly slug: string;
    /** The review namespace. */
    public readonly namespace: string;
    /** `https://<slug>.<domain>` (an HTTPRoute, or an Ingress with TLS), else `http://`. */
    public readonly url: string;

    constructor(name: string, args: ReviewAppArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before the component registers: bad args declare nothing.
        const a = parseArgs("ReviewApp", reviewAppArgsSpec, args);
        assertValid("ReviewApp", reviewAppRules(a, name));
        super("gitlab-platform:apps:ReviewApp", name, {}, opts);
        this.slug = reviewSlug(a.branch);
        this.namespace = reviewNamespaceName(a.branch);
        const { quota, limits } = resolveReviewLimits(a);

        const ns = new k8s.core.v1.Namespace(
            `${name}-namespace`,
            {
                metadata: {
                    name: this.namespace,
                    labels: {
                        [REVIEW_APP_LABEL]: "true",
                        [REVIEW_SLUG_LABEL]: this.slug,
                        "app.kubernetes.io/managed-by": "pulumi",
                        "pod-security.kubernetes.io/enforce": "restricted",
                        // An AppGateway admits HTTPRoutes from namespaces with this label only.
                        [APP_ROUTES_LABEL]: "true",
                    },
                    // Label values cannot hold a branch name; the annotation keeps the original for humans.
                    annotations: { "gitlab-platform/branch": a.branch },
                },
            },
            { parent: this },
        );
        const namespace = ns.metadata.name;
        const quotaResource = new k8s.core.v1.ResourceQuota(
            `${name}-quota`,
            { metadata: { name: "review-app", namespace }, spec: { hard: quota } },
            { parent: this },
        );
        const limitRange = new k8s.core.v1.LimitRange(
            `${name}-limits`,
            { metadata: { name: "review-app", namespace }, spec: { limits: [{ type: "Container", ...limits }] } },
            { parent: this },
        );
        const ready: pulumi.Resource[] = [quotaResource, limitRange];
        const imagePullSecrets = [...a.app.imagePullSecrets];
        if (a.pullSecret) {
            const { server, username, password } = a.pullSecret;
            ready.push(
                new k8s.core.v1.Secret(
                    `${name}-registry-auth`,
                    {
                        metadata: { name: "registry-auth", namespace },
                        type: "kubernetes.io/dockerconfigjson",
                        stringData: {
                            ".dockerconfigjson": pulumi.secret(
                                pulumi.all([username, password]).apply(([u, p]) => dockerConfigJson(server, u, p)),
                            ),
                        },
                    },
                    { parent: this },
                ),
            );
            imagePullSecrets.push("registry-auth");
        }

        const host = reviewHost(a.branch, a.domain);
        const exposure: AppExposure = { ...a.route, host };
        const app = new App(
            `${name}-app`,
            { ...a.app, name: a.app.name ?? name, namespace, imagePullSecrets, exposure },
            { parent: this, dependsOn: ready },
        );
        this.url = app.url ?? `http://${host}`;
        this.registerOutputs({ slug: this.slug, namespace: this.namespace, url: this.url });
    }
}
