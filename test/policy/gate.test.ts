import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gitlabExternalDataServices, helmValuesNoInlineCredentials } from "../../policy/helm";
import { gitlabNodeCapacity } from "../../policy/cluster";
import { main } from "../../tools/policy-gate/cli";
import { renderText, type GateResult } from "../../tools/policy-gate/report";
import { runPolicyGate } from "../../tools/policy-gate/run-gate";
import { plan, ROOT } from "../helpers/pulumi";
import { planOf } from "./support";

const PACK = path.join(ROOT, "policy");

/** Whether a process is gone (signal 0 only checks existence). */
function gone(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return false;
    } catch (err) {
        return (err as NodeJS.ErrnoException).code === "ESRCH";
    }
}

/** Child processes of this test process running the policy pack (Linux /proc). */
function packChildren(): number[] {
    return fs
        .readdirSync("/proc")
        .filter((d) => /^\d+$/.test(d))
        .filter((pid) => {
            try {
                const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
                const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
                return (
                    ppid === process.pid && fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("run-policy-pack")
                );
            } catch {
                return false;
            }
        })
        .map(Number);
}

/** The stacks of this repository: Pulumi.<stack>.yaml beside Pulumi.yaml. */
const STACKS = fs
    .readdirSync(ROOT)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined);

describe("policy gate: the real pack process over the analyzer protocol", function () {
    this.timeout(120_000);
    afterEach(() => assert.deepEqual(packChildren(), [], "a policy pack process outlived its gate run"));

    for (const stack of STACKS) {
        it(`passes the ${stack} stack under its policy config, and stops the pack`, async () => {
            const config = path.join(PACK, "config", `${stack}.json`);
            let pid = 0;
            const result = await runPolicyGate({
                plan: await plan(stack),
                packDir: PACK,
                configFile: fs.existsSync(config) ? config : undefined,
                onPackSpawned: (p) => (pid = p),
            });
            assert.equal(result.passed, true, renderText(result));
            assert.equal(result.summary.mandatory, 0);
            assert.ok(pid > 0 && gone(pid), `pack process ${pid} still running`);
        });
    }

    it("fails the policy-violations fixture stack with exactly the violations it was made for (CLI: exit 1, JSON, Markdown)", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-gate-"));
        let stdout = "";
        const code = await main(
            [
                "--stack",
                "policy-violations",
                "--dir",
                path.join(ROOT, "test", "fixtures", "stacks"),
                "--pack",
                PACK,
                "--json",
                `${dir}/policy.json`,
                "--md",
                `${dir}/policy.md`,
            ],
            { stdout: (t) => (stdout += t), stderr: (t) => assert.fail(t) },
        );
        assert.equal(code, 1);
        const result = JSON.parse(fs.readFileSync(`${dir}/policy.json`, "utf8")) as GateResult;
        const markdown = fs.readFileSync(`${dir}/policy.md`, "utf8");
        fs.rmSync(dir, { recursive: true });
        assert.equal(result.passed, false);
        assert.deepEqual(result.pack, { name: "gitlab-platform", version: "0.1.0" });
        assert.equal(result.config, null);
        assert.deepEqual(
            result.violations.map((v) => [
                v.severity,
                v.enforcementLevel,
                v.policy,
                v.resource?.name ?? null,
                v.message,
            ]),
            [
                [
                    "critical",
                    "mandatory",
                    "gitlab-external-data-services",
                    "gitlab-release",
                    "values.global.minio.enabled: true installs the bundled MinIO (expected false: external object storage through global.appConfig.object_store.*)",
                ],
                [
                    "critical",
                    "mandatory",
                    "gitlab-external-data-services",
                    "gitlab-release",
                    "values.postgresql.install: true installs the bundled PostgreSQL (expected false: an external PostgreSQL through global.psql.*)",
                ],
                [
                    "critical",
                    "mandatory",
                    "helm-values-no-inline-credentials",
                    "gitlab-release",
                    "values.gitlab.webservice.extraEnv.DEPLOY_NOTE: contains a GitLab access token (glpat-) (expected it in a Secret the chart references by name)",
                ],
                [
                    "critical",
                    "mandatory",
                    "helm-values-no-inline-credentials",
                    "gitlab-release",
                    "values.global.smtp.password: a credential inline (expected a Secret reference: the Secret's name and key)",
                ],
                [
                    "high",
                    "mandatory",
                    "gitlab-node-capacity",
                    "gitlab",
                    "cluster capacity unknown: no EKS node group and no nodeCapacity declared on gitlab-platform:cluster:KubernetesCluster (expected at least 8 vCPU / 30 GB)",
                ],
            ],
        );
        // Remediation text and descriptions reach the gate from the pack (GetAnalyzerInfo, diagnostics).
        const byPolicy = new Map(result.violations.map((v) => [v.policy, v]));
        for (const p of [gitlabExternalDataServices, helmValuesNoInlineCredentials, gitlabNodeCapacity]) {
            assert.equal(byPolicy.get(p.name)?.remediation, p.remediationSteps);
            assert.equal(byPolicy.get(p.name)?.description, p.description);
        }
        assert.equal(
            result.violations[0].urn,
            "urn:pulumi:policy-violations::gitlab-platform::gitlab-platform:gitlab:GitLab$kubernetes:helm.sh/v3:Release::gitlab-release",
        );
        assert.match(stdout, /\nCRITICAL\n {2}\[mandatory\] gitlab-external-data-services \(2\)\n/);
        assert.match(stdout, /\nResult: failed: 5 mandatory violations\n$/);
        assert.match(
            markdown,
            /^### ❌ Policy gate `gitlab-platform\/policy-violations`: failed: 5 mandatory violations\n/,
        );
    });

    it("stops the pack when the policy config turns out invalid after it started", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-gate-"));
        const config = path.join(dir, "typo.json");
        fs.writeFileSync(config, JSON.stringify({ "helm-chart-version-pin": "mandatory" }));
        let pid = 0;
        await assert.rejects(
            runPolicyGate({ plan: planOf([]), packDir: PACK, configFile: config, onPackSpawned: (p) => (pid = p) }),
            /helm-chart-version-pin: no such policy in the pack \(did you mean "helm-chart-version-pinned"\?\)/,
        );
        fs.rmSync(dir, { recursive: true });
        assert.ok(pid > 0 && gone(pid), `pack process ${pid} still running`);
    });

    it("stops the pack when it does not print its port in time", async () => {
        let pid = 0;
        await assert.rejects(
            runPolicyGate({ plan: planOf([]), packDir: PACK, startTimeoutMs: 1, onPackSpawned: (p) => (pid = p) }),
            /policy pack did not print its port within 1 ms/,
        );
        assert.ok(pid > 0 && gone(pid), `pack process ${pid} still running`);
    });
});
