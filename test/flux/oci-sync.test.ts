import * as k8s from "@pulumi/kubernetes";
import { strict as assert } from "node:assert";
import type * as pulumi from "@pulumi/pulumi";
import { Flux } from "../../components/flux/flux";
import { OciSync, type OciSyncArgs } from "../../components/flux/oci-sync";
import { ociSyncRules, ociSyncSettingsSpec } from "../../components/flux/spec";
import { record, type Recorded } from "../helpers/pulumi";
import { validateAll } from "../helpers/schema";
import { SEED_KUSTOMIZATION, SEED_REGISTRY, SEED_SOURCE } from "./seed";
import { lines } from "../helpers/problems";

const TOKEN = "pulumi-nodejs:dynamic/gitlab:ProjectDeployToken";
const SECRET = "kubernetes:core/v1:Secret";

/** Update mocks in which each deploy token gets a username and a token value, as GitLab returns them. */
const mocks: pulumi.runtime.Mocks = {
    newResource: (args) => ({
        id: `${args.name}-id`,
        state:
            args.type === TOKEN
                ? { ...args.inputs, username: `gitlab+deploy-token-${args.name}`, token: "gldt-not-a-real-token" }
                : args.inputs,
    }),
    call: (args) => args.inputs,
};

/** The tutorial's example, expressed as OciSync arguments. */
const SEED_ARGS: OciSyncArgs = {
    project: "my-group/optional-subgroup/my-repository",
    url: `oci://${SEED_REGISTRY}/my-group/optional-subgroup/my-repository/nginx-example`,
    ref: { tag: "latest" },
    kustomization: { targetNamespace: "default", interval: "1m" },
};

async function sync(now: string, extra: Partial<OciSyncArgs> = {}): Promise<Recorded> {
    return record(() => new OciSync("nginx-example", { ...SEED_ARGS, ...extra, now: new Date(now) }), { mocks });
}

/** A sync's settings as the component resolves them, named "app". */
const resolve = (settings: unknown) => ({ ...ociSyncSettingsSpec.parse(settings), name: "app" });

