/**
 * The platform / workloads split in configuration: each defect a first `pulumi up` hit is refused with
 * a named error, and the committed stacks pass.
 */
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, parseStackConfig, type SecretKey } from "../../config";
import { gitlabObjectsArgs } from "../../config/workloads";
import { firstTokenCommand } from "../../components/gitlab-api/first-token";
import {
    GitLabObjects,
    validateGitLabObjects as validateGitLabObjectsProblems,
} from "../../components/gitlab-api/gitlab-objects";
import { record } from "../helpers/pulumi";
import { problemLine } from "../../components/errors";

/** Problems as `<path>: <message>` lines, as the assertions below state them. */
const validateGitLabObjects = (...a: Parameters<typeof validateGitLabObjectsProblems>): string[] =>
    validateGitLabObjectsProblems(...a).map(problemLine);

const CLUSTER = { type: "existing", context: "gitlab-dev", kubernetesVersion: "1.34" };
const GITLAB = { domain: "dev.example.com", size: "dev", tls: { certManagerIssuerEmail: "ops@example.com" } };
const DATA = {
    type: "existing",
    postgres: { host: "pg.internal", username: "gitlab" },
    redis: { host: "redis.internal" },
    objectStorage: { provider: "aws", region: "eu-central-1", bucketPrefix: "gl" },
};
const AGENT = { project: "platform/gitlab-platform", ciAccess: { groups: [{ id: "apps" }] } };
const OBJECTS = {
    groups: ["platform", "apps"],
    projects: ["platform/gitlab-platform", "apps/web"],
    manageCrossGroupCiAccess: true,
};

function problems(values: Record<string, unknown>, tokenSet = true): readonly string[] {
    const secretKeys = new Set(["postgresPassword", "objectStorageAccessKeyId", "objectStorageSecretAccessKey"]);
    try {
        parseStackConfig({ values, secretKeys, secret: (k: SecretKey) => pulumi.secret(String(values[k])), tokenSet });
    } catch (e) {
        if (ConfigError.is(e)) return e.problems;
        throw e;
    }
    return [];
}

const platform = {
    cluster: CLUSTER,
    data: DATA,
    gitlab: GITLAB,
    postgresPassword: "p",
    objectStorageAccessKeyId: "k",
    objectStorageSecretAccessKey: "s",
};
const workloads = { cluster: CLUSTER, platformStack: "dev", gitlabObjects: OBJECTS, namespaces: ["web"], agent: AGENT };

