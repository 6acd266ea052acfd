import { strict as assert } from "node:assert";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "smol-toml";
import { GitLabRunner, type GitLabRunnerArgs } from "../../components/runner/gitlab-runner";
import { FORBIDDEN_RUNNER_VALUES, RUNNER_RBAC_RULES } from "../../components/runner/values";
import { resolveRunner, runnerSetRules, runnerSettingsSpec } from "../../components/runner/spec";
import { argProblems, lines } from "../helpers/problems";
import { InvalidArgsError } from "../../components/errors";
import { revealSecrets, record, type Recorded } from "../helpers/pulumi";
import { validateAll } from "../helpers/schema";

const TOKEN = "glrt-runner-token-value";
const USER_RUNNER = "pulumi-nodejs:dynamic/gitlab:UserRunner";
const RELEASE = "kubernetes:helm.sh/v3:Release";
const SECRET = "kubernetes:core/v1:Secret";

/** Plaintext inputs of each Secret as the engine receives them (the plan only shows "[secret]"). */
const secretInputs = new Map<string, Record<string, unknown>>();

/** Mocks that give the runner its token, as GitLab would, and remember Secret inputs. */
const mocks: pulumi.runtime.Mocks = {
    newResource: (args) => {
        if (args.type === SECRET) secretInputs.set(args.name, revealSecrets(args.inputs) as Record<string, unknown>);
        return {
            id: `${args.name}-id`,
            state: args.type === USER_RUNNER ? { ...args.inputs, token: TOKEN } : args.inputs,
        };
    },
    call: (args) => args.inputs,
};

const args: GitLabRunnerArgs = {
    gitlabUrl: "https://gitlab.example.com/",
    scope: { type: "group", groupId: 42 },
    tags: ["k8s"],
};
const run = (a: GitLabRunnerArgs = args, name = "shared") => record(() => new GitLabRunner(name, a), { mocks });
const valuesOf = (rec: Recorded, name = "shared-release") =>
    rec.one(RELEASE, name).inputs.values as Record<string, Record<string, unknown>>;
const tomlOf = (rec: Recorded, name = "shared-release") =>
    JSON.parse(JSON.stringify(parse(valuesOf(rec, name).runners.config as string))) as {
        runners: Record<string, Record<string, unknown>>[];
    };

function hasPath(obj: unknown, path: string): boolean {
    let cur: unknown = obj;
    for (const key of path.split(".")) {
        if (cur === null || typeof cur !== "object" || !(key in cur)) return false;
        cur = (cur as Record<string, unknown>)[key];
    }
    return true;
}

