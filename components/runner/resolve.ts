/**
 * Defaults and validation of {@link GitLabRunnerArgs}: pure, run before any child is declared.
 */
import {
    RUNNER_DEFAULT_ACCESS_LEVEL,
    RUNNER_DEFAULT_CONCURRENT,
    RUNNER_DEFAULT_JOB_IMAGE,
    RUNNER_DEFAULT_LOCKED,
    RUNNER_DEFAULT_RESOURCES,
    RUNNER_MIN_MAXIMUM_TIMEOUT_SECONDS,
    RUNNER_NAMESPACE_PREFIX,
} from "../defaults";
import { TOKEN_ROTATION_FLAG, type ContainerResources, type JobResources } from "./config-toml";
import type { GitLabRunnerArgs } from "./gitlab-runner";
import { isDnsLabel, parseQuantity } from "../validation";
import { RUNNER_ACCESS_LEVELS } from "../gitlab-api/user-runner";

/** {@link GitLabRunnerArgs} with every default applied. */
export interface ResolvedGitLabRunnerArgs extends Required<Omit<GitLabRunnerArgs, "maximumTimeout" | "cache" | "resources">> {
    maximumTimeout?: number;
    cache?: GitLabRunnerArgs["cache"];
    resources: JobResources;
    /** Helm release name (the component name). */
    releaseName: string;
    /** The manager's service account. */
    serviceAccountName: string;
}

/** Applies defaults once. `name` is the component name. */
export function resolveGitLabRunner(name: string, args: GitLabRunnerArgs): ResolvedGitLabRunnerArgs {
    const tags = args.tags ?? [];
    const res = args.resources ?? {};
    return {
        ...args,
        description: args.description ?? name,
        tags,
        runUntagged: args.runUntagged ?? tags.length === 0,
        locked: args.locked ?? RUNNER_DEFAULT_LOCKED,
        paused: args.paused ?? false,
        accessLevel: args.accessLevel ?? RUNNER_DEFAULT_ACCESS_LEVEL,
        namespace: args.namespace ?? `${RUNNER_NAMESPACE_PREFIX}${name}`,
        createNamespace: args.createNamespace ?? true,
        concurrent: args.concurrent ?? RUNNER_DEFAULT_CONCURRENT,
        jobImage: args.jobImage ?? RUNNER_DEFAULT_JOB_IMAGE,
        privileged: args.privileged ?? false,
        useRunnerNodePool: args.useRunnerNodePool ?? true,
        isolateJobs: args.isolateJobs ?? true,
        featureFlags: args.featureFlags ?? {},
        resources: {
            build: { ...RUNNER_DEFAULT_RESOURCES.build, ...res.build },
            helper: { ...RUNNER_DEFAULT_RESOURCES.helper, ...res.helper },
            service: { ...RUNNER_DEFAULT_RESOURCES.service, ...res.service },
        },
        releaseName: name,
        serviceAccountName: `${name}-gitlab-runner`,
    };
}


function checkResources(field: string, r: ContainerResources): string[] {
    const problems: string[] = [];
    for (const [key, value] of Object.entries(r)) {
        if (parseQuantity(value) === undefined) problems.push(`${field}.${key}: "${value}" is not a Kubernetes quantity (expected e.g. 500m, 2, 512Mi, 4Gi)`);
    }
    for (const kind of ["cpu", "memory"] as const) {
        const req = parseQuantity(r[`${kind}Request`]);
        const lim = parseQuantity(r[`${kind}Limit`]);
        if (req !== undefined && lim !== undefined && req > lim) problems.push(`${field}.${kind}Request: ${r[`${kind}Request`]} exceeds the limit ${r[`${kind}Limit`]} (expected request <= limit)`);
    }
    return problems;
}

