/**
 * The runner's spec: every setting of {@link GitLabRunnerArgs} once, with its shape and default (the zod
 * schema), and its rules ({@link runnerRules}, returning {@link Problem}s). The documentation is the
 * JSDoc of `GitLabRunnerArgs`; the compiler proves the schema and the interface agree (see `satisfies`).
 * The stack spec (config/stack.ts) picks these settings for `runners[]`; the component parses its args
 * with the same schema. A runner's `concurrent`: defaulted here, read by {@link buildRunnerValues}.
 */
import { z } from "zod";
import {
    RUNNER_DEFAULT_ACCESS_LEVEL,
    RUNNER_DEFAULT_CONCURRENT,
    RUNNER_DEFAULT_JOB_IMAGE,
    RUNNER_DEFAULT_LOCKED,
    RUNNER_DEFAULT_RESOURCES,
    RUNNER_MIN_MAXIMUM_TIMEOUT_SECONDS,
    RUNNER_NAMESPACE_PREFIX,
} from "../defaults";
import type { Problem } from "../errors";
import { RUNNER_ACCESS_LEVELS } from "../gitlab-api/user-runner";
import { input } from "../internal/spec-kit";
import { isDnsLabel, parseResourceQuantity, quantityProblems } from "../internal/validation";
import { TOKEN_ROTATION_FLAG, type ContainerResources, type JobResources } from "./config-toml";
import type { GitLabRunnerArgs, RunnerCacheArgs } from "./gitlab-runner";

const containerResources = z.strictObject({
    cpuRequest: z.string().optional(),
    cpuLimit: z.string().optional(),
    memoryRequest: z.string().optional(),
    memoryLimit: z.string().optional(),
});

const scope = z.discriminatedUnion("type", [
    z.strictObject({ type: z.literal("instance") }),
    z.strictObject({ type: z.literal("group"), groupId: input(z.number()) }),
    z.strictObject({ type: z.literal("project"), projectId: input(z.number()) }),
]);

/** `https://host[:port][/path]` (or http for a lab): the scheme is required, GitLab Runner needs it. */
const gitlabUrl = z.string().regex(/^https?:\/\/[^\s/:]+(:\d+)?(\/[^\s]*)?$/, {
    message: "not a GitLab URL (expected https://<host>/, with the scheme)",
});

/**
 * The settings a stack file can hold for one runner: everything but where it registers (`gitlabUrl`)
 * and the cache (whose credentials are not plain values). Constant defaults are applied here.
 */
export const runnerSettingsSpec = z.strictObject({
    scope,
    description: z.string().optional(),
    tags: z.array(z.string()).default([]),
    runUntagged: z.boolean().optional(),
    locked: z.boolean().default(RUNNER_DEFAULT_LOCKED),
    paused: z.boolean().default(false),
    accessLevel: z.enum(RUNNER_ACCESS_LEVELS).default(RUNNER_DEFAULT_ACCESS_LEVEL),
    maximumTimeout: z.number().optional(),
    namespace: z.string().optional(),
    createNamespace: z.boolean().default(true),
    concurrent: z.number().default(RUNNER_DEFAULT_CONCURRENT),
    jobImage: z.string().default(RUNNER_DEFAULT_JOB_IMAGE),
    privileged: z.boolean().default(false),
    resources: z
        .strictObject({
            build: containerResources.optional(),
            helper: containerResources.optional(),
            service: containerResources.optional(),
        })
        .optional(),
    useRunnerNodePool: z.boolean().default(true),
    isolateJobs: z.boolean().default(true),
    featureFlags: z.record(z.string(), z.boolean()).default({}),
}) satisfies z.ZodType<unknown, Omit<GitLabRunnerArgs, "gitlabUrl" | "cache">>;

/** The component's whole args: the settings, where it registers, and the cache (checked by the rules). */
export const runnerArgsSpec = runnerSettingsSpec.extend({
    gitlabUrl: input(gitlabUrl),
    cache: z
        .custom<RunnerCacheArgs>((v) => typeof v === "object" && v !== null && "type" in v, {
            message: "not a cache (expected {type: s3, ...} or {type: gcs, ...})",
        })
        .optional(),
}) satisfies z.ZodType<unknown, GitLabRunnerArgs>;

/** Settings with every default applied: the constants by the schema, the name-derived ones by {@link resolveRunner}. */
export type ResolvedRunner = Omit<
    z.output<typeof runnerSettingsSpec>,
    "description" | "runUntagged" | "namespace" | "resources"
> & {
    description: string;
    runUntagged: boolean;
    namespace: string;
    resources: JobResources;
    /** Helm release name (the component name). */
    releaseName: string;
    /** The manager's service account. */
    serviceAccountName: string;
    cache?: RunnerCacheArgs;
};

/** Applies the defaults that depend on the runner's name or other settings. Pure. */
export function resolveRunner(
    name: string,
    s: z.output<typeof runnerSettingsSpec> & { cache?: RunnerCacheArgs },
): ResolvedRunner {
    const res = s.resources ?? {};
    return {
        ...s,
        description: s.description ?? name,
        runUntagged: s.runUntagged ?? s.tags.length === 0,
        namespace: s.namespace ?? `${RUNNER_NAMESPACE_PREFIX}${name}`,
        resources: {
            build: { ...RUNNER_DEFAULT_RESOURCES.build, ...res.build },
            helper: { ...RUNNER_DEFAULT_RESOURCES.helper, ...res.helper },
            service: { ...RUNNER_DEFAULT_RESOURCES.service, ...res.service },
        },
        releaseName: name,
        serviceAccountName: `${name}-gitlab-runner`,
    };
}

