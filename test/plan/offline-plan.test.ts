/** The offline plan of the dev stack: documented shape, a parent for every child, secrets masked. */
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { ConfigError } from "../../config";
import { recordProgram, type PlannedResource } from "../../tools/plan/engine";
import { planMarkdown } from "../../tools/plan/markdown";
import { plan, ROOT } from "../helpers/pulumi";
import { kubernetesKind, validateAll, validateObject } from "../helpers/schema";

/** Kinds without an official schema package; their fields are asserted exactly in their component tests. */
const NO_SCHEMA = new Set(["kubernetes:fluxcd.controlplane.io/v1:FluxInstance"]);

/** The Gateway API and cert-manager kinds the stacks declare, validated against their schema packages. */
const ROUTING_AND_TLS = [
    "kubernetes:gateway.networking.k8s.io/v1:Gateway",
    "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
    "kubernetes:cert-manager.io/v1:Issuer",
    "kubernetes:cert-manager.io/v1:ClusterIssuer",
    "kubernetes:cert-manager.io/v1:Certificate",
];

/**
 * A workloads stack's routes as `up` declares them: a parentRef the plan shows unknown (the platform
 * stack's `appGateway` output) filled in from the platform stack's plan.
 */
function onPlatformGateway(resources: readonly PlannedResource[], platformOutputs: Record<string, unknown>) {
    const gw = platformOutputs.appGateway as { name: string; namespace: string };
    return resources.map((r) => {
        const spec = r.inputs.spec as { parentRefs?: Record<string, unknown>[] } | undefined;
        if (!r.type.endsWith(":HTTPRoute") || !spec?.parentRefs) return r;
        const parentRefs = spec.parentRefs.map((ref) => ({
            ...ref,
            ...(ref.name === "[unknown]" ? { name: gw.name } : {}),
            ...(ref.namespace === "[unknown]" ? { namespace: gw.namespace } : {}),
        }));
        return { ...r, inputs: { ...r.inputs, spec: { ...spec, parentRefs } } };
    });
}

const run = promisify(execFile);
const SENTINEL = "sentinel-Zq8xV3-must-never-appear";

