/**
 * The toolbox's scheduled backup: `backup-utility` as a CronJob, writing the database dump, the
 * repositories and the object-storage buckets GitLab backs up to the backups bucket
 * (`global.appConfig.backups.bucket`) through the toolbox's service account (IRSA on AWS) or the s3cmd
 * file. Keys checked against chart 9.10.0 (`charts/gitlab/charts/toolbox/values.yaml`,
 * `backups.cron.*`). Pure: settings in, chart values out.
 * @see https://docs.gitlab.com/charts/backup-restore/backup/#cron-based-backup
 */
import { z } from "zod";
import { GITLAB_BACKUP_SCHEDULE, GITLAB_BACKUP_VOLUME_SIZE } from "../defaults";
import { parseQuantity } from "../internal/validation";
import type { Problem } from "../errors";

/** GitLab's scheduled backup. */
export interface GitLabBackupArgs {
    /**
     * Whether the toolbox backup CronJob runs. Off only for throwaway stacks: the policy pack refuses a
     * GitLab without it.
     * @default true
     */
    enabled?: boolean;
    /**
     * When it runs: a five-field cron expression in the cluster's time zone.
     * @default "0 1 * * *" ({@link GITLAB_BACKUP_SCHEDULE})
     */
    schedule?: string;
    /**
     * The backup job's staging volume (a generic ephemeral volume from the default StorageClass): at least
     * the size of the repositories plus the tarball.
     * @default "100Gi" ({@link GITLAB_BACKUP_VOLUME_SIZE})
     */
    volumeSize?: string;
}

/** The spec of {@link GitLabBackupArgs}: shapes and defaults, once; absent means every default. */
export const gitlabBackupsSpec = z
    .strictObject({
        enabled: z.boolean().default(true),
        schedule: z.string().default(GITLAB_BACKUP_SCHEDULE),
        volumeSize: z.string().default(GITLAB_BACKUP_VOLUME_SIZE),
    })
    .prefault({}) satisfies z.ZodType<unknown, GitLabBackupArgs | undefined>;

/** {@link GitLabBackupArgs} with defaults applied. */
export type ResolvedGitLabBackups = z.output<typeof gitlabBackupsSpec>;

/** A five-field cron expression (minute hour day-of-month month day-of-week), as Kubernetes CronJobs take. */
const CRON = /^(\S+\s+){4}\S+$/;

/** Problems of the settings, `backups.<field>: ...`. Pure. */
export function validateGitLabBackups(b: GitLabBackupArgs | undefined): Problem[] {
    const problems: Problem[] = [];
    if (b?.schedule !== undefined && !CRON.test(b.schedule.trim())) {
        problems.push({
            path: "backups.schedule",
            message: "not a cron expression (expected five fields, e.g. 0 1 * * * for 01:00 daily)",
        });
    }
    if (b?.volumeSize !== undefined && !((parseQuantity(b.volumeSize) ?? 0) > 0)) {
        problems.push({ path: "backups.volumeSize", message: "not a storage quantity (expected e.g. 100Gi)" });
    }
    return problems;
}

/** The `gitlab.toolbox.backups.cron` values. Pure. */
export function buildBackupCronValues(b: ResolvedGitLabBackups): Record<string, unknown> {
    return {
        enabled: b.enabled,
        schedule: b.schedule,
        // A generic ephemeral volume: the staged repositories outgrow the node's disk, and the volume goes with the pod.
        persistence: { enabled: true, useGenericEphemeralVolume: true, size: b.volumeSize },
    };
}
