import { strict as assert } from "node:assert";
import { gitlabBackupsScheduled, gitlabRailsSecretsManaged, gitlabUpgradePath } from "../../policy/gitlab-day2";
import { POLICIES } from "../../policy/policies";
import { plan } from "../helpers/pulumi";
import { analyze, findings, messages, resource } from "./support";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const SECRET = "kubernetes:core/v1:Secret";
const NAMESPACE = "kubernetes:core/v1:Namespace";

const release = (values: Record<string, unknown>) =>
    resource(RELEASE, { chart: "gitlab", version: "10.2.3", values }, { name: "gitlab-release" });
const railsSecret = (name = "gitlab-rails-secret") =>
    resource(
        SECRET,
        { metadata: { name, namespace: "gitlab" }, type: "Opaque", stringData: "[secret]" },
        { name: "gitlab-rails-secrets-secret" },
    );
const ns = (annotations: Record<string, string>) =>
    resource(NAMESPACE, { metadata: { name: "gitlab", annotations } }, { name: "gitlab-namespace" });

describe("policy gitlab-backups-scheduled", () => {
    it("passes a release with the toolbox CronJob on", async () => {
        assert.deepEqual(
            await messages(
                gitlabBackupsScheduled,
                release({ gitlab: { toolbox: { backups: { cron: { enabled: true } } } } }),
            ),
            [],
        );
    });
    it("refuses one with the CronJob off, or left to the chart's default", async () => {
        assert.deepEqual(
            await messages(
                gitlabBackupsScheduled,
                release({ gitlab: { toolbox: { backups: { cron: { enabled: false } } } } }),
            ),
            ["values gitlab.toolbox.backups.cron.enabled: is false (expected true: a scheduled backup)"],
        );
        assert.deepEqual(await messages(gitlabBackupsScheduled, release({})), [
            "values gitlab.toolbox.backups.cron.enabled: not set (the chart's default is off) (expected true: a scheduled backup)",
        ]);
    });
    it("ignores other charts", async () => {
        assert.deepEqual(
            await messages(
                gitlabBackupsScheduled,
                resource(RELEASE, { chart: "gitlab-runner", version: "0.91.0", values: {} }),
            ),
            [],
        );
    });
});

describe("policy gitlab-rails-secrets-managed", () => {
    it("passes a release naming a rails Secret the stack declares", async () => {
        assert.deepEqual(
            await findings(gitlabRailsSecretsManaged, [
                release({ global: { railsSecrets: { secret: "gitlab-rails-secret" } } }),
                railsSecret(),
            ]),
            [],
        );
    });
    it("refuses a release leaving the rails secrets to the chart", async () => {
        assert.deepEqual(await findings(gitlabRailsSecretsManaged, [release({})]), [
            "gitlab-release: values global.railsSecrets.secret: not set (expected the name of the rails Secret the stack declares)",
        ]);
    });
    it("refuses a name no declared Secret has", async () => {
        assert.deepEqual(
            await findings(gitlabRailsSecretsManaged, [
                release({ global: { railsSecrets: { secret: "made-by-hand" } } }),
                railsSecret(),
            ]),
            [
                "gitlab-release: values global.railsSecrets.secret: made-by-hand is not a Secret this stack declares (expected the stack's own rails Secret)",
            ],
        );
    });
});

describe("policy gitlab-upgrade-path", () => {
    const cases: Array<[string, Record<string, string>, string[]]> = [
        ["a first install", { "gitlab-platform.io/gitlab-version": "19.2.3" }, []],
        [
            "a redeploy",
            { "gitlab-platform.io/gitlab-version": "19.2.3", "gitlab-platform.io/previous-gitlab-version": "19.2.3" },
            [],
        ],
        [
            "a step to the next stop",
            { "gitlab-platform.io/gitlab-version": "19.2.3", "gitlab-platform.io/previous-gitlab-version": "18.11.1" },
            [],
        ],
        [
            "a jump over 18.11",
            { "gitlab-platform.io/gitlab-version": "19.2.3", "gitlab-platform.io/previous-gitlab-version": "18.10.0" },
            [
                "annotations: GitLab 18.10.0 -> 19.2.3 skips required upgrade stop(s) 18.11 (expected each deployed in turn)",
            ],
        ],
        [
            "a downgrade",
            { "gitlab-platform.io/gitlab-version": "18.11.0", "gitlab-platform.io/previous-gitlab-version": "19.2.3" },
            ["annotations: GitLab 18.11.0 is older than the deployed 19.2.3 (expected no downgrade)"],
        ],
        ["a namespace that is not GitLab's", {}, []],
    ];
    for (const [what, annotations, expected] of cases) {
        it(`${expected.length ? "refuses" : "passes"} ${what}`, async () =>
            assert.deepEqual(await messages(gitlabUpgradePath, ns(annotations)), expected));
    }
});

describe("GitLab day-2 policies on the stacks", function () {
    this.timeout(120_000);
    it("are in the pack", () => {
        for (const name of ["gitlab-backups-scheduled", "gitlab-rails-secrets-managed", "gitlab-upgrade-path"])
            assert.ok(
                POLICIES.some((p) => p.name === name),
                name,
            );
    });
    it("pass the prod plan, and refuse it with backups off", async () => {
        const day2 = [gitlabBackupsScheduled, gitlabRailsSecretsManaged, gitlabUpgradePath];
        const prod = await plan("prod");
        assert.deepEqual(await analyze(day2, prod.resources, {}), []);
        const off = await plan("prod", { gitlab: { ...prodGitLab(prod), backups: { enabled: false } } });
        assert.deepEqual(
            (await analyze(day2, off.resources, {})).map((f) => `${f.policy}: ${f.message}`),
            [
                "gitlab-backups-scheduled: values gitlab.toolbox.backups.cron.enabled: is false (expected true: a scheduled backup)",
            ],
        );
    });
});

/** The prod stack's gitlab key, from the plan's own input: the release's domain and TLS. */
function prodGitLab(p: Awaited<ReturnType<typeof plan>>): Record<string, unknown> {
    const values = p.resources.find((r) => r.type === RELEASE && r.name === "gitlab-release")!.inputs.values as {
        global: { hosts: { domain: string } };
        "certmanager-issuer": { email: string };
    };
    return {
        domain: values.global.hosts.domain,
        size: "s",
        tls: { certManagerIssuerEmail: values["certmanager-issuer"].email },
    };
}
