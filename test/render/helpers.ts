/** Shared setup of the render tests: the chart cache and a small plan around one gitlab-runner release. */
import * as fs from "node:fs";
import * as path from "node:path";
import type { PlannedResource } from "../../tools/plan/engine";
import type { Plan } from "../../tools/plan/format";

/**
 * `GITLAB_PLATFORM_CHART_CACHE`, or `../shared/charts` beside the repository (what .ci/run sets). Undefined
 * inside a pipeline job (`GITLAB_CI`) that has no chart cache: .ci/run already ran these tests on the host,
 * and the job's checkout is a copy elsewhere. Anywhere else a missing cache is an error, never a silent pass.
 */
export function chartCache(): string | undefined {
    const dir = path.resolve(
        process.env.GITLAB_PLATFORM_CHART_CACHE ?? path.join(__dirname, "..", "..", "..", "shared", "charts"),
    );
    if (fs.existsSync(dir)) return dir;
    if (process.env.GITLAB_CI) return undefined;
    throw new Error(
        `render tests need the upstream chart packages: set GITLAB_PLATFORM_CHART_CACHE (not found: ${dir})`,
    );
}

function resource(type: string, name: string, inputs: Record<string, unknown>): PlannedResource {
    return {
        urn: `urn:pulumi:t::p::${type}::${name}`,
        type,
        name,
        custom: true,
        parent: null,
        provider: null,
        dependsOn: [],
        protect: false,
        inputs,
    };
}

export interface RunnerPlanOptions {
    /** Enforced Pod Security level of the runner namespace (the runner component uses baseline). */
    level?: string;
    /** Keys of the runner token Secret; undefined removes the Secret from the plan. */
    secretKeys?: string[] | undefined;
    /** Extra chart values merged at the top. */
    values?: Record<string, unknown>;
    chartVersion?: string;
}

/** A plan with a namespace, the runner token Secret and a gitlab-runner release, like the runner component's. */
export function runnerPlan(opts: RunnerPlanOptions = {}): Plan {
    const ns = "gitlab-runner-general";
    const keys = "secretKeys" in opts ? opts.secretKeys : ["runner-token", "runner-registration-token"];
    const resources: PlannedResource[] = [
        resource("kubernetes:core/v1:Namespace", "ns", {
            metadata: { name: ns, labels: { "pod-security.kubernetes.io/enforce": opts.level ?? "baseline" } },
        }),
        ...(keys
            ? [
                  resource("kubernetes:core/v1:Secret", "token", {
                      metadata: { name: "general-runner-token", namespace: ns },
                      stringData: Object.fromEntries(keys.map((k) => [k, "[secret]"])),
                  }),
              ]
            : []),
        resource("kubernetes:helm.sh/v3:Release", "general-release", {
            chart: "gitlab-runner",
            version: opts.chartVersion ?? "0.86.0",
            repositoryOpts: { repo: "https://charts.gitlab.io/" },
            name: "general",
            namespace: ns,
            values: {
                gitlabUrl: "https://gitlab.example.com",
                runners: {
                    secret: "general-runner-token",
                    config: '[[runners]]\nexecutor = "kubernetes"\n[runners.kubernetes]\nnamespace = "gitlab-runner-general"\n',
                },
                ...opts.values,
            },
        }),
    ];
    return { version: 1, project: "p", stack: "t", resources, outputs: { kubernetesVersion: "1.34" } };
}