describe("GitLabRunner", () => {
    it("declares the runner, its namespace, the token Secret, the jobs' NetworkPolicy and the pinned release, and nothing else", async () => {
        const rec = await run();
        const component = rec.one("gitlab-platform:runner:GitLabRunner", "shared");
        assert.deepEqual(rec.childrenOf(component), [
            "kubernetes:core/v1:Namespace/shared-namespace",
            "kubernetes:core/v1:Secret/shared-token",
            "kubernetes:helm.sh/v3:Release/shared-release",
            "kubernetes:networking.k8s.io/v1:NetworkPolicy/shared-jobs",
            `${USER_RUNNER}/shared-runner`,
        ]);
        const runner = rec.one(USER_RUNNER, "shared-runner");
        assert.deepEqual(
            Object.fromEntries(
                ["runnerType", "groupId", "description", "tagLists", "untagged", "locked", "paused", "accessLevel"].map(
                    (k) => [k, runner.inputs[k]],
                ),
            ),
            {
                runnerType: "group_type",
                groupId: 42,
                description: "shared",
                tagLists: ["k8s"],
                untagged: false,
                locked: true,
                paused: false,
                accessLevel: "not_protected",
            },
        );
        const release = rec.one(RELEASE, "shared-release");
        assert.deepEqual(
            [
                release.inputs.chart,
                release.inputs.version,
                release.inputs.repositoryOpts,
                release.inputs.namespace,
                release.inputs.name,
            ],
            ["gitlab-runner", "0.91.0", { repo: "https://charts.gitlab.io/" }, "gitlab-runner-shared", "shared"],
        );
        assert.equal(await validateAll(rec.resources), 3);
    });

    it("keeps the token in a Secret (runner-token plus an empty registration token) and only its name in the values", async () => {
        const rec = await run();
        const secret = rec.one(SECRET, "shared-token");
        assert.deepEqual(secret.inputs.metadata, { name: "shared-runner-token", namespace: "gitlab-runner-shared" });
        assert.equal(secret.inputs.stringData, "[secret]");
        assert.deepEqual(secretInputs.get("shared-token")?.stringData, {
            "runner-token": TOKEN,
            "runner-registration-token": "",
        });
        assert.ok(
            secret.dependsOn.includes(rec.one(USER_RUNNER, "shared-runner").urn),
            "the Secret's data comes from the runner",
        );
        const values = valuesOf(rec);
        assert.equal(values.runners.secret, "shared-runner-token");
        assert.equal(values.gitlabUrl, "https://gitlab.example.com/");
        assert.equal(values.concurrent, 10);
        const release = rec.one(RELEASE, "shared-release");
        assert.doesNotMatch(
            JSON.stringify(release.inputs),
            /glrt-|\[secret\]/,
            "no token, and nothing secret, in any Helm value",
        );
    });

    it("never sets the values Runner 18+ refuses with an authentication token", async () => {
        const values = valuesOf(
            await run({
                ...args,
                locked: false,
                maximumTimeout: 3600,
                accessLevel: "ref_protected",
                runUntagged: true,
            }),
        );
        for (const path of FORBIDDEN_RUNNER_VALUES) assert.ok(!hasPath(values, path), `${path} must be absent`);
    });

    it("grants a namespaced Role with the executor's permissions, never cluster-wide", async () => {
        const values = valuesOf(await run());
        assert.deepEqual(values.rbac, { create: true, clusterWideAccess: false, rules: RUNNER_RBAC_RULES });
        assert.deepEqual(values.serviceAccount, { create: true, name: "shared-gitlab-runner" });
    });

    it("configures an unprivileged kubernetes executor on the runners pool, with token rotation disabled", async () => {
        const rec = await run();
        const [runner] = tomlOf(rec).runners;
        assert.equal(runner.executor as unknown, "kubernetes");
        assert.equal(runner.kubernetes.namespace, "gitlab-runner-shared");
        assert.equal(runner.kubernetes.privileged, false);
        assert.deepEqual(runner.kubernetes.node_selector, { workload: "runners" });
        assert.deepEqual(runner.feature_flags, { FF_DISABLE_AUTOMATIC_TOKEN_ROTATION: true });
        const ns = rec.one("kubernetes:core/v1:Namespace", "shared-namespace").inputs.metadata as {
            labels: Record<string, string>;
        };
        assert.equal(ns.labels["pod-security.kubernetes.io/enforce"], "baseline");
    });

    it("runs privileged jobs only when asked, in a namespace labelled privileged", async () => {
        const rec = await run({ ...args, privileged: true }, "dind");
        assert.equal(tomlOf(rec, "dind-release").runners[0].kubernetes.privileged, true);
        const ns = rec.one("kubernetes:core/v1:Namespace", "dind-namespace").inputs.metadata as {
            name: string;
            labels: Record<string, string>;
        };
        assert.deepEqual(
            [ns.name, ns.labels["pod-security.kubernetes.io/enforce"]],
            ["gitlab-runner-dind", "privileged"],
        );
    });

    it("caches in S3 with the manager's IAM role: IRSA annotation, no credentials Secret", async () => {
        const rec = await run({
            ...args,
            cache: {
                type: "s3",
                bucket: pulumi.output("ci-cache"),
                region: "eu-central-1",
                auth: { type: "iamRole", roleArn: "arn:aws:iam::1:role/runner-cache" },
            },
        });
        assert.equal(rec.ofType(SECRET).length, 1, "only the token Secret");
        const values = valuesOf(rec);
        assert.deepEqual(values.serviceAccount.annotations, {
            "eks.amazonaws.com/role-arn": "arn:aws:iam::1:role/runner-cache",
        });
        assert.equal(values.runners.cache, undefined);
        assert.deepEqual(tomlOf(rec).runners[0].cache, {
            Type: "s3",
            Path: "shared",
            Shared: true,
            s3: { BucketName: "ci-cache", BucketLocation: "eu-central-1", AuthenticationType: "iam" },
        });
    });

    it("caches in S3 with static keys kept in a Secret referenced by runners.cache.secretName", async () => {
        const rec = await run({
            ...args,
            cache: {
                type: "s3",
                bucket: "ci-cache",
                region: "us-east-1",
                endpoint: "minio.local:9000",
                auth: {
                    type: "accessKey",
                    accessKeyId: pulumi.secret("AKIA"),
                    secretAccessKey: pulumi.secret("s3cr3t"),
                },
            },
        });
        const component = rec.one("gitlab-platform:runner:GitLabRunner", "shared");
        assert.ok(rec.childrenOf(component).includes("kubernetes:core/v1:Secret/shared-cache-credentials"));
        const secret = rec.one(SECRET, "shared-cache-credentials");
        assert.equal(secret.inputs.stringData, "[secret]");
        assert.deepEqual(secretInputs.get("shared-cache-credentials")?.stringData, {
            accesskey: "AKIA",
            secretkey: "s3cr3t",
        });
        assert.deepEqual(valuesOf(rec).runners.cache, { secretName: "shared-cache-credentials" });
        assert.equal((tomlOf(rec).runners[0].cache.s3 as Record<string, unknown>).AuthenticationType, "access-key");
        assert.doesNotMatch(JSON.stringify(rec.one(RELEASE, "shared-release").inputs), /AKIA|s3cr3t/);
        assert.equal(await validateAll(rec.resources), 4);
    });

    it("fences job pods in: DNS to kube-dns and the internet only, no private range, no metadata service, no ingress", async () => {
        const rec = await run();
        const policy = rec.one("kubernetes:networking.k8s.io/v1:NetworkPolicy", "shared-jobs").inputs as {
            metadata: Record<string, unknown>;
            spec: Record<string, unknown>;
        };
        assert.deepEqual(policy.metadata, {
            name: "shared-jobs",
            namespace: "gitlab-runner-shared",
            labels: { "app.kubernetes.io/managed-by": "pulumi" },
        });
        assert.deepEqual(policy.spec, {
            podSelector: { matchLabels: { "gitlab-platform/ci-job": "true" } },
            policyTypes: ["Ingress", "Egress"],
            ingress: [],
            egress: [
                {
                    to: [
                        {
                            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
                            podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
                        },
                    ],
                    ports: [
                        { protocol: "UDP", port: 53 },
                        { protocol: "TCP", port: 53 },
                    ],
                },
                {
                    to: [
                        {
                            ipBlock: {
                                cidr: "0.0.0.0/0",
                                except: [
                                    "10.0.0.0/8",
                                    "172.16.0.0/12",
                                    "192.168.0.0/16",
                                    "100.64.0.0/10",
                                    "169.254.0.0/16",
                                ],
                            },
                        },
                    ],
                },
            ],
        });
        // The policy selects exactly the label the job pods carry, never the manager.
        assert.deepEqual(tomlOf(rec).runners[0].kubernetes.pod_labels, { "gitlab-platform/ci-job": "true" });
        const open = await run({ ...args, isolateJobs: false });
        assert.equal(
            open.ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy").length,
            0,
            "opening it is an explicit choice",
        );
    });

    it("caches in GCS with workload identity: the manager's service account is annotated, no Secret", async () => {
        const rec = await run({
            ...args,
            cache: {
                type: "gcs",
                bucket: "ci-cache",
                auth: { type: "workloadIdentity", serviceAccount: "runner@proj.iam.gserviceaccount.com" },
            },
        });
        assert.equal(rec.ofType(SECRET).length, 1, "only the token Secret");
        assert.deepEqual(valuesOf(rec).serviceAccount.annotations, {
            "iam.gke.io/gcp-service-account": "runner@proj.iam.gserviceaccount.com",
        });
        assert.deepEqual(tomlOf(rec).runners[0].cache, {
            Type: "gcs",
            Path: "shared",
            Shared: true,
            gcs: { BucketName: "ci-cache" },
        });
    });

    it("supports several runners, each with its own token, Secret, namespace and release", async () => {
        const rec = await record(
            () => {
                new GitLabRunner("shared", args);
                new GitLabRunner("docker", { ...args, privileged: true, tags: ["docker"] });
            },
            { mocks },
        );
        assert.deepEqual(
            rec
                .ofType(USER_RUNNER)
                .map((r) => r.name)
                .sort(),
            ["docker-runner", "shared-runner"],
        );
        assert.deepEqual(
            rec
                .ofType(RELEASE)
                .map((r) => [r.name, r.inputs.namespace])
                .sort(),
            [
                ["docker-release", "gitlab-runner-docker"],
                ["shared-release", "gitlab-runner-shared"],
            ],
        );
        const { gitlabUrl: _url, ...settings } = args;
        const set = (runners: [string, typeof settings][]) =>
            lines(runnerSetRules(runners.map(([n, s]) => resolveRunner(n, runnerSettingsSpec.parse(s)))));
        assert.deepEqual(
            set([
                ["shared", settings],
                ["docker", { ...settings, privileged: true }],
            ]),
            [],
        );
        assert.deepEqual(
            set([
                ["a", { ...settings, namespace: "ci" }],
                ["b", { ...settings, namespace: "ci", privileged: true }],
            ]),
            [
                "[1].namespace: ci is also created by runner [0] (expected createNamespace: true on one of them only)",
                "[1].namespace: ci is shared with the unprivileged runner [0] (expected a namespace of its own for the privileged runner)",
            ],
        );
    });

    it("passes the component's Kubernetes provider to every Kubernetes child, not to the GitLab API resource", async () => {
        const rec = await record(
            () => {
                const provider = new k8s.Provider("cluster", { kubeconfig: "/dev/null" });
                new GitLabRunner("shared", args, { provider });
            },
            { mocks },
        );
        const provider = rec.one("pulumi:providers:kubernetes", "cluster").urn;
        for (const r of rec.resources.filter((x) => x.type.startsWith("kubernetes:")))
            assert.equal(r.provider, provider, r.name);
        assert.notEqual(rec.one(USER_RUNNER).provider, provider);
    });

    it("refuses bad arguments before declaring anything, naming each field", async () => {
        await assert.rejects(
            run({
                ...args,
                tags: [],
                runUntagged: false,
                maximumTimeout: 60,
                featureFlags: { FF_DISABLE_AUTOMATIC_TOKEN_ROTATION: false },
                resources: { build: { cpuRequest: "4", cpuLimit: "2" } },
            }),
            (err: unknown) =>
                err instanceof InvalidArgsError &&
                err.component === "GitLabRunner" &&
                JSON.stringify(lines(err.problems)) ===
                    JSON.stringify([
                        "runUntagged: false without tags, the runner would never pick a job (expected tags, or runUntagged true)",
                        "maximumTimeout: 60 (expected whole seconds, at least 600)",
                        "resources.build.cpuRequest: 4 exceeds the limit 2 (expected request <= limit)",
                        "featureFlags.FF_DISABLE_AUTOMATIC_TOKEN_ROTATION: false (expected true or unset: Pulumi owns the runner token, so the runner must not rotate it)",
                    ]),
        );
    });

    describe("bad args: refused before anything registers", () => {
        const cases: { name: string; args: GitLabRunnerArgs; problems: string[] }[] = [
            {
                name: "a group runner without its group",
                args: { ...args, scope: { type: "group" } as never },
                problems: ["scope.groupId: missing required key (expected number)"],
            },
            {
                name: "an unknown scope",
                args: { ...args, scope: { type: "shared" } as never },
                problems: ['scope.type: not an allowed value (expected one of: "instance", "group", "project")'],
            },
            {
                name: "a tag with a comma, listed twice",
                args: { ...args, tags: ["a,b", "a,b"] },
                problems: [
                    'tags[0]: "a,b" (expected a non-empty tag without commas)',
                    'tags[1]: "a,b" (expected a non-empty tag without commas)',
                    "tags: a tag is listed twice (expected each tag once)",
                ],
            },
            {
                name: "a namespace that is no DNS label",
                args: { ...args, namespace: "CI_Jobs" },
                problems: [
                    'namespace: "CI_Jobs" is not a namespace name (expected a DNS label of at most 63 characters)',
                ],
            },
            {
                name: "a Helm template in the job image",
                args: { ...args, jobImage: "{{ .Values.x }}" },
                problems: ['jobImage: "{{ .Values.x }}" (expected an image reference such as alpine:3.22)'],
            },
            {
                name: "a malformed quantity",
                args: { ...args, resources: { helper: { memoryLimit: "lots" } } },
                problems: [
                    'resources.helper.memoryLimit: "lots" is not a Kubernetes quantity (expected e.g. 500m, 2, 512Mi, 4Gi, 1e3)',
                ],
            },
            {
                name: "a GitLab URL without a scheme",
                args: { ...args, gitlabUrl: "gitlab.example.com" },
                problems: ["gitlabUrl: not a GitLab URL (expected https://<host>/, with the scheme)"],
            },
            {
                name: "a misspelled argument",
                args: { ...args, concurent: 4 } as never,
                problems: ['concurent: unknown key (did you mean "concurrent"?)'],
            },
            {
                name: "an unknown feature flag name",
                args: { ...args, featureFlags: { print_pod_events: true } },
                problems: [
                    "featureFlags.print_pod_events: not a runner feature flag (expected FF_ followed by capitals, digits and _)",
                ],
            },
            {
                name: "an S3 endpoint with a scheme",
                args: {
                    ...args,
                    cache: {
                        type: "s3",
                        bucket: "b",
                        region: "r",
                        endpoint: "https://minio:9000",
                        auth: { type: "iamRole" },
                    },
                },
                problems: ['cache.endpoint: "https://minio:9000" (expected host[:port] without a scheme)'],
            },
            {
                name: "zero concurrency",
                args: { ...args, concurrent: 0 },
                problems: ["concurrent: 0 (expected a whole number of at least 1)"],
            },
        ];
        for (const c of cases)
            it(`reports ${c.name}`, () =>
                assert.deepEqual(
                    argProblems(() => new GitLabRunner("shared", c.args)),
                    c.problems,
                ));

        it("names a missing args object instead of failing with a TypeError", () => {
            assert.deepEqual(
                argProblems(() => new GitLabRunner("shared", undefined as never)),
                ["no arguments (expected the GitLabRunnerArgs object)"],
            );
        });

        it("refuses a name too long for a Helm release", () => {
            assert.deepEqual(
                argProblems(() => new GitLabRunner("r".repeat(54), args))[0],
                `name: "${"r".repeat(54)}" is not a Helm release name (expected a DNS label of at most 53 characters)`,
            );
        });
    });
});