/** Problems of resolved args, one `<field>: <what is wrong> (expected ...)` line each. */
export function validateGitLabRunner(args: ResolvedGitLabRunnerArgs): string[] {
    const problems: string[] = [];
    if (args.releaseName.length > 53 || !isDnsLabel(args.releaseName)) problems.push(`name: "${args.releaseName}" is not a Helm release name (expected a DNS label of at most 53 characters)`);
    if (!isDnsLabel(args.namespace)) problems.push(`namespace: "${args.namespace}" is not a namespace name (expected a DNS label of at most 63 characters)`);
    const scope = args.scope as { type: string; groupId?: unknown; projectId?: unknown };
    if (!["instance", "group", "project"].includes(scope.type)) problems.push(`scope.type: unknown value "${scope.type}" (expected "instance", "group" or "project")`);
    if (scope.type === "group" && scope.groupId === undefined) problems.push("scope.groupId: missing (expected the numeric id of the group the runner serves)");
    if (scope.type === "project" && scope.projectId === undefined) problems.push("scope.projectId: missing (expected the numeric id of the project the runner serves)");
    args.tags.forEach((t, i) => {
        if (t.trim() === "" || t.includes(",")) problems.push(`tags[${i}]: "${t}" (expected a non-empty tag without commas)`);
    });
    if (new Set(args.tags).size !== args.tags.length) problems.push("tags: a tag is listed twice (expected each tag once)");
    if (!args.runUntagged && args.tags.length === 0) problems.push("runUntagged: false without tags, the runner would never pick a job (expected tags, or runUntagged true)");
    if (!(RUNNER_ACCESS_LEVELS as readonly string[]).includes(args.accessLevel)) problems.push(`accessLevel: unknown value "${args.accessLevel}" (expected "not_protected" or "ref_protected")`);
    if (args.maximumTimeout !== undefined && !(Number.isInteger(args.maximumTimeout) && args.maximumTimeout >= RUNNER_MIN_MAXIMUM_TIMEOUT_SECONDS)) {
        problems.push(`maximumTimeout: ${args.maximumTimeout} (expected whole seconds, at least ${RUNNER_MIN_MAXIMUM_TIMEOUT_SECONDS})`);
    }
    if (!Number.isInteger(args.concurrent) || args.concurrent < 1) problems.push(`concurrent: ${args.concurrent} (expected a whole number of at least 1)`);
    // runners.config passes through Helm's `tpl`: template braces would be evaluated, spaces break the image.
    if (args.jobImage.trim() === "" || /\s|\{\{/.test(args.jobImage)) problems.push(`jobImage: "${args.jobImage}" (expected an image reference such as alpine:3.22)`);
    for (const kind of ["build", "helper", "service"] as const) problems.push(...checkResources(`resources.${kind}`, args.resources[kind]));
    for (const [flag, on] of Object.entries(args.featureFlags)) {
        if (!/^FF_[A-Z0-9_]+$/.test(flag)) problems.push(`featureFlags.${flag}: not a runner feature flag (expected FF_ followed by capitals, digits and _)`);
        if (flag === TOKEN_ROTATION_FLAG && !on) problems.push(`featureFlags.${flag}: false (expected true or unset: Pulumi owns the runner token, so the runner must not rotate it)`);
    }
    const cache = args.cache;
    if (cache?.type === "s3") {
        if (cache.region.trim() === "") problems.push("cache.region: empty (expected the bucket's region, e.g. eu-central-1)");
        if (cache.endpoint !== undefined && !/^[A-Za-z0-9.-]+(:\d+)?$/.test(cache.endpoint)) problems.push(`cache.endpoint: "${cache.endpoint}" (expected host[:port] without a scheme)`);
    }
    if (cache?.path !== undefined && !/^[A-Za-z0-9_./-]+$/.test(cache.path)) problems.push(`cache.path: "${cache.path}" (expected letters, digits, '.', '_', '-' and '/')`);
    return problems;
}

/** One runner declared in a stack, by component name. */
export interface RunnerDeclaration {
    name: string;
    args: GitLabRunnerArgs;
}

/** Several runners per stack: their release names must differ, and no namespace may be created twice. */
export function validateRunnerSet(runners: readonly RunnerDeclaration[]): string[] {
    const problems: string[] = [];
    const resolved = runners.map((r) => resolveGitLabRunner(r.name, r.args));
    const names = resolved.map((r) => r.releaseName);
    const dupNames = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
    if (dupNames.length > 0) problems.push(`runners: ${dupNames.join(", ")} declared twice (expected unique runner names)`);
    const created = resolved.filter((r) => r.createNamespace).map((r) => r.namespace);
    const dupNs = [...new Set(created.filter((n, i) => created.indexOf(n) !== i))];
    if (dupNs.length > 0) problems.push(`runners: namespace ${dupNs.join(", ")} created by several runners (expected createNamespace: true on one of them only)`);
    // Pod Security admission is per namespace: a privileged runner cannot share one with an unprivileged runner.
    for (const ns of new Set(resolved.map((r) => r.namespace))) {
        const modes = new Set(resolved.filter((r) => r.namespace === ns).map((r) => r.privileged));
        if (modes.size > 1) problems.push(`runners: namespace ${ns} mixes privileged and unprivileged runners (expected a namespace of its own for the privileged runner)`);
    }
    return problems;
}
