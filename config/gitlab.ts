/**
 * The `gitlab` key: GitLab on Kubernetes with the official chart. Shape here, checked against the
 * component's settings by `satisfies`; the rules (domain, TLS mode, names) are the component's own
 * `validateGitLabSettings`, so both report the same message.
 */
import { z } from "zod";
import { GITLAB_SIZES } from "../components/defaults";
import { GITLAB_EDITIONS, GITLAB_ROUTINGS, type GitLabSettings } from "../components/gitlab/settings";

/** `gitlab.tls`: exactly one of the two (checked by the component's rules). */
const tlsSchema = z.strictObject({
    /** Let's Encrypt account e-mail for the chart's cert-manager. */
    certManagerIssuerEmail: z.string().optional(),
    /** An existing wildcard TLS Secret in the GitLab namespace. */
    secretName: z.string().optional(),
});

export const gitlabSchema = z.strictObject({
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
}) satisfies z.ZodType<GitLabSettings, GitLabSettings>;
