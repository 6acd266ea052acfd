/**
 * The `apps`, `reviewApps` and `appGateway` keys, picked from the apps spec (components/apps/spec.ts,
 * components/apps/gateway.ts). The stack adds: each app's name; a route's `gateway` may be left out in
 * a workloads stack, which then attaches it to the platform stack's app Gateway (its `appGateway`
 * output); the platform stack's `appGateway.tls` names a form (`acme` is the stack's one DNS-01
 * ClusterIssuer, which the `dns` key's zone and `gitlab.tls.certManagerIssuerEmail` give). Rules across
 * entries: one name once (else one URN twice), one review slug per branch, a route with a gateway to
 * attach to.
 */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { AppGatewayRef } from "../components/apps/app-gateway";
import { acmeDomainProblems, appGatewayRules, type AppGatewayArgs } from "../components/apps/gateway";
import { reviewSlug } from "../components/apps/naming";
import type { gatewayRefSpec } from "../components/apps/spec";
import {
    appArgsSpec,
    appNamespaceRules,
    appRules,
    exposureSpec,
    resolveApp,
    reviewAppArgsSpec,
    reviewAppRules,
    reviewRouteSpec,
    reviewSharedShape,
} from "../components/apps/spec";
import type { AppArgs } from "../components/apps/app";
import type { AcmeDns01Issuer } from "../components/dns/acme-dns01";
import { APP_ROUTES_LABEL, AWS_NLB_SERVICE_ANNOTATIONS } from "../components/defaults";
import { under, type Problem } from "../components/errors";

/** A stack's route: as the component's, with `gateway` optional (then the platform stack's app Gateway). */
const stackGatewayRef = z.strictObject({
    name: z.string(),
    namespace: z.string().optional(),
    sectionName: z.string().optional(),
}) satisfies z.ZodType<unknown, z.input<typeof gatewayRefSpec>>;
const stackHttpRoute = { type: z.literal("httpRoute"), gateway: stackGatewayRef.optional() };
const [clusterIP, loadBalancer, ingress] = exposureSpec.options;

const stackExposure = z.discriminatedUnion("type", [
    clusterIP,
    loadBalancer,
    ingress,
    z.strictObject({ ...stackHttpRoute, host: z.string() }),
]);
const stackRoute = z.discriminatedUnion("type", [reviewRouteSpec.options[0], z.strictObject(stackHttpRoute)]);

const appEntry = appArgsSpec.omit({ readinessProbe: true, livenessProbe: true }).extend({
    /** Names the Deployment, Service and route, and the component. */
    name: z.string(),
    namespace: z.string().optional(),
    exposure: stackExposure.default({ type: "clusterIP" }),
});

export const appsSchema = z.array(appEntry);

/** The review-app settings of one branch: the app's, and the branch. */
const reviewEntry = reviewAppArgsSpec.shape.app.omit({ name: true }).extend({ branch: z.string() });

export const reviewAppsSchema = z.strictObject({
    ...reviewSharedShape,
    route: stackRoute,
    apps: z.array(reviewEntry),
});

/** The platform stack's app Gateway: the component's settings, `tls` in the forms a stack file can hold. */
export const appGatewaySchema = z.strictObject({
    domains: z.array(z.string()).min(1),
    tls: z.discriminatedUnion("type", [
        z.strictObject({ type: z.literal("acme") }),
        z.strictObject({ type: z.literal("selfSigned") }),
        z.strictObject({ type: z.literal("issuer"), kind: z.enum(["Issuer", "ClusterIssuer"]), name: z.string() }),
        z.strictObject({ type: z.literal("secret"), secretName: z.string() }),
    ]),
    name: z.string().optional(),
    namespace: z.string().optional(),
    gatewayClassName: z.string().optional(),
});

export type AppsConfig = z.output<typeof appsSchema>;
export type ReviewAppsConfig = z.output<typeof reviewAppsSchema>;
export type AppGatewayConfig = z.output<typeof appGatewaySchema>;
type StackGatewayRef = z.output<typeof gatewayRefSpec>;

/** The Service annotation that picks an NLB (`nlb`, in-tree) or the AWS Load Balancer Controller (`external`). */
const AWS_LB_TYPE_ANNOTATION = Object.keys(AWS_NLB_SERVICE_ANNOTATIONS)[0];

type Exposure = z.output<typeof exposureSpec>;
type Route = z.output<typeof reviewRouteSpec>;

/** A stack's exposure as the App's: a route without a gateway attached to `gateway` (the platform stack's). */
function attach(e: z.output<typeof stackExposure>, gateway: StackGatewayRef): Exposure {
    return e.type === "httpRoute" ? { ...e, gateway: e.gateway ?? gateway } : e;
}

