/**
 * The spec of {@link App} and {@link ReviewApp}: every setting of `AppArgs` and `ReviewAppArgs` once,
 * with its shape and constant default (the zod schemas), the defaults that depend on the name
 * ({@link resolveApp}) and the rules ({@link appRules}, {@link reviewAppRules}, returning
 * {@link Problem}s). The documentation is the JSDoc of the Args interfaces; `satisfies` makes the
 * compiler prove each schema accepts nothing its interface does not. The stack spec (config/apps.ts)
 * picks these settings for `apps[]` and `reviewApps`; the components parse their args with the same
 * schemas before they register anything.
 */
import type * as k8s from "@pulumi/kubernetes";
import { z } from "zod";
import {
    APP_CONTAINER_PORT,
    APP_HEALTH_PATH,
    APP_REPLICAS,
    APP_RESOURCES,
    APP_SERVICE_PORT,
    APP_WRITABLE_PATHS,
    REVIEW_CONTAINER_LIMITS,
    REVIEW_QUOTA,
} from "../defaults";
import { type Problem, under } from "../errors";
import { input } from "../internal/spec-kit";
import {
    isDns1035Label,
    isDnsLabel,
    isDnsName,
    isPlainObject,
    quantityProblems,
    isDnsSubdomain,
} from "../internal/validation";
import type { AppArgs } from "./app";
import { validateImage } from "./image";
import type { AppExposure, ResolvedApp } from "./manifests";
import { reviewSlug } from "./naming";
import type { ContainerQuantities, ReviewAppArgs, ReviewRoute } from "./review-app";

const quantities = z.strictObject({ cpu: z.string().optional(), memory: z.string().optional() });
const stringMap = z.record(z.string(), z.string());
const probe = z.custom<k8s.types.input.core.v1.Probe>(isPlainObject, {
    message: "not a probe (expected a Kubernetes Probe object, e.g. {httpGet: {path: /healthz, port: http}})",
});

/** A Gateway a route attaches to (`parentRefs[0]`): its name, namespace and optionally one listener. */
export const gatewayRefSpec = z.strictObject({
    name: input(z.string()),
    namespace: input(z.string()).optional(),
    sectionName: z.string().optional(),
});

/** An Ingress route: a named class is required, so a controller serves it (no class-less Ingress). */
const ingressRoute = {
    type: z.literal("ingress"),
    className: z.string(),
    tlsSecretName: z.string().optional(),
    annotations: stringMap.optional(),
};
const httpRoute = { type: z.literal("httpRoute"), gateway: gatewayRefSpec };

/** How an App is reached; see {@link AppExposure}. */
export const exposureSpec = z.discriminatedUnion("type", [
    z.strictObject({ type: z.literal("clusterIP") }),
    z.strictObject({ type: z.literal("loadBalancer"), annotations: stringMap.optional() }),
    z.strictObject({ ...ingressRoute, host: z.string() }),
    z.strictObject({ ...httpRoute, host: z.string() }),
]) satisfies z.ZodType<unknown, AppExposure>;

/** How a review app's host is reached (the exposure without the host, which derives from the branch). */
export const reviewRouteSpec = z.discriminatedUnion("type", [
    z.strictObject(ingressRoute),
    z.strictObject(httpRoute),
]) satisfies z.ZodType<unknown, ReviewRoute>;

/** The App's settings that a stack file and a review app share: all but name, namespace and exposure. */
const appSettingsShape = {
    image: z.string(),
    allowLatest: z.boolean().default(false),
    replicas: z.number().default(APP_REPLICAS),
    containerPort: z.number().default(APP_CONTAINER_PORT),
    servicePort: z.number().default(APP_SERVICE_PORT),
    resources: z.strictObject({ requests: quantities.optional(), limits: quantities.optional() }).optional(),
    healthPath: z.string().default(APP_HEALTH_PATH),
    env: stringMap.default({}),
    writablePaths: z.array(z.string()).default([...APP_WRITABLE_PATHS]),
    runAsUser: z.number().optional(),
    imagePullSecrets: z.array(z.string()).default([]),
    labels: stringMap.default({}),
};

/** The whole of {@link AppArgs}. */
export const appArgsSpec = z.strictObject({
    ...appSettingsShape,
    name: z.string().optional(),
    namespace: input(z.string()).optional(),
    readinessProbe: probe.optional(),
    livenessProbe: probe.optional(),
    exposure: exposureSpec.default({ type: "clusterIP" }),
}) satisfies z.ZodType<unknown, AppArgs>;

/** The app of a review app: the App without namespace and exposure (both are the review app's). */
const reviewAppAppSpec = appArgsSpec.omit({ namespace: true, exposure: true });

const reviewLimits = z.strictObject({
    defaultRequest: quantities.optional(),
    default: quantities.optional(),
    max: quantities.optional(),
});

/** A review app's settings shared by every branch of a stack (`reviewApps` holds them once). */
export const reviewSharedShape = {
    domain: z.string(),
    route: reviewRouteSpec,
    quota: stringMap.optional(),
    containerLimits: reviewLimits.optional(),
};

/** The whole of {@link ReviewAppArgs}. */
export const reviewAppArgsSpec = z.strictObject({
    ...reviewSharedShape,
    branch: z.string(),
    app: reviewAppAppSpec,
    pullSecret: z
        .strictObject({ server: z.string(), username: input(z.string()), password: input(z.string()) })
        .optional(),
}) satisfies z.ZodType<unknown, ReviewAppArgs>;

/** Parsed App args: the constant defaults applied. */
export type AppSettings = z.output<typeof appArgsSpec>;

