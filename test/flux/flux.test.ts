import { strict as assert } from "node:assert";
import { Flux } from "../../components/flux/flux";
import { fluxComponents, fluxRules, fluxSpec } from "../../components/flux/spec";
import { InvalidArgsError } from "../../components/errors";
import { record } from "../helpers/pulumi";
import { validateAll } from "../helpers/schema";
import { lines } from "../helpers/problems";

describe("Flux", () => {
    it("declares the namespace, the pinned operator release and the FluxInstance after it", async () => {
        const rec = await record(() => new Flux("flux", { clusterType: "aws" }));
        const component = rec.one("gitlab-platform:flux:Flux", "flux");
        assert.deepEqual(rec.childrenOf(component), [
            "kubernetes:core/v1:Namespace/flux-namespace",
            "kubernetes:fluxcd.controlplane.io/v1:FluxInstance/flux-instance",
            "kubernetes:helm.sh/v3:Release/flux-operator",
        ]);

        const ns = rec.one("kubernetes:core/v1:Namespace", "flux-namespace");
        assert.deepEqual(ns.inputs.metadata, {
            name: "flux-system",
            labels: { "app.kubernetes.io/managed-by": "pulumi", "pod-security.kubernetes.io/enforce": "restricted" },
        });

        const release = rec.one("kubernetes:helm.sh/v3:Release", "flux-operator");
        assert.equal(release.inputs.chart, "oci://ghcr.io/controlplaneio-fluxcd/charts/flux-operator");
        assert.equal(release.inputs.version, "0.58.1");
        assert.equal(release.inputs.namespace, "flux-system");
        assert.equal(release.inputs.name, "flux-operator");
        assert.equal(release.inputs.createNamespace, false);
        assert.deepEqual(release.inputs.values, { installCRDs: true, web: { enabled: false } });
        assert.ok(release.dependsOn.includes(ns.urn), "the release waits for the namespace");

        const instance = rec.one("kubernetes:fluxcd.controlplane.io/v1:FluxInstance", "flux-instance");
        assert.deepEqual(instance.inputs.metadata, {
            name: "flux",
            namespace: "flux-system",
            annotations: { "pulumi.com/waitFor": "condition=Ready" },
        });
        assert.deepEqual(instance.inputs.spec, {
            distribution: { version: "2.9.4", registry: "ghcr.io/fluxcd" },
            components: ["source-controller", "kustomize-controller", "notification-controller"],
            cluster: { type: "aws", size: "small", multitenant: false, networkPolicy: true },
        });
        assert.deepEqual(instance.dependsOn, [release.urn], "the instance waits for the operator and its CRDs");

        // The FluxInstance kind has no published schema package; every other object is validated.
        assert.equal(await validateAll(rec.resources.filter((r) => r !== instance)), 1);
    });

    it("runs helm-controller only when asked, in the operator's documented order", () => {
        assert.deepEqual(fluxComponents(fluxSpec.parse({ helmController: true })), [
            "source-controller",
            "kustomize-controller",
            "helm-controller",
            "notification-controller",
        ]);
    });

    it("refuses version ranges and malformed settings, naming each field", () => {
        const problems = lines(
            fluxRules(
                fluxSpec.parse({
                    version: "2.9.x",
                    chartVersion: "0.58",
                    namespace: "Flux_System",
                    registry: "https://ghcr.io/fluxcd",
                }),
            ),
        );
        assert.deepEqual(problems, [
            'namespace: "Flux_System" is not a DNS label (expected lowercase alphanumerics and "-", at most 63)',
            'version: "2.9.x" is not an exact version (expected X.Y.Z, e.g. "2.9.4"; ranges such as "2.9.x" upgrade Flux behind your back)',
            'chartVersion: "0.58" is not an exact version (expected X.Y.Z, e.g. "0.58.1")',
            'registry: "https://ghcr.io/fluxcd" is not a registry path (expected host/path without scheme, e.g. "ghcr.io/fluxcd")',
        ]);
    });

    it("raises InvalidArgsError from the constructor for a version range", async () => {
        await assert.rejects(
            record(() => new Flux("flux", { version: "2.x" })),
            (err: unknown) =>
                err instanceof InvalidArgsError &&
                err.component === "Flux" &&
                err.problems.length === 1 &&
                err.problems[0].path === "version" &&
                err.problems[0].message.startsWith('"2.x"'),
        );
    });
});
