/**
 * The `runners` key: GitLab runners on this cluster, each with its own token, Secret and release. Picked
 * from the runner's spec (components/runner/spec.ts), plus the runner's name and the stack's cache form.
 */
import { z } from "zod";
import { under, type Problem } from "../components/errors";
import type { RunnerCacheArgs } from "../components/runner/gitlab-runner";
import { resolveRunner, runnerRules, runnerSetRules, runnerSettingsSpec } from "../components/runner/spec";

/** Job cache in S3 through the manager's IAM role (IRSA; `roleArn` annotates its service account). */
const stackCache = z
    .strictObject({
        type: z.literal("s3"),
        bucket: z.string(),
        region: z.string(),
        endpoint: z.string().optional(),
        path: z.string().optional(),
        roleArn: z.string().optional(),
    })
    .transform(({ roleArn, ...c }): RunnerCacheArgs => ({
        ...c,
        auth: roleArn !== undefined ? { type: "iamRole", roleArn } : { type: "iamRole" },
    }));

const runnerEntry = runnerSettingsSpec.extend({
    /** Names the release, namespace and runner; a DNS label. */
    name: z.string(),
    cache: stackCache.optional(),
});

export const runnersSchema = z.array(runnerEntry);

export type RunnerConfig = z.output<typeof runnerEntry>;

/** Each runner's rules and the set's, paths below `runners`. */
export function runnersRules(runners: readonly RunnerConfig[]): Problem[] {
    const resolved = runners.map(({ name, ...settings }) => resolveRunner(name, settings));
    return [...resolved.flatMap((r, i) => under(`[${i}]`, runnerRules(r))), ...runnerSetRules(resolved)];
}
