/** Replacement rules and value comparison edge cases, on minimal inline plans. */
import { strict as assert } from "node:assert";
import type { PlannedResource } from "../../tools/plan/engine";
import { SECRET, UNKNOWN } from "../../tools/plan/engine";
import type { Plan } from "../../tools/plan/format";
import { diffPlans } from "../../tools/plan-diff/diff";
import { diffValues, formatPath, SECRET_MASK, UNKNOWN_MASK } from "../../tools/plan-diff/values";

const U = "urn:pulumi:dev::p::";
const PROV = `${U}pulumi:providers:kubernetes::k8s`;

function res(
    type: string,
    name: string,
    inputs: Record<string, unknown>,
    extra: Partial<PlannedResource> = {},
): PlannedResource {
    return {
        urn: `${U}${type}::${name}`,
        type,
        name,
        custom: true,
        parent: null,
        provider: type.startsWith("pulumi:providers:") ? null : PROV,
        dependsOn: [],
        protect: false,
        inputs,
        ...extra,
    };
}
const plan = (...resources: PlannedResource[]): Plan => ({
    version: 1,
    project: "p",
    stack: "dev",
    resources,
    outputs: {},
});
const provider = (inputs: Record<string, unknown>) => res("pulumi:providers:kubernetes", "k8s", inputs);
const summary = (d: ReturnType<typeof diffPlans>) =>
    d.changes.map((c) => `${c.kind} ${c.name}${c.replaceReasons.length ? `: ${c.replaceReasons.join(" | ")}` : ""}`);

