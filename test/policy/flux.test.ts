import { strict as assert } from "node:assert";
import type * as pulumi from "@pulumi/pulumi";
import { OciSync, type OciSyncArgs } from "../../components/flux/oci-sync";
import { fluxKustomizationPrune, fluxOciSourceVerified, fluxSourceSecure } from "../../policy/flux";
import type { PlannedResource } from "../../tools/plan/engine";
import { record } from "../helpers/pulumi";
import { findings, messages, resource } from "./support";

const SOURCE = "kubernetes:source.toolkit.fluxcd.io/v1:OCIRepository";
const KUSTOMIZATION = "kubernetes:kustomize.toolkit.fluxcd.io/v1:Kustomization";

const mocks: pulumi.runtime.Mocks = {
    newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }),
    call: (a) => a.inputs,
};
const syncArgs: OciSyncArgs = {
    project: "platform/apps/web",
    url: "oci://registry.gitlab.example.com/platform/apps/web/manifests",
    ref: { tag: "1.4.2" },
    kustomization: { targetNamespace: "web", interval: "1m" },
};

async function sync(extra: Partial<OciSyncArgs> = {}): Promise<PlannedResource[]> {
    const rec = await record(
        () => {
            new OciSync("web", { ...syncArgs, ...extra });
        },
        { preview: true, mocks },
    );
    return rec.resources;
}

describe("policy flux-kustomization-prune", () => {
    it("passes the OciSync component's Kustomization", async () => {
        assert.deepEqual(await findings(fluxKustomizationPrune, await sync()), []);
    });

    it("refuses a Kustomization that does not prune", async () => {
        const k = (spec: Record<string, unknown>) =>
            resource(KUSTOMIZATION, {
                apiVersion: "kustomize.toolkit.fluxcd.io/v1",
                kind: "Kustomization",
                metadata: { name: "web" },
                spec,
            });
        assert.deepEqual(await messages(fluxKustomizationPrune, k({ prune: false })), [
            "spec.prune: false (expected true)",
        ]);
        assert.deepEqual(await messages(fluxKustomizationPrune, k({})), ["spec.prune: not set (expected true)"]);
    });
});

describe("policy flux-source-secure", () => {
    it("passes the OciSync component's source", async () => {
        assert.deepEqual(await findings(fluxSourceSecure, await sync()), []);
    });

    it("refuses insecure sources and plain http URLs, also on the deprecated v1beta2 API", async () => {
        const oci = resource("kubernetes:source.toolkit.fluxcd.io/v1beta2:OCIRepository", {
            spec: { url: "oci://registry.local/app", insecure: true },
        });
        assert.deepEqual(await messages(fluxSourceSecure, oci), [
            "spec.insecure: true allows plain HTTP to the source (expected false or unset)",
        ]);
        const git = resource("kubernetes:source.toolkit.fluxcd.io/v1:GitRepository", {
            spec: { url: "http://git.example.com/app.git" },
        });
        assert.deepEqual(await messages(fluxSourceSecure, git), [
            'spec.url: "http://git.example.com/app.git" is plain HTTP (expected https://, ssh:// or oci://)',
        ]);
    });
});

describe("policy flux-oci-source-verified", () => {
    it("passes an OciSync that verifies signatures", async () => {
        assert.deepEqual(await findings(fluxOciSourceVerified, await sync({ verify: { provider: "cosign" } })), []);
    });

    it("reports the OciSync component's default, which applies unsigned artifacts", async () => {
        assert.deepEqual(await findings(fluxOciSourceVerified, await sync()), [
            "web-source: spec.verify: not set, so unsigned artifacts are applied (expected verify.provider cosign or notation)",
        ]);
        assert.deepEqual(await messages(fluxOciSourceVerified, resource(SOURCE, { spec: { url: "oci://r/app" } })), [
            "spec.verify: not set, so unsigned artifacts are applied (expected verify.provider cosign or notation)",
        ]);
    });
});