describe("offline plan", () => {
    let dev: Awaited<ReturnType<typeof plan>>;
    let devWorkloads: Awaited<ReturnType<typeof plan>>;
    before(async () => {
        dev = await plan("dev");
        devWorkloads = await plan("dev-workloads");
    });

    it("plans the dev stack in the documented format", () => {
        const p = dev;
        assert.equal(p.version, 1);
        assert.equal(p.project, "gitlab-platform");
        assert.equal(p.stack, "dev");
        assert.ok(p.resources.length >= 3);
        for (const r of p.resources) {
            assert.deepEqual(Object.keys(r).sort(), [
                "custom",
                "dependsOn",
                "inputs",
                "name",
                "parent",
                "protect",
                "provider",
                "type",
                "urn",
            ]);
            assert.match(r.urn, /^urn:pulumi:dev::gitlab-platform::/);
            assert.equal(typeof r.custom, "boolean");
            assert.equal(typeof r.protect, "boolean");
            assert.ok(Array.isArray(r.dependsOn));
        }
    });

    it("gives every resource but the stack a parent that is itself in the plan", () => {
        const p = dev;
        const urns = new Set(p.resources.map((r) => r.urn));
        // A dependent of GitLab also waits for its read of the chart's Gateway.
        const withReads = new Set([...urns, ...(p.reads ?? []).map((r) => r.urn)]);
        const roots = p.resources.filter((r) => r.parent === null);
        assert.deepEqual(
            roots.map((r) => r.type),
            ["pulumi:pulumi:Stack"],
        );
        for (const r of p.resources)
            if (r.parent !== null) assert.ok(urns.has(r.parent), `${r.urn} has a parent outside the plan`);
        for (const r of p.resources)
            for (const d of r.dependsOn) assert.ok(withReads.has(d), `${r.urn} depends on ${d} outside the plan`);
        for (const r of p.reads ?? [])
            assert.ok(r.parent && urns.has(r.parent), `${r.urn} has a parent outside the plan`);
    });

    it("declares the three ways GitLab meets Kubernetes in the dev stacks, every object valid against its official schema", async () => {
        const p = { resources: [...dev.resources, ...devWorkloads.resources] };
        const types = new Set(p.resources.map((r) => r.type));
        for (const t of [
            "gitlab-platform:gitlab:GitLab",
            "gitlab-platform:agent:GitLabAgent",
            "gitlab-platform:runner:GitLabRunner",
            "gitlab-platform:flux:Flux",
            "gitlab-platform:flux:OciSync",
            "gitlab-platform:apps:ReviewApp",
        ]) {
            assert.ok(types.has(t), `dev plans lack ${t}`);
        }
        // The platform stack holds no GitLab API object; the workloads stack creates the groups and projects it names.
        assert.deepEqual(
            dev.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic")),
            [],
        );
        assert.ok(types.has("pulumi-nodejs:dynamic/gitlab:Project") && types.has("pulumi-nodejs:dynamic/gitlab:Group"));
        // Routes and certificates: the next test, which knows the platform's Gateway a route attaches to.
        const objects = p.resources.filter(
            (r) => r.custom && kubernetesKind(r.type) && !NO_SCHEMA.has(r.type) && !ROUTING_AND_TLS.includes(r.type),
        );
        assert.equal(await validateAll(objects), objects.length);
        assert.ok(objects.length >= 25, `validated ${objects.length} objects`);
    });

    it("validates the Gateway API and cert-manager objects of every stack against their schemas, and the check can fail", async () => {
        const prod = await plan("prod");
        const prodWorkloads = await plan("prod-workloads");
        const all = [
            ...dev.resources,
            ...prod.resources,
            ...onPlatformGateway(devWorkloads.resources, dev.outputs),
            ...onPlatformGateway(prodWorkloads.resources, prod.outputs),
        ];
        const objects = all.filter((r) => ROUTING_AND_TLS.includes(r.type));
        assert.deepEqual(
            [...new Set(objects.map((r) => r.type))].sort(),
            [...ROUTING_AND_TLS].sort(),
            "every kind is declared by some stack",
        );
        assert.equal(await validateAll(objects), objects.length);
        // Negative: a listener protocol Gateway API does not know, a Certificate key the CRD lacks.
        const gateway = objects.find((r) => r.type.endsWith(":Gateway"))!;
        const spec = gateway.inputs.spec as { listeners: Record<string, unknown>[] };
        const badGateway = {
            ...gateway,
            inputs: { ...gateway.inputs, spec: { ...spec, listeners: [{ ...spec.listeners[0], port: 70000 }] } },
        };
        await assert.rejects(validateObject(badGateway), /Gateway apps-gateway/);
        const cert = objects.find((r) => r.type.endsWith(":Certificate"))!;
        const badCert = {
            ...cert,
            inputs: { ...cert.inputs, spec: { ...(cert.inputs.spec as object), dnsNames: "*.apps.example.com" } },
        };
        await assert.rejects(validateObject(badCert), /Certificate apps-certificate/);
    });

    it("never shows a secret value, in JSON or Markdown", async () => {
        const secrets = [
            "kubeconfig",
            "postgresPassword",
            "redisPassword",
            "objectStorageSecretAccessKey",
            "gitlabRootPassword",
        ];
        const p = await plan("dev", Object.fromEntries(secrets.map((k) => [k, `${SENTINEL}-${k}`])), secrets);
        const json = JSON.stringify(p.resources) + JSON.stringify(p.outputs);
        assert.ok(!json.includes(SENTINEL), "sentinel in JSON");
        assert.ok(!planMarkdown(p).includes(SENTINEL), "sentinel in Markdown");
        assert.ok(json.includes('"[secret]"'), "the secret is shown masked");
    });

    it("exits 1 with only the config error for a broken stack file", async () => {
        const tsx = path.join(ROOT, "node_modules/.bin/tsx");
        const err = await run(tsx, ["tools/plan.ts", "--stack", "broken", "--dir", "test/fixtures/stacks"], {
            cwd: ROOT,
        }).then(
            () => assert.fail("expected exit code 1"),
            (e: { code: number; stdout: string; stderr: string }) => e,
        );
        assert.equal(err.code, 1);
        assert.equal(err.stdout, "");
        assert.equal(
            err.stderr.replace(/^npm warn.*\n/gm, ""),
            [
                "Invalid stack configuration for gitlab-platform (stack broken):",
                '  - cluster.contxt: unknown key (did you mean "context"?)',
                "  - cluster.kubernetesVersion: outside the supported window (expected one of: 1.33, 1.34, 1.35)",
                '  - clustr: unknown key (did you mean "cluster"?)',
                "",
            ].join("\n"),
        );
    });
});

describe("the GitLab API token", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require("../../index") as () => Promise<unknown>;
    const base = {
        "gitlab-platform:cluster": JSON.stringify({
            type: "existing",
            context: "gitlab-dev",
            kubernetesVersion: "1.34",
        }),
        "gitlab:token": "glpat-not-a-real-token-0000",
    };

    it("is refused when stored in plaintext, without echoing it", async () => {
        const err = await recordProgram(program, {
            project: "gitlab-platform",
            stack: "dev",
            config: base,
            secretKeys: [],
        }).then(
            () => assert.fail("expected a ConfigError"),
            (e: unknown) => e,
        );
        assert.ok(ConfigError.is(err));
        assert.deepEqual(err.problems, [
            "gitlab:token: stored in plaintext (expected a secret: pulumi config set --secret gitlab:token ...)",
        ]);
        assert.ok(!err.message.includes("glpat-"));
    });

    it("is accepted as a secret", async () => {
        const run = await recordProgram(program, {
            project: "gitlab-platform",
            stack: "dev",
            config: base,
            secretKeys: ["gitlab:token"],
        });
        assert.ok(run.resources.length > 0);
    });
});