/** Applies the defaults that depend on the name, and merges the resources over theirs. Pure. */
export function resolveApp(name: string, s: Omit<AppSettings, "namespace">): ResolvedApp {
    return {
        ...s,
        name: s.name ?? name,
        resources: {
            requests: { ...APP_RESOURCES.requests, ...s.resources?.requests },
            limits: { ...APP_RESOURCES.limits, ...s.resources?.limits },
        },
    };
}

const HOST = /^(\*\.)?[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)+$/;

function isPort(n: number): boolean {
    return Number.isInteger(n) && n >= 1 && n <= 65535;
}

/** An app's namespace, when known: a DNS label (`Default` is not one). Pure. */
export function appNamespaceRules(namespace: unknown): Problem[] {
    return typeof namespace === "string" && !isDnsLabel(namespace)
        ? [
              {
                  path: "namespace",
                  message: `"${namespace}" is not a namespace name (expected a DNS label: lowercase letters, digits and '-', at most 63 characters)`,
              },
          ]
        : [];
}

/** The rules of a route's own settings (host excluded), paths below the route. Pure. */
function routeRules(e: AppExposure | ReviewRoute): Problem[] {
    if (e.type === "ingress" && !isDnsSubdomain(e.className))
        return [
            {
                path: "className",
                message: `"${e.className}" is not an IngressClass name (expected the name of an IngressClass a controller serves, e.g. nginx)`,
            },
        ];
    if (e.type === "httpRoute" && typeof e.gateway.name === "string" && !isDnsSubdomain(e.gateway.name))
        return [
            {
                path: "gateway.name",
                message: `"${e.gateway.name}" is not a Gateway name (expected a DNS name such as apps)`,
            },
        ];
    return [];
}

/** The rules of one resolved App; paths relative to the App (`resources.limits.memory`). Pure. */
export function appRules(r: ResolvedApp): Problem[] {
    const problems = validateImage(r.image, r.allowLatest);
    if (!isDns1035Label(r.name))
        problems.push({
            path: "name",
            message: `"${r.name}" is not a DNS-1035 label (expected a lowercase letter first, then letters, digits or "-", at most 63)`,
        });
    if (!Number.isInteger(r.replicas) || r.replicas < 0)
        problems.push({ path: "replicas", message: `${r.replicas} is not a whole number >= 0 (expected e.g. 2)` });
    if (!isPort(r.containerPort))
        problems.push({ path: "containerPort", message: `${r.containerPort} is not a port (expected 1-65535)` });
    if (!isPort(r.servicePort))
        problems.push({ path: "servicePort", message: `${r.servicePort} is not a port (expected 1-65535)` });
    if (!r.healthPath.startsWith("/"))
        problems.push({
            path: "healthPath",
            message: `"${r.healthPath}" is not an absolute path (expected e.g. "/healthz")`,
        });
    if (r.runAsUser !== undefined && (!Number.isInteger(r.runAsUser) || r.runAsUser < 1))
        problems.push({
            path: "runAsUser",
            message: `${r.runAsUser} is not a non-root UID (expected a whole number >= 1)`,
        });
    for (const p of r.writablePaths)
        if (!p.startsWith("/"))
            problems.push({ path: "writablePaths", message: `"${p}" is not an absolute path (expected e.g. "/tmp")` });
    problems.push(
        ...quantityProblems("resources.requests", r.resources.requests),
        ...quantityProblems("resources.limits", r.resources.limits),
    );
    const e = r.exposure;
    if ((e.type === "ingress" || e.type === "httpRoute") && !HOST.test(e.host))
        problems.push({
            path: "exposure.host",
            message: `"${e.host}" is not a DNS name (expected e.g. "app.example.com")`,
        });
    problems.push(...under("exposure", routeRules(e)));
    return problems;
}

/** Quota and limits with defaults applied. Pure. */
export function resolveReviewLimits(args: Pick<ReviewAppArgs, "quota" | "containerLimits">): {
    quota: Record<string, string>;
    limits: { defaultRequest: ContainerQuantities; default: ContainerQuantities; max: ContainerQuantities };
} {
    const l = args.containerLimits ?? {};
    return {
        quota: { ...REVIEW_QUOTA, ...args.quota },
        limits: {
            defaultRequest: { ...REVIEW_CONTAINER_LIMITS.defaultRequest, ...l.defaultRequest },
            default: { ...REVIEW_CONTAINER_LIMITS.default, ...l.default },
            max: { ...REVIEW_CONTAINER_LIMITS.max, ...l.max },
        },
    };
}

/** The host of a branch's review app: `<slug>.<domain>`. Pure. */
export function reviewHost(branch: string, domain: string): string {
    return `${reviewSlug(branch)}.${domain}`;
}

/**
 * The rules of one parsed review app, the App included (named `name` unless `app.name` is set); paths
 * relative to the review app (`branch`, `route.className`, `app.image`). Pure.
 */
export function reviewAppRules(args: z.output<typeof reviewAppArgsSpec>, name: string): Problem[] {
    const problems: Problem[] = [];
    if (args.branch.trim() === "")
        problems.push({ path: "branch", message: "is empty (expected the branch name, e.g. $CI_COMMIT_REF_NAME)" });
    if (!isDnsName(args.domain))
        problems.push({
            path: "domain",
            message: `"${args.domain}" is not a DNS name (expected e.g. "review.example.com")`,
        });
    const { quota, limits } = resolveReviewLimits(args);
    problems.push(...quantityProblems("quota", quota));
    for (const [kind, q] of Object.entries(limits)) problems.push(...quantityProblems(`containerLimits.${kind}`, q));
    problems.push(...under("route", routeRules(args.route)));
    // The route's own rules are reported once, at `route`; the host is the branch's and the domain's.
    const app = resolveApp(name, { ...args.app, exposure: { type: "clusterIP" } });
    problems.push(...under("app", appRules(app)));
    return problems;
}
