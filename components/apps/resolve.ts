/**
 * Defaults and validation of App and ReviewApp, pure: `resolveXxx(args)` applies every default once,
 * `validateXxx(resolved)` returns one `<field>: <problem> (expected ...)` message per problem.
 */
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
import type { AppArgs } from "./app";
import { validateImage } from "./image";
import type { AppExposure, ResolvedApp } from "./manifests";
import { reviewSlug } from "./naming";
import type { ContainerQuantities, ReviewAppArgs } from "./review-app";
import { isDns1035Label, isDnsLabel, isDnsName, quantityProblems } from "../internal/validation";
import { type Problem, under } from "../errors";

const HOST = /^(\*\.)?[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)+$/;

/** Applies the defaults of {@link AppArgs} (all but the namespace). Pure. */
export function resolveApp(name: string, args: AppArgs): ResolvedApp {
    return {
        name: args.name ?? name,
        image: args.image,
        allowLatest: args.allowLatest ?? false,
        replicas: args.replicas ?? APP_REPLICAS,
        containerPort: args.containerPort ?? APP_CONTAINER_PORT,
        servicePort: args.servicePort ?? APP_SERVICE_PORT,
        resources: {
            requests: { ...APP_RESOURCES.requests, ...args.resources?.requests },
            limits: { ...APP_RESOURCES.limits, ...args.resources?.limits },
        },
        healthPath: args.healthPath ?? APP_HEALTH_PATH,
        readinessProbe: args.readinessProbe,
        livenessProbe: args.livenessProbe,
        env: args.env ?? {},
        writablePaths: args.writablePaths ?? [...APP_WRITABLE_PATHS],
        runAsUser: args.runAsUser,
        imagePullSecrets: args.imagePullSecrets ?? [],
        labels: args.labels ?? {},
        exposure: args.exposure ?? { type: "clusterIP" },
    };
}

function isPort(n: number): boolean {
    return Number.isInteger(n) && n >= 1 && n <= 65535;
}

/** An app's namespace, when known: a DNS label (`Default` is not one). Pure. */
export function validateAppNamespace(namespace: unknown): Problem[] {
    return typeof namespace === "string" && !isDnsLabel(namespace)
        ? [
              {
                  path: "namespace",
                  message: `"${namespace}" is not a namespace name (expected a DNS label: lowercase letters, digits and '-', at most 63 characters)`,
              },
          ]
        : [];
}

/** Checks {@link AppArgs} with defaults applied; one message per problem. Pure. */
export function validateApp(r: ResolvedApp): Problem[] {
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

/** Checks {@link ReviewAppArgs}, the App included (named `name` unless `app.name` is set); one message per problem. Pure. */
export function validateReviewApp(args: ReviewAppArgs, name: string): Problem[] {
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
    const host = `${reviewSlug(args.branch)}.${args.domain}`;
    const app = resolveApp(name, {
        ...args.app,
        exposure: { ...(args.route ?? { type: "ingress" }), host } as AppExposure,
    });
    problems.push(...under("app", validateApp(app)));
    return problems;
}