/** A stack's review route as the ReviewApp's, likewise. */
function attachRoute(r: z.output<typeof stackRoute>, gateway: StackGatewayRef): Route {
    return r.type === "httpRoute" ? { ...r, gateway: r.gateway ?? gateway } : r;
}

/**
 * The gateway a route left out stands for in the per-key rules, which never depend on where it comes
 * from (a missing platform Gateway is {@link appsCrossRules}'s to report).
 */
const UNRESOLVED_GATEWAY: StackGatewayRef = { name: "app-gateway" };

/** App component arguments; a route without a gateway attaches to `platformGateway` (the platform stack's). */
export function appArgs(app: AppsConfig[number], platformGateway: StackGatewayRef | undefined): AppArgs {
    return { ...app, exposure: attach(app.exposure, platformGateway ?? UNRESOLVED_GATEWAY) };
}

/** Each app's rules, and one name per app; paths below `apps`. */
export function appsRules(apps: AppsConfig): Problem[] {
    const problems = apps.flatMap((app, i) =>
        under(`[${i}]`, [
            ...appNamespaceRules(app.namespace),
            ...appRules(resolveApp(app.name, { ...app, exposure: attach(app.exposure, UNRESOLVED_GATEWAY) })),
        ]),
    );
    apps.forEach((app, i) => {
        const first = apps.findIndex((a) => a.name === app.name);
        if (first < i)
            problems.push({
                path: `[${i}].name`,
                message: `"${app.name}" is also apps[${first}]'s name (expected unique app names)`,
            });
    });
    return problems;
}

/** ReviewApp component arguments for each configured branch; a route without a gateway attaches to `platformGateway`. */
export function reviewAppArgs(
    review: ReviewAppsConfig,
    platformGateway?: StackGatewayRef,
): z.output<typeof reviewAppArgsSpec>[] {
    const route = attachRoute(review.route, platformGateway ?? UNRESOLVED_GATEWAY);
    return review.apps.map(({ branch, ...app }) => ({
        branch,
        domain: review.domain,
        app,
        route,
        ...(review.quota ? { quota: review.quota } : {}),
        ...(review.containerLimits ? { containerLimits: review.containerLimits } : {}),
    }));
}

/** The component name of a branch's review app (its namespace is `review-<slug>` too). */
export function reviewAppName(branch: string): string {
    return `review-${reviewSlug(branch)}`;
}

/**
 * Each review app's rules (the component's `branch` and `app.<field>` both belong to `apps[i]` here),
 * and one slug per branch: two branches with one slug, e.g. a branch named like another branch's
 * shortened and hashed slug, would share a namespace, a host and a URN. Paths below `reviewApps`.
 */
export function reviewAppsRules(review: ReviewAppsConfig): Problem[] {
    const args = reviewAppArgs(review);
    const problems: Problem[] = [];
    args.forEach((a, i) => {
        for (const p of reviewAppRules(a, reviewAppName(a.branch))) {
            const inApp = p.path === "branch" || p.path.startsWith("app.") || p.path === "app";
            problems.push(
                inApp
                    ? { path: `apps[${i}]${p.path === "branch" ? ".branch" : p.path.slice(3)}`, message: p.message }
                    : p,
            );
        }
    });
    const slugs = args.map((a) => reviewSlug(a.branch));
    slugs.forEach((slug, i) => {
        const first = slugs.indexOf(slug);
        if (first < i) {
            problems.push({
                path: `apps[${i}].branch`,
                message: `"${args[i].branch}" has the slug ${slug} of apps[${first}] ("${args[first].branch}") (expected branches with distinct review slugs)`,
            });
        }
    });
    return [...new Map(problems.map((p) => [`${p.path}\u0000${p.message}`, p])).values()];
}

/** The app Gateway's own rules, paths below `appGateway`. */
export function appGatewayKeyRules(g: AppGatewayConfig): Problem[] {
    return appGatewayRules(g);
}

/** What the cross-key rules of the apps read. */
export interface AppsView {
    platformStack?: string;
    namespaces?: readonly string[];
    apps?: AppsConfig;
    reviewApps?: ReviewAppsConfig;
    appGateway?: AppGatewayConfig;
    gitlab?: { domain: string; routing?: string; tls: { certManagerIssuerEmail?: string; secretName?: string } };
    dns?: unknown;
    clusterType?: string;
}

/**
 * Rules across keys, absolute paths: a route without a gateway needs the platform stack's app Gateway
 * (and a namespace that Gateway admits); the app Gateway needs GitLab's Envoy Gateway and, for its
 * certificate, the chart's cert-manager, and with acme the dns key's zone, at or below whose domain (the
 * GitLab domain, all the DNS-01 ClusterIssuer's role may answer for) each of its domains lies.
 */
