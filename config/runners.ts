import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { GitLabRunnerArgs } from "../components/runner/gitlab-runner";
import { resolveGitLabRunner, validateGitLabRunner, validateRunnerSet } from "../components/runner/resolve";
import { addProblems } from "./gitlab";

const resources = z.strictObject({
    cpuRequest: z.string().optional(),
    cpuLimit: z.string().optional(),
    memoryRequest: z.string().optional(),
    memoryLimit: z.string().optional(),
});

const runnerSchema = z.strictObject({
    /** Names the release, namespace and runner; a DNS label. */
    name: z.string(),
    scope: z.discriminatedUnion("type", [
        z.strictObject({ type: z.literal("instance") }),
        z.strictObject({ type: z.literal("group"), groupId: z.number() }),
        z.strictObject({ type: z.literal("project"), projectId: z.number() }),
    ]),
    description: z.string().optional(),
    tags: z.array(z.string()).optional(),
    runUntagged: z.boolean().optional(),
    locked: z.boolean().optional(),
    paused: z.boolean().optional(),
    accessLevel: z.enum(["not_protected", "ref_protected"]).optional(),
    maximumTimeout: z.number().optional(),
    namespace: z.string().optional(),
    createNamespace: z.boolean().optional(),
    concurrent: z.number().optional(),
    jobImage: z.string().optional(),
    privileged: z.boolean().optional(),
    resources: z.strictObject({ build: resources.optional(), helper: resources.optional(), service: resources.optional() }).optional(),
    useRunnerNodePool: z.boolean().optional(),
    /** NetworkPolicy fencing job pods in (no private ranges, no metadata service); default true. */
    isolateJobs: z.boolean().optional(),
    /** Job cache in S3 through the manager's IAM role (IRSA; `roleArn` annotates its service account). */
    cache: z
        .strictObject({
            type: z.literal("s3"),
            bucket: z.string(),
            region: z.string(),
            endpoint: z.string().optional(),
            path: z.string().optional(),
            roleArn: z.string().optional(),
        })
        .optional(),
    featureFlags: z.record(z.string(), z.boolean()).optional(),
});

export type RunnerConfig = z.output<typeof runnerSchema>;

/** Turns one configured runner into component args (the GitLab URL comes from the stack). */
export function runnerArgs(r: RunnerConfig, gitlabUrl: pulumi.Input<string>): GitLabRunnerArgs {
    const { name: _name, cache, ...rest } = r;
    return {
        ...rest,
        gitlabUrl,
        ...(cache ? { cache: { type: "s3", bucket: cache.bucket, region: cache.region, endpoint: cache.endpoint, path: cache.path, auth: { type: "iamRole", roleArn: cache.roleArn } } } : {}),
    };
}

/**
 * The `runners` key: GitLab runners on this cluster, each with its own token, Secret and release.
 * Types here; the rules are the component's `validateGitLabRunner` and `validateRunnerSet`.
 */
export const runnersSchema = z.array(runnerSchema).superRefine((runners, ctx) => {
    runners.forEach((r, i) => addProblems(ctx, validateGitLabRunner(resolveGitLabRunner(r.name, runnerArgs(r, "https://unset"))).map((p) => `${i}.${p}`)));
    const set = validateRunnerSet(runners.map((r) => ({ name: r.name, args: runnerArgs(r, "https://unset") })));
    for (const p of set) ctx.addIssue({ code: "custom", path: [], message: p.replace(/^runners: /, "") });
});