describe("plan diff: replacement rules", () => {
    it("uses the plan format's masks", () => {
        assert.equal(SECRET_MASK, SECRET);
        assert.equal(UNKNOWN_MASK, UNKNOWN);
    });

    const secret = (stringData: unknown, extra: Record<string, unknown> = {}) =>
        res("kubernetes:core/v1:Secret", "s", { kind: "Secret", metadata: { name: "s" }, stringData, ...extra });
    const cm = (data: unknown) =>
        res("kubernetes:core/v1:ConfigMap", "c", { kind: "ConfigMap", metadata: { name: "c" }, data });
    const cases: Array<{ title: string; base: PlannedResource[]; head: PlannedResource[]; expected: string[] }> = [
        {
            title: "a Secret's new data is an update when the provider makes Secrets mutable",
            base: [provider({ enableSecretMutable: true }), secret({ a: SECRET })],
            head: [provider({ enableSecretMutable: true }), secret({ a: SECRET, b: SECRET })],
            expected: ["update s"],
        },
        {
            title: "... but not for an immutable Secret",
            base: [provider({ enableSecretMutable: true }), secret({ a: SECRET }, { immutable: true })],
            head: [provider({ enableSecretMutable: true }), secret({ a: SECRET, b: SECRET }, { immutable: true })],
            expected: [
                "replace s: `stringData` of a Secret changed: pulumi-kubernetes replaces it unless the provider sets enableSecretMutable and the object is not immutable",
            ],
        },
        {
            title: "a ConfigMap's data change replaces it by default",
            base: [provider({}), cm({ a: "1" })],
            head: [provider({}), cm({ a: "2" })],
            expected: [
                "replace c: `data` of a ConfigMap changed: pulumi-kubernetes replaces it unless the provider sets enableConfigMapMutable and the object is not immutable",
            ],
        },
        {
            title: "renaming an S3 bucket replaces it; its tags update in place",
            base: [res("aws:s3/bucket:Bucket", "b", { bucket: "acme-lfs", tags: { a: "1" } }, { provider: null })],
            head: [res("aws:s3/bucket:Bucket", "b", { bucket: "acme-git-lfs", tags: { a: "2" } }, { provider: null })],
            expected: ["replace b: `bucket` cannot change in place on Bucket: the AWS provider replaces it"],
        },
        {
            title: "an RDS instance's encryption cannot change in place, its backup window can",
            base: [
                res(
                    "aws:rds/instance:Instance",
                    "db",
                    { storageEncrypted: false, backupRetentionPeriod: 7 },
                    { provider: null },
                ),
            ],
            head: [
                res(
                    "aws:rds/instance:Instance",
                    "db",
                    { storageEncrypted: true, backupRetentionPeriod: 14 },
                    { provider: null },
                ),
            ],
            expected: [
                "replace db: `storageEncrypted` cannot change in place on Instance: the AWS provider replaces it",
            ],
        },
        {
            title: "a GitLab agent's new name replaces it (the provider's own replace keys); a runner's tags update",
            base: [
                res(
                    "pulumi-nodejs:dynamic/gitlab:ClusterAgent",
                    "a",
                    { project: "g/p", name: "prod" },
                    { provider: null },
                ),
                res(
                    "pulumi-nodejs:dynamic/gitlab:UserRunner",
                    "r",
                    { runnerType: "instance_type", tagLists: ["a"] },
                    { provider: null },
                ),
            ],
            head: [
                res(
                    "pulumi-nodejs:dynamic/gitlab:ClusterAgent",
                    "a",
                    { project: "g/p", name: "production" },
                    { provider: null },
                ),
                res(
                    "pulumi-nodejs:dynamic/gitlab:UserRunner",
                    "r",
                    { runnerType: "instance_type", tagLists: ["a", "b"] },
                    { provider: null },
                ),
            ],
            expected: [
                "replace a: `name` cannot change in place: GitLab cannot edit a ClusterAgent, so it is created anew",
                "update r",
            ],
        },
        {
            title: "a Deployment's selector is immutable, its pod template is not",
            base: [
                provider({}),
                res("kubernetes:apps/v1:Deployment", "d", {
                    spec: {
                        selector: { matchLabels: { app: "a" } },
                        template: { spec: { containers: [{ image: "a:1" }] } },
                    },
                }),
            ],
            head: [
                provider({}),
                res("kubernetes:apps/v1:Deployment", "d", {
                    spec: {
                        selector: { matchLabels: { app: "b" } },
                        template: { spec: { containers: [{ image: "a:2" }] } },
                    },
                }),
            ],
            expected: [
                "replace d: `spec.selector` cannot change in place on a Deployment: pulumi-kubernetes replaces the object",
            ],
        },
        {
            title: "a Pod's container image is immutable (matched through the array index)",
            base: [provider({}), res("kubernetes:core/v1:Pod", "p", { spec: { containers: [{ image: "a:1" }] } })],
            head: [provider({}), res("kubernetes:core/v1:Pod", "p", { spec: { containers: [{ image: "a:2" }] } })],
            expected: [
                "replace p: `spec.containers[*].image` cannot change in place on a Pod: pulumi-kubernetes replaces the object",
            ],
        },
        {
            title: "an unchanged clusterIdentifier keeps the provider and its resources",
            base: [provider({ clusterIdentifier: "prod-eu", context: "a" }), cm({ a: "1" })],
            head: [provider({ clusterIdentifier: "prod-eu", context: "b" }), cm({ a: "1" })],
            expected: ["update k8s"],
        },
        {
            title: "a changed clusterIdentifier replaces the provider and its resources",
            base: [provider({ clusterIdentifier: "a" }), cm({ a: "1" })],
            head: [provider({ clusterIdentifier: "b" }), cm({ a: "1" })],
            expected: [
                "replace c: its provider `k8s` may be replaced (see there), and Pulumi replaces every resource of a replaced provider",
                "replace k8s: `clusterIdentifier` changed: the provider is replaced, and every resource it manages with it",
            ],
        },
        {
            title: "a remote component (YAML v2, Helm v4) of a replaced provider: its unlisted resources go with it",
            base: [
                provider({ context: "a" }),
                res("kubernetes:yaml/v2:ConfigFile", "crds", { file: "crds.yaml" }, { custom: false }),
            ],
            head: [
                provider({ context: "b" }),
                res("kubernetes:yaml/v2:ConfigFile", "crds", { file: "crds.yaml" }, { custom: false }),
            ],
            expected: [
                "replace crds: the resources it declares through provider `k8s`, which may be replaced (see there), are replaced with it (the offline plan does not list them)",
                "replace k8s: `context` changed: if it selects another cluster, the provider is replaced, and every resource it manages with it",
            ],
        },
        {
            title: "a kubeconfig that becomes known only during the update replaces the provider",
            base: [provider({ kubeconfig: "/etc/kube" })],
            head: [provider({ kubeconfig: UNKNOWN })],
            expected: [
                "replace k8s: `kubeconfig` becomes known only during the update: the provider is replaced to be safe, and every resource it manages with it",
            ],
        },
        {
            title: "a kubeconfig unknown in both offline plans is not a change",
            base: [provider({ kubeconfig: UNKNOWN })],
            head: [provider({ kubeconfig: UNKNOWN })],
            expected: [],
        },
        {
            title: "a resource moved to a provider for another cluster is replaced",
            base: [
                provider({ context: "a" }),
                res("pulumi:providers:kubernetes", "k8s-b", { context: "b" }),
                cm({ a: "1" }),
            ],
            head: [
                provider({ context: "a" }),
                res("pulumi:providers:kubernetes", "k8s-b", { context: "b" }),
                { ...cm({ a: "1" }), provider: `${U}pulumi:providers:kubernetes::k8s-b` },
            ],
            expected: [
                "replace c: its provider changes from `k8s` to `k8s-b`, whose configuration differs: `context` changed: if it selects another cluster, the provider is replaced, and every resource it manages with it",
            ],
        },
        {
            title: "a Kubernetes kind moving to another API version is an update (the SDK aliases versions)",
            base: [
                provider({}),
                res("kubernetes:policy/v1beta1:PodDisruptionBudget", "pdb", { spec: { minAvailable: 1 } }),
            ],
            head: [provider({}), res("kubernetes:policy/v1:PodDisruptionBudget", "pdb", { spec: { minAvailable: 1 } })],
            expected: ["update pdb"],
        },
        {
            title: "a Helm release's chart version is an in-place upgrade",
            base: [provider({}), res("kubernetes:helm.sh/v3:Release", "r", { chart: "gitlab", version: "9.11.10" })],
            head: [provider({}), res("kubernetes:helm.sh/v3:Release", "r", { chart: "gitlab", version: "10.2.3" })],
            expected: ["update r"],
        },
        {
            title: "ambiguous moves stay an addition and a removal",
            base: [res("x:index:Thing", "t", {}, { urn: `${U}a:A$x:index:Thing::t` })],
            head: [
                res("x:index:Thing", "t", {}, { urn: `${U}b:B$x:index:Thing::t` }),
                res("x:index:Thing", "t", {}, { urn: `${U}c:C$x:index:Thing::t` }),
            ],
            expected: ["remove t", "add t", "add t"],
        },
        {
            title: "a component becoming a custom resource is replaced",
            base: [res("x:index:Thing", "t", {}, { custom: false, provider: null })],
            head: [res("x:index:Thing", "t", {}, { custom: true, provider: null })],
            expected: ["replace t: it changes between a component and a custom resource"],
        },
    ];
    for (const c of cases) {
        it(c.title, () => assert.deepEqual(summary(diffPlans(plan(...c.base), plan(...c.head))), c.expected));
    }
});

