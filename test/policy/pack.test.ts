import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import { PACK_NAME, POLICIES } from "../../policy/policies";
import {
    parsePolicyConfig,
    PolicyConfigError,
    reconcilePolicyConfig,
    type PolicyDescription,
} from "../../tools/policy-gate/pack-config";
import { ROOT } from "../helpers/pulumi";

/** The policies as GetAnalyzerInfo describes them. */
const described: PolicyDescription[] = POLICIES.map((p) => ({
    name: p.name,
    enforcementLevel: p.enforcementLevel,
    properties: p.configSchema?.properties ?? {},
    required: p.configSchema?.required ?? [],
}));

describe("the policy pack", () => {
    it("has unique kebab-case policies, each with a description, severity, default level and remediation", () => {
        assert.equal(PACK_NAME, "gitlab-platform");
        assert.equal(new Set(POLICIES.map((p) => p.name)).size, POLICIES.length);
        for (const p of POLICIES) {
            assert.match(p.name, /^[a-z0-9]+(-[a-z0-9]+)*$/, p.name);
            assert.ok(p.description.endsWith("."), p.name);
            assert.ok(["low", "medium", "high", "critical"].includes(p.severity), p.name);
            assert.ok(["advisory", "mandatory"].includes(p.enforcementLevel), p.name);
            assert.ok(p.remediationSteps.length > 20, p.name);
        }
    });

    it("is documented: docs/policies.md has one table row per policy, with its severity and default level", () => {
        const rows = fs
            .readFileSync(`${ROOT}/docs/policies.md`, "utf8")
            .split("\n")
            .map((l) => /^\| `([a-z0-9-]+)` \| (\w+) \| (\w+) \|/.exec(l))
            .filter((m) => m !== null)
            .map((m) => `${m[1]} ${m[2]} ${m[3]}`);
        assert.deepEqual(
            rows,
            POLICIES.map((p) => `${p.name} ${p.severity} ${p.enforcementLevel}`),
        );
    });

    it("keeps critical policies mandatory by default", () => {
        assert.deepEqual(
            POLICIES.filter((p) => p.severity === "critical" && p.enforcementLevel !== "mandatory").map((p) => p.name),
            [],
        );
    });
});

describe("policy pack config files", () => {
    for (const stack of ["dev", "prod"]) {
        it(`policy/config/${stack}.json is valid for the pack`, () => {
            const file = `${ROOT}/policy/config/${stack}.json`;
            const { problems } = reconcilePolicyConfig(
                described,
                parsePolicyConfig(fs.readFileSync(file, "utf8"), file),
            );
            assert.deepEqual(problems, []);
        });
    }

    it("dev keeps security mandatory and lowers the rest; prod makes everything mandatory but OCI verification", () => {
        const levels = (stack: string) => {
            const file = `${ROOT}/policy/config/${stack}.json`;
            const { config } = reconcilePolicyConfig(described, parsePolicyConfig(fs.readFileSync(file, "utf8"), file));
            return (level: string) =>
                [...config]
                    .filter(([, c]) => c.enforcementLevel === level)
                    .map(([n]) => n)
                    .sort();
        };
        assert.deepEqual(levels("dev")("mandatory"), [
            "aws-s3-public-access-blocked",
            "gitlab-external-data-services",
            "gitlab-runner-unprivileged",
            "helm-chart-version-pinned",
            "helm-values-no-inline-credentials",
            "k8s-configmap-no-credentials",
            "k8s-no-cluster-admin",
            "k8s-no-privileged-containers",
            "k8s-secret-data-secret",
            "kubernetes-version-supported",
        ]);
        assert.deepEqual(levels("prod")("advisory"), ["flux-oci-source-verified"]);
        assert.deepEqual(levels("prod")("disabled"), []);
    });

    it("applies levels as the CLI does: policy levels and schema defaults, then all, then each policy's entry", () => {
        const given = parsePolicyConfig(
            JSON.stringify({
                all: "advisory",
                "aws-data-backups": { enforcementLevel: "mandatory", minDays: 14 },
                "k8s-service-no-loadbalancer": { allowed: ["ingress/gateway"] },
            }),
            "x.json",
        );
        const { config, problems } = reconcilePolicyConfig(described, given);
        assert.deepEqual(problems, []);
        assert.deepEqual(config.get("aws-data-backups"), {
            enforcementLevel: "mandatory",
            properties: { minDays: 14 },
        });
        assert.deepEqual(config.get("k8s-service-no-loadbalancer"), {
            enforcementLevel: "advisory",
            properties: { allowed: ["ingress/gateway"] },
        });
        assert.deepEqual(config.get("k8s-container-resources"), {
            enforcementLevel: "advisory",
            properties: { limits: ["cpu", "memory"] },
        });
        assert.deepEqual(reconcilePolicyConfig(described, new Map()).config.get("helm-chart-version-pinned"), {
            enforcementLevel: "mandatory",
            properties: {},
        });
    });

    it("names every problem: bad levels, unknown policies and properties, values outside the schema", () => {
        assert.throws(
            () =>
                parsePolicyConfig(
                    JSON.stringify({ all: "strict", "aws-data-backups": { enforcementLevel: 1 }, x: 3 }),
                    "bad.json",
                ),
            (err: unknown) =>
                err instanceof PolicyConfigError &&
                JSON.stringify(err.problems) ===
                    JSON.stringify([
                        'all: "strict" is not an enforcement level (expected one of: advisory, mandatory, remediate, disabled)',
                        "aws-data-backups.enforcementLevel: 1 is not an enforcement level (expected one of: advisory, mandatory, remediate, disabled)",
                        'x: 3 is neither a level nor an object (expected "mandatory" or {"enforcementLevel": ..., <properties>})',
                    ]),
        );
        const given = parsePolicyConfig(
            JSON.stringify({
                "aws-data-backup": "mandatory",
                "aws-data-backups": { minDays: 0 },
                "k8s-container-resources": { limits: ["gpu"] },
                "helm-chart-version-pinned": { pattern: "x" },
            }),
            "typos.json",
        );
        assert.deepEqual(reconcilePolicyConfig(described, given).problems, [
            'aws-data-backup: no such policy in the pack (did you mean "aws-data-backups"?)',
            "aws-data-backups.minDays: 0 is below the minimum (expected at least 1)",
            'k8s-container-resources.limits[0]: "gpu" is not allowed (expected one of: "cpu", "memory")',
            "helm-chart-version-pinned.pattern: unknown property (expected no properties: the policy takes only a level)",
        ]);
    });
});
