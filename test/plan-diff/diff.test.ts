/** The plan diff on crafted plan pairs (test/fixtures/plans): exact changes, paths, values and reasons. */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Plan } from "../../tools/plan/format";
import { diffPlans, type PlanDiff, type ResourceChange } from "../../tools/plan-diff/diff";

const FIXTURES = path.join(__dirname, "../fixtures/plans");
const load = (name: string): Plan => JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), "utf8")) as Plan;
const diffWith = (head: string): PlanDiff => diffPlans(load("base"), load(head));

const U = "urn:pulumi:dev::gitlab-platform::";
const APP = `${U}gitlab-platform:apps:App$`;
const PROVIDER = `${U}gitlab-platform:cluster:KubernetesCluster$pulumi:providers:kubernetes::dev-provider`;
const KINDS = (d: PlanDiff) => d.changes.map((c) => `${c.kind} ${c.type}::${c.name}`);

describe("plan diff: fixture pairs", () => {
    it("an identical plan is an empty diff, counting the secret it could not compare", () => {
        const d = diffWith("base");
        assert.deepEqual(d.summary, { add: 0, update: 0, replace: 0, remove: 0, unchanged: 10 });
        assert.deepEqual(d.changes, []);
        assert.deepEqual(d.byType, []);
        assert.deepEqual(d.graph, { nodes: [], edges: [] });
        assert.equal(d.uncomparedSecrets, 1);
    });

    it("reports an added resource, with its ancestors and dependency as graph context", () => {
        const d = diffWith("add");
        assert.deepEqual(d.summary, { add: 1, update: 0, replace: 0, remove: 0, unchanged: 10 });
        assert.deepEqual(d.changes, [
            {
                kind: "add",
                urn: `${APP}kubernetes:core/v1:Service::web-metrics`,
                type: "kubernetes:core/v1:Service",
                name: "web-metrics",
                parent: `${U}pulumi:pulumi:Stack$gitlab-platform:apps:App::web`,
                inputs: [],
                options: [],
                replaceReasons: [],
            } satisfies ResourceChange,
        ]);
        assert.deepEqual(d.byType, [{ type: "kubernetes:core/v1:Service", add: 1, update: 0, replace: 0, remove: 0 }]);
        assert.deepEqual(
            d.graph.nodes.map((n) => `${n.kind} ${n.name}`),
            ["context web-ns", "add web-metrics", "context web", "context gitlab-platform-dev"],
        );
        assert.deepEqual(
            d.graph.edges.map((e) => `${e.kind} ${e.from.split("::").pop()} -> ${e.to.split("::").pop()}`),
            ["dependsOn web-metrics -> web-ns", "parent web -> web-metrics", "parent gitlab-platform-dev -> web"],
        );
    });

    it("reports a removed resource", () => {
        const d = diffWith("remove");
        assert.deepEqual(d.summary, { add: 0, update: 0, replace: 0, remove: 1, unchanged: 9 });
        assert.deepEqual(KINDS(d), ["remove kubernetes:core/v1:Service::web-svc"]);
        assert.equal(d.changes[0].urn, `${APP}kubernetes:core/v1:Service::web-svc`);
    });

    it("reports a property change with its path and both values", () => {
        const d = diffWith("update");
        assert.deepEqual(KINDS(d), ["update kubernetes:apps/v1:Deployment::web-deployment"]);
        assert.deepEqual(d.changes[0].inputs, [{ path: "spec.replicas", kind: "update", old: 2, new: 3 }]);
        assert.deepEqual(d.changes[0].options, []);
        assert.deepEqual(d.changes[0].replaceReasons, []);
    });

    it("reports nested array changes by index, an added element whole", () => {
        const d = diffWith("nested-array");
        assert.deepEqual(KINDS(d), ["update kubernetes:apps/v1:Deployment::web-deployment"]);
        assert.deepEqual(d.changes[0].inputs, [
            { path: "spec.template.spec.containers[0].env[1]", kind: "add", new: { name: "FEATURE_X", value: "on" } },
            {
                path: "spec.template.spec.containers[1].image",
                kind: "update",
                old: "envoyproxy/envoy:v1.30.0",
                new: "envoyproxy/envoy:v1.31.0",
            },
        ]);
    });

    it("shows a secret change as changed with the values hidden, and a Secret's new data as a replacement", () => {
        const d = diffWith("secret");
        assert.deepEqual(KINDS(d), [
            "replace kubernetes:core/v1:Secret::web-secret",
            "update kubernetes:apps/v1:Deployment::web-deployment",
        ]);
        const [secret, deployment] = d.changes;
        assert.deepEqual(secret.inputs, [{ path: "stringData.token", kind: "add", new: "[secret]", secret: true }]);
        assert.deepEqual(secret.replaceReasons, [
            "`stringData` of a Secret changed: pulumi-kubernetes replaces it unless the provider sets enableSecretMutable and the object is not immutable",
        ]);
        // A plain value that became secret: both sides hidden, so the note never republishes either.
        assert.deepEqual(deployment.inputs, [
            {
                path: "spec.template.spec.containers[0].env[0].value",
                kind: "update",
                old: "[secret]",
                new: "[secret]",
                secret: true,
            },
        ]);
        assert.equal(d.uncomparedSecrets, 1, "the unchanged-looking password is counted, not reported");
        assert.ok(!JSON.stringify(d).includes('"info"'), "the former plain value is not shown");
    });

    it("explains replacements from immutable fields: Kubernetes metadata.name, Helm release namespace", () => {
        const d = diffWith("replace");
        assert.deepEqual(KINDS(d), [
            "replace kubernetes:core/v1:ConfigMap::web-config",
            "replace kubernetes:helm.sh/v3:Release::web-cache",
        ]);
        assert.deepEqual(
            d.changes.map((c) => c.replaceReasons),
            [
                ["`metadata.name` changed: a Kubernetes object is replaced when renamed or moved to another namespace"],
                [
                    "`namespace` of a Helm release cannot change in place: the release is uninstalled and installed again",
                ],
            ],
        );
        assert.deepEqual(
            d.changes[1].inputs.map((p) => p.path),
            ["namespace", "version"],
            "the chart version alone would be an in-place upgrade",
        );
    });

    it("pairs resources whose URN changed with their parent's type, and the re-typed parent itself", () => {
        const d = diffWith("replace-urn");
        assert.deepEqual(d.summary, { add: 0, update: 0, replace: 7, remove: 0, unchanged: 3 });
        const app = d.changes.find((c) => c.name === "web")!;
        assert.equal(app.oldUrn, `${U}pulumi:pulumi:Stack$gitlab-platform:apps:App::web`);
        assert.deepEqual(app.replaceReasons, [
            "type changed from `gitlab-platform:apps:App` to `gitlab-platform:workloads:App`, and with it the URN: for a component nothing is recreated itself, but the URNs of its children change with it",
        ]);
        const deployment = d.changes.find((c) => c.name === "web-deployment")!;
        assert.equal(deployment.oldUrn, `${APP}kubernetes:apps/v1:Deployment::web-deployment`);
        assert.deepEqual(deployment.replaceReasons, [
            "its parent's type changed, and with it the URN: Pulumi creates the new resource and deletes the old one unless the program declares an alias",
        ]);
        assert.deepEqual(deployment.options, [], "parent and dependencies that moved too are not changes");
        assert.deepEqual(deployment.inputs, []);
    });

    it("replaces every resource of a Kubernetes provider whose context changed", () => {
        const d = diffWith("replace-provider");
        const provider = d.changes.find((c) => c.urn === PROVIDER)!;
        assert.deepEqual(provider.inputs, [
            { path: "context", kind: "update", old: "gitlab-dev", new: "gitlab-staging" },
        ]);
        assert.deepEqual(provider.replaceReasons, [
            "`context` changed: if it selects another cluster, the provider is replaced, and every resource it manages with it",
        ]);
        const managed = d.changes.filter((c) => c.urn !== PROVIDER);
        assert.equal(managed.length, 6);
        for (const c of managed) {
            assert.equal(c.kind, "replace");
            assert.deepEqual(c.replaceReasons, [
                "its provider `dev-provider` may be replaced (see there), and Pulumi replaces every resource of a replaced provider",
            ]);
        }
    });
});
