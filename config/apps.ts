import type { ReviewAppArgs } from "../components/apps/review-app";
import { z } from "zod";
import { resolveApp, validateApp, validateReviewApp } from "../components/apps/resolve";
import { addProblems } from "./gitlab";

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
        gateway: z.strictObject({ name: z.string(), namespace: z.string().optional(), sectionName: z.string().optional() }),
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

const appSchema = z.strictObject({ name: z.string(), namespace: z.string().optional(), exposure: exposureSchema.optional(), ...appFields });

/** The `apps` key: long-lived apps (Deployment + Service). Rules are the component's `validateApp`. */
export const appsSchema = z.array(appSchema).superRefine((apps, ctx) => {
    apps.forEach((app, i) => addProblems(ctx, validateApp(resolveApp(app.name, app)).map((p) => `${i}.${p}`)));
});

const routeSchema = z.discriminatedUnion("type", [
    z.strictObject({ type: z.literal("ingress"), className: z.string().optional(), tlsSecretName: z.string().optional(), annotations: z.record(z.string(), z.string()).optional() }),
    z.strictObject({
        type: z.literal("httpRoute"),
        gateway: z.strictObject({ name: z.string(), namespace: z.string().optional(), sectionName: z.string().optional() }),
    }),
]);

/** The `reviewApps` key: review apps declared from a stack (per-branch CI stacks use templates/). */
export const reviewAppsSchema = z
    .strictObject({
        domain: z.string(),
        route: routeSchema.optional(),
        quota: z.record(z.string(), z.string()).optional(),
        containerLimits: z
            .strictObject({ defaultRequest: quantities.optional(), default: quantities.optional(), max: quantities.optional() })
            .optional(),
        apps: z.array(z.strictObject({ branch: z.string(), ...appFields })),
    })
    .superRefine((review, ctx) => {
        review.apps.forEach(({ branch, ...app }, i) => {
            const args = { branch, domain: review.domain, route: review.route, quota: review.quota, containerLimits: review.containerLimits, app };
            // The component names app fields `app.<field>` and the branch `branch`; both belong to apps[i] here.
            const problems = validateReviewApp(args as Parameters<typeof validateReviewApp>[0], `review-${i}`).map((p) =>
                p.startsWith("app.") ? `apps.${i}.${p.slice(4)}` : p.startsWith("branch:") ? `apps.${i}.${p}` : p,
            );
            addProblems(ctx, problems);
        });
    });

export type AppsConfig = z.output<typeof appsSchema>;
export type ReviewAppsConfig = z.output<typeof reviewAppsSchema>;

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
