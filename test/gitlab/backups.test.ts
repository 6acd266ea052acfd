import { strict as assert } from "node:assert";
import {
    buildBackupCronValues,
    gitlabBackupsSpec,
    validateGitLabBackups as validateGitLabBackupsProblems,
} from "../../components/gitlab/backups";
import { problemLine } from "../../components/errors";

/** Problems as `<path>: <message>` lines, as the assertions below state them. */
const validateGitLabBackups = (...a: Parameters<typeof validateGitLabBackupsProblems>): string[] =>
    validateGitLabBackupsProblems(...a).map(problemLine);

describe("toolbox backup CronJob (pure)", () => {
    it("is on by default, daily at 01:00, staging on a 100Gi ephemeral volume", () => {
        assert.deepEqual(buildBackupCronValues(gitlabBackupsSpec.parse(undefined)), {
            enabled: true,
            schedule: "0 1 * * *",
            persistence: { enabled: true, useGenericEphemeralVolume: true, size: "100Gi" },
        });
    });

    it("takes the settings", () => {
        assert.deepEqual(
            buildBackupCronValues(
                gitlabBackupsSpec.parse({ enabled: false, schedule: "30 2 * * 0", volumeSize: "500Gi" }),
            ),
            {
                enabled: false,
                schedule: "30 2 * * 0",
                persistence: { enabled: true, useGenericEphemeralVolume: true, size: "500Gi" },
            },
        );
    });

    const cases: Array<[string, object, string]> = [
        [
            "an AWS-style cron",
            { schedule: "cron(0 1 * * ? *)" },
            "backups.schedule: not a cron expression (expected five fields, e.g. 0 1 * * * for 01:00 daily)",
        ],
        [
            "four fields",
            { schedule: "0 1 * *" },
            "backups.schedule: not a cron expression (expected five fields, e.g. 0 1 * * * for 01:00 daily)",
        ],
        [
            "a size without unit sense",
            { volumeSize: "big" },
            "backups.volumeSize: not a storage quantity (expected e.g. 100Gi)",
        ],
        ["a zero size", { volumeSize: "0" }, "backups.volumeSize: not a storage quantity (expected e.g. 100Gi)"],
    ];
    for (const [what, b, message] of cases) {
        it(`refuses ${what}`, () => assert.deepEqual(validateGitLabBackups(b), [message]));
    }
    it("accepts no settings", () => assert.deepEqual(validateGitLabBackups(undefined), []));
});
