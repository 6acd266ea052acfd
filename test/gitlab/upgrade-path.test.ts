import { strict as assert } from "node:assert";
import type * as pulumi from "@pulumi/pulumi";
import { ConfigError, checkGitLabUpgrade } from "../../config";
import { gitlabUpgradeProblems as gitlabUpgradeProblemsProblems } from "../../config/upgrade";
import { GITLAB_CHART_RELEASES, GITLAB_CHART_VERSION } from "../../components/defaults";
import {
    parseVersion,
    requiredStops,
    upgradePathProblems as upgradePathProblemsProblems,
    upgradePrerequisiteProblems as upgradePrerequisiteProblemsProblems,
} from "../../components/gitlab/upgrade-path";
import { recordProgram } from "../../tools/plan/engine";
import { readStackConfig } from "../../tools/plan/stack-files";
import { ROOT } from "../helpers/pulumi";
import { problemLine } from "../../components/errors";

/** Problems as `<path>: <message>` lines, as the assertions below state them. */
const gitlabUpgradeProblems = (...a: Parameters<typeof gitlabUpgradeProblemsProblems>): string[] =>
    gitlabUpgradeProblemsProblems(...a).map(problemLine);
const upgradePathProblems = (...a: Parameters<typeof upgradePathProblemsProblems>): string[] =>
    upgradePathProblemsProblems(...a).map(problemLine);
const upgradePrerequisiteProblems = (...a: Parameters<typeof upgradePrerequisiteProblemsProblems>): string[] =>
    upgradePrerequisiteProblemsProblems(...a).map(problemLine);

describe("GitLab upgrade path (pure)", () => {
    it("maps every chart version of the table to a GitLab version, the pinned one included", () => {
        assert.ok(GITLAB_CHART_VERSION in GITLAB_CHART_RELEASES);
        for (const [chart, r] of Object.entries(GITLAB_CHART_RELEASES)) {
            const c = parseVersion(chart)!;
            const g = parseVersion(r.gitlab)!;
            assert.deepEqual(
                [g.major - 9, g.minor, g.patch],
                [c.major, c.minor, c.patch],
                `chart ${chart} -> GitLab ${r.gitlab}`,
            );
        }
    });

    it("lists GitLab's required stops: 17.3, 17.5, 17.8, 17.11, then x.2, x.5, x.8, x.11", () => {
        assert.deepEqual(requiredStops(17), ["17.3", "17.5", "17.8", "17.11"]);
        assert.deepEqual(requiredStops(18), ["18.2", "18.5", "18.8", "18.11"]);
        assert.deepEqual(requiredStops(19), ["19.2", "19.5", "19.8", "19.11"]);
    });

    const cases: Array<[string, string | undefined, string, string[]]> = [
        ["a first install", undefined, "10.2.3", []],
        ["a redeploy of the same version", "19.2.3", "10.2.3", []],
        ["one minor within the stops", "18.10.0", "9.11.0", []],
        ["from a stop to the next", "18.11.0", "10.2.3", []],
        [
            "18.10 -> 19.2, skipping 18.11",
            "18.10.0",
            "10.2.3",
            [
                "gitlab.chartVersion: 10.2.3 (GitLab 19.2.3) skips required upgrade stop from the deployed GitLab 18.10.0 (expected to deploy 18.11 (chart 9.11.0) first, letting background migrations finish after each: https://docs.gitlab.com/update/upgrade_paths/)",
            ],
        ],
        [
            "18.4 -> 19.2, skipping three stops",
            "18.4.2",
            "10.2.3",
            [
                "gitlab.chartVersion: 10.2.3 (GitLab 19.2.3) skips required upgrade stops from the deployed GitLab 18.4.2 (expected to deploy 18.5 (no chart in GITLAB_CHART_RELEASES yet), then 18.8 (no chart in GITLAB_CHART_RELEASES yet), then 18.11 (chart 9.11.0) first, letting background migrations finish after each: https://docs.gitlab.com/update/upgrade_paths/)",
            ],
        ],
        [
            "a downgrade",
            "19.2.3",
            "9.11.0",
            [
                "gitlab.chartVersion: 9.11.0 ships GitLab 18.11.0, older than the deployed 19.2.3 (expected no downgrade: GitLab does not support them; restore a backup instead)",
            ],
        ],
        [
            "an unknown chart",
            "19.2.3",
            "10.9.9",
            [
                "gitlab.chartVersion: 10.9.9 is not a chart version this package knows (expected one of: 9.10.0, 9.11.0, 10.2.3)",
            ],
        ],
        [
            "a broken record",
            "latest",
            "10.2.3",
            [
                'gitlab.chartVersion: the deployed GitLab version "latest" in the stack\'s gitlabVersion output is not a version (expected major.minor.patch)',
            ],
        ],
    ];
    for (const [what, deployed, chart, expected] of cases) {
        it(`${expected.length ? "refuses" : "allows"} ${what}`, () =>
            assert.deepEqual(upgradePathProblems(deployed, chart), expected));
    }

    it("checks the PostgreSQL major a release needs", () => {
        assert.deepEqual(upgradePrerequisiteProblems("10.2.3", 17), []);
        assert.deepEqual(upgradePrerequisiteProblems("10.2.3", undefined), []);
        assert.deepEqual(upgradePrerequisiteProblems("10.2.3", 16), [
            "gitlab.chartVersion: 10.2.3 (GitLab 19.2.3) needs PostgreSQL 17 or newer, the stack's is 16 (expected the database upgraded first)",
        ]);
        assert.deepEqual(upgradePrerequisiteProblems("9.11.0", 16), []);
    });

    it("config: the AWS data path states its PostgreSQL major; an unknown version is left to the gitlab key's rule", () => {
        assert.deepEqual(gitlabUpgradeProblems(undefined, "aws", "19.2.0"), []);
        assert.deepEqual(gitlabUpgradeProblems("10.9.9", "aws", "19.2.0"), []);
        assert.equal(gitlabUpgradeProblems("10.2.3", "existing", "18.10.0").length, 1);
    });

    it("checkGitLabUpgrade raises one ConfigError naming the stops", () => {
        const cfg = { stack: "prod", gitlab: { domain: "example.com", tls: {} }, data: undefined };
        assert.doesNotThrow(() => checkGitLabUpgrade(cfg as never, "18.11.3"));
        assert.throws(
            () => checkGitLabUpgrade(cfg as never, "18.10.0"),
            (err: unknown) =>
                ConfigError.is(err) &&
                /stack prod/.test(err.message) &&
                err.problems.length === 1 &&
                err.problems[0].includes("18.11 (chart 9.11.0)"),
        );
    });
});

