/**
 * The `apps` and `reviewApps` keys. Shapes here (checked against the components' args by `satisfies`);
 * the rules are the components' `validateApp` / `validateReviewApp`, plus the ones across entries:
 * one component name once (else one URN twice), one review slug per branch.
 */
import { z } from "zod";
import type { AppArgs } from "../components/apps/app";
import { reviewSlug } from "../components/apps/naming";
import { resolveApp, validateApp, validateAppNamespace, validateReviewApp } from "../components/apps/resolve";
import type { ReviewAppArgs } from "../components/apps/review-app";
import { under, type Problem } from "../components/errors";

const quantities = z.strictObject({ cpu: z.string().optional(), memory: z.string().optional() });

const exposureSchema = z.discriminatedUnion("type", [
    z.strictObject({ type: z.literal("clusterIP") }),
    z.strictObject({ type: z.literal("loadBalancer"), annotations: z.record(z.string(), z.string()).optional() }),
    z.strictObject({
        type: z.literal("ingress"),
        host: z.string(),
        className: z.string().optional(),
        tlsSecretName: z.string().optional(),
        annotations: z.record(z.string(), z.string()).optional(),
    }),
    z.strictObject({
        type: z.literal("httpRoute"),
        host: z.string(),
        gateway: z.strictObject({
            name: z.string(),
            namespace: z.string().optional(),
            sectionName: z.string().optional(),
        }),
    }),
]);

const appFields = {
    image: z.string(),
    allowLatest: z.boolean().optional(),
    replicas: z.number().optional(),
    containerPort: z.number().optional(),
    servicePort: z.number().optional(),
    resources: z.strictObject({ requests: quantities.optional(), limits: quantities.optional() }).optional(),
    healthPath: z.string().optional(),
    env: z.record(z.string(), z.string()).optional(),
    writablePaths: z.array(z.string()).optional(),
    runAsUser: z.number().optional(),
    imagePullSecrets: z.array(z.string()).optional(),
    labels: z.record(z.string(), z.string()).optional(),
};

const appSchema = z.strictObject({
    name: z.string(),
    namespace: z.string().optional(),
    exposure: exposureSchema.optional(),
    ...appFields,
}) satisfies z.ZodType<unknown, AppArgs>;

export const appsSchema = z.array(appSchema);

const routeSchema = z.discriminatedUnion("type", [
    z.strictObject({
        type: z.literal("ingress"),
        className: z.string().optional(),
        tlsSecretName: z.string().optional(),
        annotations: z.record(z.string(), z.string()).optional(),
    }),
    z.strictObject({
        type: z.literal("httpRoute"),
        gateway: z.strictObject({
            name: z.string(),
            namespace: z.string().optional(),
            sectionName: z.string().optional(),
        }),
    }),
]);

const reviewShared = {
    domain: z.string(),
    route: routeSchema.optional(),
    quota: z.record(z.string(), z.string()).optional(),
    containerLimits: z
        .strictObject({
            defaultRequest: quantities.optional(),
            default: quantities.optional(),
            max: quantities.optional(),
        })
        .optional(),
};

// The compiler's proof that the stack's review-app fields are ReviewApp's (the app is one entry of `apps`).
z.strictObject({ branch: z.string(), ...reviewShared, app: z.strictObject(appFields) }) satisfies z.ZodType<
    unknown,
    ReviewAppArgs
>;

export const reviewAppsSchema = z.strictObject({
    ...reviewShared,
    apps: z.array(z.strictObject({ branch: z.string(), ...appFields })),
});

export type AppsConfig = z.output<typeof appsSchema>;
export type ReviewAppsConfig = z.output<typeof reviewAppsSchema>;

/** Each app's rules, and one name per app; paths below `apps`. */
export function appsRules(apps: AppsConfig): Problem[] {
    const problems = apps.flatMap((app, i) =>
        under(`[${i}]`, [...validateAppNamespace(app.namespace), ...validateApp(resolveApp(app.name, app))]),
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

/** ReviewApp component arguments for each configured branch. */
export function reviewAppArgs(review: ReviewAppsConfig): ReviewAppArgs[] {
    return review.apps.map(({ branch, ...app }) => ({
        branch,
        domain: review.domain,
        app,
        ...(review.route ? { route: review.route } : {}),
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
        for (const p of validateReviewApp(a, reviewAppName(a.branch))) {
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