describe("plan diff: values", () => {
    it("formats paths with brackets for indexes and keys that are not plain names", () => {
        assert.equal(
            formatPath(["metadata", "labels", "app.kubernetes.io/name"]),
            'metadata.labels["app.kubernetes.io/name"]',
        );
        assert.equal(formatPath(["spec", "containers", 0, "env", 12, "value"]), "spec.containers[0].env[12].value");
        assert.equal(formatPath(["certmanager-issuer", "email"]), "certmanager-issuer.email");
        assert.equal(formatPath([0]), "[0]");
    });

    it("reports a value that becomes unknown, and counts secrets equal on both sides", () => {
        const d = diffValues(
            { a: 1, s: SECRET, nested: { t: SECRET } },
            { a: UNKNOWN, s: SECRET, nested: { t: SECRET } },
        );
        assert.deepEqual(d.changes, [
            { segments: ["a"], kind: "update", old: 1, new: UNKNOWN, secret: false, unknown: true },
        ]);
        assert.equal(d.uncomparedSecrets, 2);
    });

    it("hides both sides when a secret is removed or replaced by a structure", () => {
        const d = diffValues({ a: SECRET, b: SECRET }, { b: { x: "plain" } });
        assert.deepEqual(d.changes, [
            { segments: ["a"], kind: "remove", old: SECRET, secret: true, unknown: false },
            { segments: ["b"], kind: "update", old: SECRET, new: SECRET, secret: true, unknown: false },
        ]);
    });

    it("treats null as a value and a shorter array as removed elements", () => {
        const d = diffValues({ a: null, l: [1, 2, 3] }, { a: 0, l: [1] });
        assert.deepEqual(
            d.changes.map((c) => `${c.kind} ${formatPath(c.segments)}`),
            ["update a", "remove l[1]", "remove l[2]"],
        );
    });
});