/** Plans the real program for a stack file, with the stack's own last outputs recording `deployed`. */
async function planWithDeployed(stack: string, deployed: string | undefined, overrides: Record<string, string> = {}) {
    const files = readStackConfig(ROOT, stack);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require(`${ROOT}/index.ts`) as () => unknown;
    const refs: string[] = [];
    const mocks: pulumi.runtime.Mocks = {
        newResource: (a) => {
            if (a.type === "pulumi:pulumi:StackReference") {
                refs.push(String(a.inputs.name));
                return {
                    id: String(a.inputs.name),
                    state: {
                        name: a.inputs.name,
                        outputs: deployed ? { gitlabVersion: { chart: "x", gitlab: deployed } } : {},
                        secretOutputNames: [],
                    },
                };
            }
            return { id: undefined as unknown as string, state: a.inputs };
        },
        call: (a) => a.inputs,
    };
    const run = await recordProgram(program, {
        project: files.project,
        stack,
        config: { ...files.config, ...overrides },
        secretKeys: files.secretKeys,
        preview: true,
        mocks,
    });
    return { run, refs };
}

describe("GitLab upgrade path (the prod stack file)", function () {
    this.timeout(120_000);

    it("refuses prod's chart 10.2.3 over a deployed GitLab 18.10, naming the stop, before declaring anything", async () => {
        await assert.rejects(planWithDeployed("prod", "18.10.0"), (err: unknown) => {
            assert.ok(ConfigError.is(err), String(err));
            assert.deepEqual(err.problems, [
                "gitlab.chartVersion: 10.2.3 (GitLab 19.2.3) skips required upgrade stop from the deployed GitLab 18.10.0 (expected to deploy 18.11 (chart 9.11.0) first, letting background migrations finish after each: https://docs.gitlab.com/update/upgrade_paths/)",
            ]);
            return true;
        });
    });

    it("reads the record through a StackReference to the stack itself, and deploys the stop first", async () => {
        const { run, refs } = await planWithDeployed("prod", "18.10.0", {
            "gitlab-platform:gitlab": JSON.stringify({
                ...JSON.parse(readStackConfig(ROOT, "prod").config["gitlab-platform:gitlab"]),
                chartVersion: "9.11.0",
            }),
        });
        assert.deepEqual(refs, ["organization/gitlab-platform/prod"]);
        assert.equal(
            run.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.name === "gitlab-release")?.inputs
                .version,
            "9.11.0",
        );
        assert.deepEqual(run.outputs.gitlabVersion, { chart: "9.11.0", gitlab: "18.11.0" });
    });

    it("plans a first install (no record) and records what it deploys", async () => {
        const { run } = await planWithDeployed("prod", undefined);
        assert.deepEqual(run.outputs.gitlabVersion, { chart: GITLAB_CHART_VERSION, gitlab: "19.2.3" });
    });
});
