/**
 * GitLab upgrades along the supported path, checked with the configuration: the chart version a stack
 * asks for against the GitLab version the same stack last deployed, which the stack records as its
 * `gitlabVersion` output and reads back through a StackReference to itself.
 */
import * as pulumi from "@pulumi/pulumi";
import { GITLAB_CHART_VERSION, RDS_POSTGRES_ENGINE_VERSION } from "../components/defaults";
import { upgradePathProblems, upgradePrerequisiteProblems } from "../components/gitlab/upgrade-path";
import type { Problem } from "../components/errors";

/** The stack output recording what GitLab deployed: `{ chart, gitlab }`. */
export const GITLAB_VERSION_OUTPUT = "gitlabVersion";

/**
 * Upgrade problems of the `gitlab` key: a skipped required stop, a downgrade, an unknown chart version, or
 * a PostgreSQL older than the release needs (known for `data.type: aws`, the stack's RDS major). Pure.
 */
export function gitlabUpgradeProblems(
    chartVersion: string | undefined,
    dataType: string | undefined,
    deployed: string | undefined,
): Problem[] {
    const target = chartVersion ?? GITLAB_CHART_VERSION;
    // An unknown version is reported by the gitlab key's own rules; here only the path and prerequisites.
    return [
        ...(chartVersion === undefined || upgradePathProblems(undefined, target).length === 0
            ? upgradePathProblems(deployed, target)
            : []),
        ...upgradePrerequisiteProblems(target, dataType === "aws" ? Number(RDS_POSTGRES_ENGINE_VERSION) : undefined),
    ];
}

/** The stack's organization; `organization`, the DIY backends' name for it, when the engine names none (mocks). */
function organization(): string {
    try {
        return pulumi.getOrganization();
    } catch {
        return "organization";
    }
}

/**
 * The GitLab version this stack last deployed, from its own last outputs (a StackReference to itself;
 * an empty stack has none). The read happens before the configuration is checked and before any resource
 * is declared, so a refused upgrade leaves the stack untouched.
 *
 * A first `up` does not fail on it: the engine reads a StackReference through its backend client's
 * `GetStackOutputs`, which errors only for a stack that does not exist ("unknown stack") and returns an
 * empty map when the stack's snapshot has no root `pulumi:pulumi:Stack` resource yet (read in
 * pulumi/pulumi `pkg/backend` `backendClient.GetStackOutputs`, the v2 source at hand). `pulumi up` runs on
 * a stack that exists (`pulumi stack init` created it), so the self-reference sees no outputs, and this
 * returns undefined. During the update the root resource keeps the previous run's outputs until the
 * program registers new ones at its end, so the read sees the last completed deployment. Offline, the
 * plan and simulate tests cover both cases (no record; a record) with mocked StackReference outputs; a
 * real backend was not at hand to run it.
 */
export async function readDeployedGitLabVersion(): Promise<string | undefined> {
    const self = new pulumi.StackReference(`${pulumi.getProject()}-deployed`, {
        name: `${organization()}/${pulumi.getProject()}/${pulumi.getStack()}`,
    });
    const details = await self.getOutputDetails(GITLAB_VERSION_OUTPUT);
    const recorded = details.value as { gitlab?: unknown } | undefined;
    return typeof recorded?.gitlab === "string" ? recorded.gitlab : undefined;
}