describe("platform and workloads stacks (config)", () => {
    it("accepts the split: a platform stack with GitLab only, a workloads stack reading it", () => {
        assert.deepEqual(problems(platform), []);
        assert.deepEqual(problems(workloads), []);
    });

    it("refuses GitLab API objects against the GitLab the same stack installs (the old combined dev stack)", () => {
        const p = problems({
            ...platform,
            agent: AGENT,
            runners: [{ name: "general", scope: { type: "instance" } }],
            gitlabObjects: OBJECTS,
        });
        assert.ok(
            p.some((l) => l.startsWith("agent: declares GitLab API objects against the GitLab this stack installs")),
            p.join("\n"),
        );
        assert.ok(p.some((l) => l.startsWith("runners: declares GitLab API objects")));
        assert.ok(p.some((l) => l.startsWith("gitlabObjects: declares GitLab API objects")));
        assert.ok(
            problems({ ...platform, platformStack: "x" }).includes(
                "platformStack: set in a stack that installs GitLab (expected it only in a workloads stack)",
            ),
        );
    });

    it("refuses a workloads stack without an API token, naming gitlab:token and the command that gives one", () => {
        const p = problems(workloads, false);
        assert.equal(p.length, 1);
        assert.match(
            p[0],
            /^gitlab:token: missing \(expected a secret GitLab API token: run the command in the platform stack's output workloadsTokenCommand/,
        );
    });

    it("refuses groups and projects that are neither declared nor named as existing", () => {
        const p = problems({
            ...workloads,
            gitlabObjects: {
                groups: ["platform"],
                projects: ["platform/gitlab-platform", "other/x"],
                manageCrossGroupCiAccess: true,
            },
        });
        assert.ok(
            p.includes(
                'agent.ciAccess.groups[0].id: "apps" is neither declared nor named as existing (expected it in gitlabObjects.projects, gitlabObjects.groups or gitlabObjects.existing)',
            ),
            p.join("\n"),
        );
        assert.ok(
            p.some((l) =>
                l.startsWith(
                    'gitlabObjects.projects[1]: "other/x" is in a group that is neither declared nor existing',
                ),
            ),
        );
        assert.deepEqual(
            problems({
                ...workloads,
                gitlabObjects: { existing: ["platform/gitlab-platform", "apps"], manageCrossGroupCiAccess: true },
            }),
            [],
        );
    });

    it("splits existing paths into groups and projects to look up, by how the stack uses each", () => {
        const c = parseStackConfig({
            values: {
                ...workloads,
                gitlabObjects: { existing: ["platform/gitlab-platform", "apps"], manageCrossGroupCiAccess: true },
            },
            secretKeys: new Set(),
            secret: () => pulumi.secret(""),
            tokenSet: true,
        });
        assert.deepEqual(c.gitlabObjects, {
            manageCrossGroupCiAccess: true,
            existingGroups: ["apps"],
            existingProjects: ["platform/gitlab-platform"],
        });
    });

    it("refuses existing paths that are declared too, named twice, used by nothing or used both ways", () => {
        const p = problems({
            ...workloads,
            agent: {
                ...AGENT,
                ciAccess: { groups: [{ id: "apps" }, { id: "apps/web" }], projects: [{ id: "apps/web" }] },
            },
            gitlabObjects: {
                groups: ["platform"],
                projects: ["platform/gitlab-platform"],
                existing: ["platform", "apps", "apps/web", "apps/web", "unused/x"],
                manageCrossGroupCiAccess: true,
            },
        });
        assert.deepEqual(p, [
            'gitlabObjects.existing[0]: "platform" is also declared (expected it either in gitlabObjects.groups or gitlabObjects.projects, created by this stack, or named as existing, not both)',
            'gitlabObjects.existing[2]: "apps/web" is used as a group (agent.ciAccess.groups[1].id) and as a project (agent.ciAccess.projects[0].id) (expected one: a GitLab path is either)',
            'gitlabObjects.existing[3]: "apps/web" is named twice (expected each existing path once)',
            'gitlabObjects.existing[4]: "unused/x" is used by nothing in this stack (expected a group or project the agent, its CI access or a Flux sync names, or the group of a declared one, so it can be checked as one)',
        ]);
    });

    it("refuses CI access across top-level groups unless the stack manages the instance setting", () => {
        const p = problems({ ...workloads, gitlabObjects: { ...OBJECTS, manageCrossGroupCiAccess: false } });
        assert.deepEqual(p, [
            'agent.ciAccess.groups[0].id: "apps" is outside the top-level group "platform" of the agent\'s project, and GitLab ignores such access unless the instance setting organization_cluster_agent_authorization_enabled is on (expected gitlabObjects.manageCrossGroupCiAccess: true with an administrator token, or a group or project under "platform")',
        ]);
        assert.deepEqual(
            problems({
                ...workloads,
                agent: { ...AGENT, ciAccess: { groups: [{ id: "platform/apps" }] } },
                gitlabObjects: { groups: ["platform", "platform/apps"], projects: ["platform/gitlab-platform"] },
            }),
            [],
        );
    });

    it("refuses a Flux targetNamespace or an app namespace the stack does not create", () => {
        const flux = {
            syncs: [
                {
                    name: "web",
                    project: "apps/web",
                    url: "oci://registry.example.com/apps/web/m",
                    ref: { tag: "1.0.0" },
                    kustomization: { targetNamespace: "web" },
                },
            ],
        };
        const p = problems({
            ...workloads,
            namespaces: [],
            flux,
            apps: [{ name: "s", namespace: "status", image: "ghcr.io/x/s:1.0.0" }],
        });
        assert.ok(
            p.includes(
                'flux.syncs[0].kustomization.targetNamespace: "web" is not created by this stack (expected it in namespaces, or default)',
            ),
            p.join("\n"),
        );
        assert.ok(
            p.includes(
                'apps[0].namespace: "status" is not created by this stack (expected it in namespaces, or default)',
            ),
        );
        assert.deepEqual(problems({ ...workloads, flux }), []);
    });

    it("refuses cluster.type platform without platformStack", () => {
        const p = problems({ cluster: { type: "platform", kubernetesVersion: "1.35" } });
        assert.deepEqual(p, [
            "cluster.type: platform needs platformStack (expected the platform stack whose kubeconfig output this stack uses)",
        ]);
    });

    it("creates a project in an existing group: the group is looked up for its ID, as a group", () => {
        const objects = {
            groups: ["platform"],
            projects: ["platform/gitlab-platform", "acme/web"],
            existing: ["acme"],
        };
        const agent = { project: "platform/gitlab-platform" };
        assert.deepEqual(problems({ ...workloads, gitlabObjects: objects, agent }), []);
        const args = gitlabObjectsArgs(objects, { agent: { ...agent, name: "a" } as never, flux: undefined });
        assert.deepEqual([args.existingGroups, args.existingProjects], [["acme"], []]);
        assert.deepEqual(validateGitLabObjects(args), []);
    });

    it("the GitLabObjects component refuses objects whose parent it does not create", () => {
        assert.deepEqual(validateGitLabObjects({ groups: ["a/b"], projects: ["c/d"] }), [
            'groups[0]: "a/b" needs its parent "a" in groups or existingGroups (expected parents declared too)',
            'projects[0]: "c/d" needs its group "c" in groups or existingGroups (expected the group declared too)',
        ]);
    });

    it("the GitLabObjects component refuses a path both created and existing, or existing twice", () => {
        assert.deepEqual(
            validateGitLabObjects({
                groups: ["a"],
                existingGroups: ["a", "b"],
                existingProjects: ["b"],
            }),
            [
                'existingGroups[0]: "a" is also declared (expected each path either created or existing, not both)',
                'existingProjects[0]: "b" is named twice (expected each existing path once, as a group or a project)',
            ],
        );
    });

    it("the first-token command mints a bounded token in the toolbox and pipes it into the secret config, printing nothing", () => {
        const cmd = firstTokenCommand({
            namespace: "gitlab",
            releaseName: "gitlab",
            workloadsStack: "dev-workloads",
            kubeContext: "gitlab-dev",
        });
        assert.match(
            cmd,
            /^kubectl --context gitlab-dev -n gitlab exec deploy\/gitlab-toolbox -- gitlab-rails runner "/,
        );
        assert.match(
            cmd,
            /scopes: \['api'\], expires_at: 30\.days\.from_now\); print t\.token" \| pulumi config set --secret gitlab:token --stack dev-workloads$/,
        );
        assert.throws(
            () =>
                firstTokenCommand({
                    namespace: "gitlab",
                    releaseName: "gitlab",
                    workloadsStack: "x",
                    lifetimeDays: 400,
                }),
            /^Error: lifetimeDays: 400 is outside 1-365/,
        );
    });
});

describe("GitLabObjects: a project in an existing group", () => {
    it("waits for the group's lookup, whose ID it is created in", async () => {
        const rec = await record(() => {
            new GitLabObjects("gitlab", { projects: ["acme/web"], existingGroups: ["acme"] });
        });
        const lookup = rec.one("pulumi-nodejs:dynamic/gitlab:getGroup", "gitlab-existing-group-acme");
        const project = rec.one("pulumi-nodejs:dynamic/gitlab:Project", "gitlab-project-acme-web");
        assert.ok(project.dependsOn.includes(lookup.urn), "the project is created after the lookup");
    });
});