export function appsCrossRules(v: AppsView): Problem[] {
    const problems: Problem[] = [];
    const labelled = new Set(v.namespaces ?? []);
    v.apps?.forEach((a, i) => {
        const e = a.exposure;
        if (e.type !== "httpRoute" || e.gateway !== undefined) return;
        if (v.platformStack === undefined)
            problems.push({
                path: `apps[${i}].exposure.gateway`,
                message:
                    "missing, and there is no platformStack whose app Gateway to use (expected {name, namespace} of a Gateway, or an ingress exposure with className)",
            });
        else if (!labelled.has(a.namespace ?? "default"))
            problems.push({
                path: `apps[${i}].namespace`,
                message: `${a.namespace ?? "default"} is not admitted by the app Gateway (expected a namespace listed in namespaces: this stack labels those ${APP_ROUTES_LABEL}: "true")`,
            });
    });
    // On EKS (a workloads stack's `platform` cluster is the platform stack's EKS) a LoadBalancer Service
    // without a load balancer type gets a Classic ELB from the in-tree controller.
    if (v.clusterType === "eks" || v.clusterType === "platform")
        v.apps?.forEach((a, i) => {
            if (a.exposure.type === "loadBalancer" && a.exposure.annotations?.[AWS_LB_TYPE_ANNOTATION] === undefined)
                problems.push({
                    path: `apps[${i}].exposure.annotations`,
                    message: `no ${AWS_LB_TYPE_ANNOTATION}, so EKS would give the Service a Classic ELB (expected nlb, or external with the AWS Load Balancer Controller, e.g. the annotations of defaults.AWS_NLB_SERVICE_ANNOTATIONS)`,
                });
        });
    const r = v.reviewApps?.route;
    if (r?.type === "httpRoute" && r.gateway === undefined && v.platformStack === undefined)
        problems.push({
            path: "reviewApps.route.gateway",
            message:
                "missing, and there is no platformStack whose app Gateway to use (expected {name, namespace} of a Gateway with a *.<domain> listener, or {type: ingress, className})",
        });
    const g = v.appGateway;
    if (g === undefined) return problems;
    if (v.gitlab === undefined || (v.gitlab.routing ?? "gateway") !== "gateway")
        problems.push({
            path: "appGateway",
            message:
                "set without gitlab routing gateway (expected the gitlab key with routing gateway: the app Gateway uses the Envoy Gateway the GitLab chart installs)",
        });
    if (g.tls.type !== "secret" && v.gitlab !== undefined && v.gitlab.tls.certManagerIssuerEmail === undefined)
        problems.push({
            path: "appGateway.tls.type",
            message: `${g.tls.type} needs cert-manager, which the chart installs only with gitlab.tls.certManagerIssuerEmail (expected type secret, or GitLab's certificates from cert-manager)`,
        });
    if (g.tls.type === "acme") {
        if (v.dns === undefined || v.clusterType !== "eks")
            problems.push({
                path: "appGateway.tls.type",
                message:
                    "acme needs the dns key on an EKS cluster: the stack's DNS-01 ClusterIssuer answers in its Route 53 zone (expected dns: {hostedZone: ...}, or tls type selfSigned, issuer or secret)",
            });
        else if (v.gitlab !== undefined)
            problems.push(...under("appGateway", acmeDomainProblems(g.domains, v.gitlab.domain)));
    }
    return problems;
}

/**
 * AppGateway component arguments of the `appGateway` key; `acme` takes the stack's DNS-01 ClusterIssuer,
 * which exists whenever {@link appsCrossRules} let `acme` through (the dns key's zone on EKS, cert-manager).
 */
export function appGatewayArgs(g: AppGatewayConfig, acmeIssuer: AcmeDns01Issuer | undefined): AppGatewayArgs {
    const t = g.tls;
    if (t.type !== "acme") return { ...g, tls: t };
    if (!acmeIssuer)
        throw new Error(
            "appGateway.tls.type acme without the stack's DNS-01 ClusterIssuer (dns key, EKS, cert-manager)",
        );
    return { ...g, tls: { type: "acme", issuer: acmeIssuer } };
}

/**
 * The gateway a workloads stack's routes attach to when they name none: the platform stack's
 * `appGateway` output, read only when a route attaches to it (its fields are getters). A platform stack
 * without one then fails that route's registration, naming it; a stack with no such route never reads it.
 */
export function platformGatewayRef(output: pulumi.Output<unknown>, platformStack: string) {
    let ref: pulumi.Output<AppGatewayRef> | undefined;
    const read = () =>
        (ref ??= output.apply((g) => {
            const r = g as Partial<AppGatewayRef> | undefined;
            if (typeof r?.name !== "string" || typeof r.namespace !== "string")
                throw new Error(
                    `platformStack ${platformStack} exports no appGateway (expected the appGateway key in that stack, or routes in this one that name their gateway, or ingress with className)`,
                );
            return r as AppGatewayRef;
        }));
    return {
        get name() {
            return read().name;
        },
        get namespace() {
            return read().namespace;
        },
    };
}
