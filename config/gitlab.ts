import { z } from "zod";
import { GITLAB_SIZES } from "../components/defaults";
import { GITLAB_EDITIONS, GITLAB_ROUTINGS, validateGitLabSettings, type GitLabSettings } from "../components/gitlab/settings";

/**
 * Adds component validation problems (`a.b.c: message (expected ...)`) to a zod refinement, as issues at
 * that path below the refined object, so the config reader reports them like its own.
 */
export function addProblems(ctx: z.RefinementCtx, problems: readonly string[]): void {
    for (const problem of problems) {
        const at = problem.indexOf(": ");
        const field = problem.slice(0, at);
        ctx.addIssue({
            code: "custom",
            path: field.split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
            message: problem.slice(at + 2),
        });
    }
}

/** `gitlab.tls`: exactly one of the two (checked by the component's rules). */
const tlsSchema = z.strictObject({
    /** Let's Encrypt account e-mail for the chart's cert-manager. */
    certManagerIssuerEmail: z.string().optional(),
    /** An existing wildcard TLS Secret in the GitLab namespace. */
    secretName: z.string().optional(),
});

/**
 * The `gitlab` key: GitLab on Kubernetes with the official chart. Types here; the rules (domain, TLS
 * mode, names) are the component's own `validateGitLabSettings`, so both report the same message.
 */
export const gitlabSchema = z
    .strictObject({
        /** DNS domain: gitlab.<domain>, registry.<domain>, kas.<domain>. */
        domain: z.string(),
        tls: tlsSchema,
        edition: z.enum(GITLAB_EDITIONS).optional(),
        size: z.enum(GITLAB_SIZES).optional(),
        routing: z.enum(GITLAB_ROUTINGS).optional(),
        /** Apply the pinned Gateway API CRDs first (default true). */
        installGatewayApiCrds: z.boolean().optional(),
        externalIP: z.string().optional(),
        namespace: z.string().optional(),
        releaseName: z.string().optional(),
        /** The chart version to deploy (one of GITLAB_CHART_RELEASES); one required upgrade stop at a time. */
        chartVersion: z.string().optional(),
        /** The toolbox backup CronJob: on by default, five-field cron schedule, staging volume size. */
        backups: z
            .strictObject({
                enabled: z.boolean().optional(),
                schedule: z.string().optional(),
                volumeSize: z.string().optional(),
            })
            .optional(),
        /** Pulumi protect on the rails secrets (default true); false only right before removing GitLab. */
        protect: z.boolean().optional(),
        /** Chart values merged last; never credentials. */
        values: z.record(z.string(), z.unknown()).optional(),
    })
    .superRefine((settings, ctx) => addProblems(ctx, validateGitLabSettings(settings as GitLabSettings)));

export type GitLabConfig = z.output<typeof gitlabSchema>;