function resourceProblems(field: string, r: ContainerResources): Problem[] {
    const problems = quantityProblems(field, r);
    for (const kind of ["cpu", "memory"] as const) {
        const req = parseResourceQuantity(r[`${kind}Request`]);
        const lim = parseResourceQuantity(r[`${kind}Limit`]);
        if (req !== undefined && lim !== undefined && req > lim) {
            problems.push({
                path: `${field}.${kind}Request`,
                message: `${r[`${kind}Request`]} exceeds the limit ${r[`${kind}Limit`]} (expected request <= limit)`,
            });
        }
    }
    return problems;
}

/** The rules of one resolved runner; paths relative to the runner (`tags[1]`, `resources.build.cpuLimit`). Pure. */
export function runnerRules(r: ResolvedRunner): Problem[] {
    const problems: Problem[] = [];
    if (r.releaseName.length > 53 || !isDnsLabel(r.releaseName))
        problems.push({
            path: "name",
            message: `"${r.releaseName}" is not a Helm release name (expected a DNS label of at most 53 characters)`,
        });
    if (!isDnsLabel(r.namespace))
        problems.push({
            path: "namespace",
            message: `"${r.namespace}" is not a namespace name (expected a DNS label of at most 63 characters)`,
        });
    r.tags.forEach((t, i) => {
        if (t.trim() === "" || t.includes(","))
            problems.push({ path: `tags[${i}]`, message: `"${t}" (expected a non-empty tag without commas)` });
    });
    if (new Set(r.tags).size !== r.tags.length)
        problems.push({ path: "tags", message: "a tag is listed twice (expected each tag once)" });
    if (!r.runUntagged && r.tags.length === 0)
        problems.push({
            path: "runUntagged",
            message: "false without tags, the runner would never pick a job (expected tags, or runUntagged true)",
        });
    if (
        r.maximumTimeout !== undefined &&
        !(Number.isInteger(r.maximumTimeout) && r.maximumTimeout >= RUNNER_MIN_MAXIMUM_TIMEOUT_SECONDS)
    ) {
        problems.push({
            path: "maximumTimeout",
            message: `${r.maximumTimeout} (expected whole seconds, at least ${RUNNER_MIN_MAXIMUM_TIMEOUT_SECONDS})`,
        });
    }
    if (!Number.isInteger(r.concurrent) || r.concurrent < 1)
        problems.push({ path: "concurrent", message: `${r.concurrent} (expected a whole number of at least 1)` });
    // runners.config passes through Helm's `tpl`: template braces would be evaluated, spaces break the image.
    if (r.jobImage.trim() === "" || /\s|\{\{/.test(r.jobImage))
        problems.push({
            path: "jobImage",
            message: `"${r.jobImage}" (expected an image reference such as alpine:3.22)`,
        });
    for (const kind of ["build", "helper", "service"] as const)
        problems.push(...resourceProblems(`resources.${kind}`, r.resources[kind]));
    for (const [flag, on] of Object.entries(r.featureFlags)) {
        if (!/^FF_[A-Z0-9_]+$/.test(flag))
            problems.push({
                path: `featureFlags.${flag}`,
                message: "not a runner feature flag (expected FF_ followed by capitals, digits and _)",
            });
        if (flag === TOKEN_ROTATION_FLAG && !on)
            problems.push({
                path: `featureFlags.${flag}`,
                message:
                    "false (expected true or unset: Pulumi owns the runner token, so the runner must not rotate it)",
            });
    }
    const cache = r.cache;
    if (cache?.type === "s3") {
        if (cache.region.trim() === "")
            problems.push({ path: "cache.region", message: "empty (expected the bucket's region, e.g. eu-central-1)" });
        if (cache.endpoint !== undefined && !/^[A-Za-z0-9.-]+(:\d+)?$/.test(cache.endpoint))
            problems.push({
                path: "cache.endpoint",
                message: `"${cache.endpoint}" (expected host[:port] without a scheme)`,
            });
    }
    if (cache?.path !== undefined && !/^[A-Za-z0-9_./-]+$/.test(cache.path))
        problems.push({
            path: "cache.path",
            message: `"${cache.path}" (expected letters, digits, '.', '_', '-' and '/')`,
        });
    return problems;
}

/**
 * Rules across the runners of one stack, as `[i]`-relative problems: release names differ, no
 * namespace is created twice, and a privileged runner never shares a namespace (Pod Security
 * admission is per namespace). Pure.
 */
export function runnerSetRules(runners: readonly ResolvedRunner[]): Problem[] {
    const problems: Problem[] = [];
    runners.forEach((r, i) => {
        const first = runners.findIndex((o) => o.releaseName === r.releaseName);
        if (first < i)
            problems.push({
                path: `[${i}].name`,
                message: `"${r.releaseName}" is also runner [${first}]'s name (expected unique runner names)`,
            });
        const creator = runners.findIndex((o) => o.createNamespace && o.namespace === r.namespace);
        if (r.createNamespace && creator < i) {
            problems.push({
                path: `[${i}].namespace`,
                message: `${r.namespace} is also created by runner [${creator}] (expected createNamespace: true on one of them only)`,
            });
        }
        const other = runners.findIndex((o) => o.namespace === r.namespace && o.privileged !== r.privileged);
        if (r.privileged && other >= 0) {
            problems.push({
                path: `[${i}].namespace`,
                message: `${r.namespace} is shared with the unprivileged runner [${other}] (expected a namespace of its own for the privileged runner)`,
            });
        }
    });
    return problems;
}