describe("OciSync", () => {
    it("creates its deploy tokens only after what the component depends on (e.g. the GitLab release)", async () => {
        const rec = await record(
            () => {
                const gitlab = new k8s.core.v1.Namespace("gitlab-stand-in", { metadata: { name: "gitlab" } });
                new OciSync(
                    "nginx-example",
                    { ...SEED_ARGS, now: new Date("2026-11-22T12:00:00Z") },
                    { dependsOn: [gitlab] },
                );
            },
            { mocks },
        );
        const gitlab = rec.one("kubernetes:core/v1:Namespace", "gitlab-stand-in");
        const tokens = rec.ofType(TOKEN);
        assert.equal(tokens.length, 2);
        for (const t of tokens) assert.ok(t.dependsOn.includes(gitlab.urn), `${t.name} waits for GitLab`);
    });

    it("reproduces the tutorial's OCIRepository and Kustomization field for field", async () => {
        const rec = await sync("2026-11-22T12:00:00Z");
        const source = rec.one("kubernetes:source.toolkit.fluxcd.io/v1:OCIRepository", "nginx-example-source");
        const kustomization = rec.one(
            "kubernetes:kustomize.toolkit.fluxcd.io/v1:Kustomization",
            "nginx-example-kustomization",
        );
        assert.deepStrictEqual(source.inputs, SEED_SOURCE);
        assert.deepStrictEqual(kustomization.inputs, SEED_KUSTOMIZATION);
        assert.equal(await validateAll(rec.resources), 3, "Secret, OCIRepository, Kustomization");
    });

    it("declares two token generations, the registry Secret from the current one, the source and the Kustomization", async () => {
        const rec = await sync("2026-11-22T12:00:00Z");
        const component = rec.one("gitlab-platform:flux:OciSync", "nginx-example");
        assert.deepEqual(rec.childrenOf(component), [
            `kubernetes:core/v1:Secret/nginx-example-registry-auth`,
            "kubernetes:kustomize.toolkit.fluxcd.io/v1:Kustomization/nginx-example-kustomization",
            "kubernetes:source.toolkit.fluxcd.io/v1:OCIRepository/nginx-example-source",
            `${TOKEN}/nginx-example-token-g691`,
            `${TOKEN}/nginx-example-token-g692`,
        ]);
        const current = rec.one(TOKEN, "nginx-example-token-g692");
        assert.deepEqual(
            {
                project: current.inputs.project,
                name: current.inputs.name,
                scopes: current.inputs.scopes,
                expiresAt: current.inputs.expiresAt,
            },
            {
                project: "my-group/optional-subgroup/my-repository",
                name: "flux-nginx-example-2026-11-03",
                scopes: ["read_registry"],
                expiresAt: "2027-01-02T00:00:00Z",
            },
        );
        assert.equal(rec.one(TOKEN, "nginx-example-token-g691").inputs.expiresAt, "2026-12-03T00:00:00Z");

        const secret = rec.one(SECRET);
        assert.deepEqual(secret.inputs, {
            apiVersion: "v1",
            kind: "Secret",
            metadata: {
                name: "gitlab-registry-auth",
                namespace: "flux-system",
                labels: { "app.kubernetes.io/managed-by": "pulumi" },
            },
            type: "kubernetes.io/dockerconfigjson",
            stringData: "[secret]",
        });
        assert.deepEqual(secret.dependsOn, [current.urn], "the Secret uses the current token only");
        const source = rec.one("kubernetes:source.toolkit.fluxcd.io/v1:OCIRepository");
        assert.deepEqual(source.dependsOn, [secret.urn]);
        assert.deepEqual(rec.one("kubernetes:kustomize.toolkit.fluxcd.io/v1:Kustomization").dependsOn, [source.urn]);
    });

    it("rotates: the next period's token exists before the Secret switches to it, the oldest leaves", async () => {
        const before = await sync("2026-12-02T23:00:00Z");
        const after = await sync("2026-12-03T01:00:00Z");
        const names = (rec: Recorded) =>
            rec
                .ofType(TOKEN)
                .map((t) => t.name)
                .sort();
        assert.deepEqual(names(before), ["nginx-example-token-g691", "nginx-example-token-g692"]);
        assert.deepEqual(names(after), ["nginx-example-token-g692", "nginx-example-token-g693"]);

        // The token that was current stays, with identical inputs: no replacement, still valid.
        assert.deepEqual(
            after.one(TOKEN, "nginx-example-token-g692").inputs,
            before.one(TOKEN, "nginx-example-token-g692").inputs,
        );

        // The Secret now depends on the new token: the engine creates g693 before it updates the Secret,
        // and deletes g691 (gone from the program) only after every create and update.
        const newToken = after.one(TOKEN, "nginx-example-token-g693");
        const secret = after.one(SECRET);
        assert.deepEqual(secret.dependsOn, [newToken.urn]);
        const order = after.resources.map((r) => r.urn);
        assert.ok(
            order.indexOf(newToken.urn) < order.indexOf(secret.urn),
            "the new token is registered before the Secret",
        );
        assert.equal(before.one(SECRET).dependsOn[0], before.one(TOKEN, "nginx-example-token-g692").urn);
    });

    it("waits for the Flux installation when given one", async () => {
        const rec = await record(
            () => {
                const flux = new Flux("flux");
                new OciSync("app", { ...SEED_ARGS, flux, now: new Date("2026-11-22T12:00:00Z") });
            },
            { mocks },
        );
        const instance = rec.one("kubernetes:fluxcd.controlplane.io/v1:FluxInstance");
        const secret = rec.one(SECRET);
        assert.ok(
            secret.dependsOn.includes(instance.urn),
            "the Secret waits for the FluxInstance (namespace and CRDs)",
        );
        assert.ok(secret.dependsOn.includes(rec.one(TOKEN, "app-token-g692").urn));
    });

    it("emits the optional source and Kustomization fields it is given", async () => {
        const digest = `sha256:${"ab".repeat(32)}`;
        const rec = await sync("2026-11-22T12:00:00Z", {
            name: "shop",
            secretName: "shop-registry-auth",
            ref: { digest },
            provider: "generic",
            timeout: "2m",
            verify: {
                provider: "cosign",
                matchOIDCIdentity: [
                    {
                        issuer: "^https://gitlab\\.example\\.org$",
                        subject: "^https://gitlab\\.example\\.org/g/shop//\\.gitlab-ci\\.yml@refs/heads/main$",
                    },
                ],
            },
            kustomization: {
                path: "./deploy",
                prune: false,
                wait: true,
                timeout: "5m",
                dependsOn: [{ name: "infra" }],
            },
        });
        const source = rec.one("kubernetes:source.toolkit.fluxcd.io/v1:OCIRepository");
        assert.deepEqual(source.inputs.spec, {
            interval: "1m",
            url: SEED_ARGS.url,
            ref: { digest },
            secretRef: { name: "shop-registry-auth" },
            provider: "generic",
            timeout: "2m",
            verify: {
                provider: "cosign",
                matchOIDCIdentity: [
                    {
                        issuer: "^https://gitlab\\.example\\.org$",
                        subject: "^https://gitlab\\.example\\.org/g/shop//\\.gitlab-ci\\.yml@refs/heads/main$",
                    },
                ],
            },
        });
        assert.deepEqual(rec.one("kubernetes:kustomize.toolkit.fluxcd.io/v1:Kustomization").inputs.spec, {
            interval: "10m",
            path: "./deploy",
            prune: false,
            sourceRef: { kind: "OCIRepository", name: "shop" },
            wait: true,
            timeout: "5m",
            dependsOn: [{ name: "infra" }],
        });
        assert.equal(await validateAll(rec.resources), 3);
    });

    it("validates Kustomizations against the Flux schema (a missing sourceRef fails)", async () => {
        const rec = await sync("2026-11-22T12:00:00Z");
        const k = rec.one("kubernetes:kustomize.toolkit.fluxcd.io/v1:Kustomization");
        const broken = { ...k, inputs: { ...k.inputs, spec: { interval: "1m", prune: true } } };
        await assert.rejects(validateAll([broken]), /Kustomization nginx-example-kustomization: .*sourceRef/);
    });

    it("names every problem with the URL, the ref, durations, paths and the rotation", () => {
        const problems = lines(
            ociSyncRules(
                resolve({
                    url: "https://registry.example.com/g/app:1.0",
                    ref: { tag: "v1", semver: ">=1" },
                    interval: "1 minute",
                    rotation: { periodDays: 30, validityDays: 30 },
                    kustomization: { path: "../other", targetNamespace: "Default" },
                }),
            ),
        );
        assert.deepEqual(problems, [
            'kustomization.targetNamespace: "Default" is not a DNS label (expected lowercase alphanumerics and "-", at most 63)',
            'url: "https://registry.example.com/g/app:1.0" is not an OCI repository URL (expected oci://<registry>/<path>, e.g. oci://registry.gitlab.com/group/project/app)',
            "ref: sets tag and semver of tag, semver, digest (expected exactly one)",
            'interval: "1 minute" is not a Go duration (expected e.g. "1m", "90s", "1h30m")',
            'kustomization.path: "../other" leaves the artifact (expected a relative path such as "." or "./deploy")',
            "rotation.validityDays: 30 is shorter than two periods (expected a whole number >= 60, so the previous token stays valid while the current one is in use)",
        ]);
        assert.deepEqual(lines(ociSyncRules(resolve({ url: "oci://registry.example.com/g/app:1.0", ref: {} }))), [
            'url: "oci://registry.example.com/g/app:1.0" carries a tag or digest (expected the repository only; put the tag, semver range or digest in ref)',
            "ref: sets none of tag, semver, digest (expected exactly one)",
        ]);
    });
});
