import { strict as assert } from "node:assert";
import { analyzeRequest, encodeValue, providerOf, urnName, urnType } from "../../tools/policy-gate/encode";
import {
    renderMarkdown,
    renderText,
    sortViolations,
    type GateResult,
    type GateViolation,
} from "../../tools/policy-gate/report";
import { planOf, resource } from "./support";

const URN =
    "urn:pulumi:dev::gitlab-platform::gitlab-platform:gitlab:GitLab$kubernetes:helm.sh/v3:Release::gitlab-release";

function violation(over: Partial<GateViolation>): GateViolation {
    return {
        policy: "p",
        severity: "high",
        enforcementLevel: "mandatory",
        urn: URN,
        resource: { type: "kubernetes:helm.sh/v3:Release", name: "gitlab-release" },
        message: "m",
        description: "Policy p.",
        remediation: "Fix p.",
        ...over,
    };
}

function result(violations: GateViolation[]): GateResult {
    const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
    return {
        version: 1,
        project: "gitlab-platform",
        stack: "dev",
        pack: { name: "gitlab-platform", version: "0.1.0" },
        config: "policy/config/dev.json",
        passed: mandatory === 0,
        summary: { resources: 14, policies: 28, mandatory, advisory: violations.length - mandatory },
        violations: sortViolations(violations),
    };
}

describe("policy gate: encoding for the analyzer protocol", () => {
    it("encodes plan markers as the engine does: secrets as secret values, unknowns as the unknown sentinel", () => {
        assert.deepEqual(encodeValue({ a: "[secret]", b: ["[unknown]", 1], c: { d: null } }), {
            a: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "[secret]" },
            b: ["04da6b54-80e4-46f7-96ec-b56ff0331ba9", 1],
            c: { d: null },
        });
    });

    it("reads type and name out of URNs, parent chains included", () => {
        assert.equal(urnType(URN), "kubernetes:helm.sh/v3:Release");
        assert.equal(urnName(URN), "gitlab-release");
    });

    it("sends a custom resource's explicit provider, or the package's default provider the engine would use", () => {
        const provider = resource("pulumi:providers:kubernetes", { context: "dev" }, { name: "dev-provider" });
        const withProvider = resource("kubernetes:core/v1:Namespace", {}, { provider: provider.urn });
        const plan = planOf([
            provider,
            withProvider,
            resource("aws:kms/key:Key", {}),
            resource("gitlab-platform:gitlab:GitLab", {}, { custom: false }),
        ]);
        assert.deepEqual(
            [
                providerOf(plan, plan.resources[1])?.getName(),
                providerOf(plan, plan.resources[1])?.getProperties()?.toJavaScript(),
            ],
            ["dev-provider", { context: "dev" }],
        );
        assert.equal(
            providerOf(plan, plan.resources[2])?.getUrn(),
            "urn:pulumi:test::gitlab-platform::pulumi:providers:aws::default",
        );
        assert.equal(providerOf(plan, plan.resources[3]), undefined);
        assert.equal(
            analyzeRequest(plan, resource("aws:kms/key:Key", {}, { protect: true }))
                .getOptions()
                ?.getProtect(),
            true,
        );
    });
});

describe("policy gate: reports", () => {
    it("orders violations by severity, then mandatory before advisory, then policy and resource", () => {
        const sorted = sortViolations([
            violation({ policy: "b", severity: "low" }),
            violation({ policy: "c", enforcementLevel: "advisory" }),
            violation({ policy: "d", severity: "critical" }),
            violation({ policy: "a" }),
        ]);
        assert.deepEqual(
            sorted.map((v) => v.policy),
            ["d", "a", "c", "b"],
        );
    });

    it("prints each policy's violations with their URNs and its fix once", () => {
        const text = renderText(
            result([
                violation({ message: "first" }),
                violation({ message: "second" }),
                violation({
                    policy: "q",
                    enforcementLevel: "advisory",
                    urn: null,
                    resource: null,
                    message: "stack-wide",
                }),
            ]),
        );
        assert.equal(
            text,
            [
                "Policy gate gitlab-platform/dev: pack gitlab-platform@0.1.0, config policy/config/dev.json",
                "28 policies over 14 resources",
                "",
                "HIGH",
                "  [mandatory] p (2)",
                `    - ${URN}`,
                "      first",
                `    - ${URN}`,
                "      second",
                "    fix: Fix p.",
                "  [advisory] q (1)",
                "    - (stack)",
                "      stack-wide",
                "    fix: Fix p.",
                "",
                "Result: failed: 2 mandatory violations, 1 advisory violation",
                "",
            ].join("\n"),
        );
    });

    it("writes a Markdown table for merge requests, cells escaped, and a fix list", () => {
        const md = renderMarkdown(result([violation({ message: "a | b\nc" })]));
        assert.equal(
            md,
            [
                "### ❌ Policy gate `gitlab-platform/dev`: failed: 1 mandatory violation",
                "",
                "Pack `gitlab-platform@0.1.0`, config `policy/config/dev.json`, 28 policies over 14 resources.",
                "",
                "| Severity | Level | Policy | Resource | Violation |",
                "| --- | --- | --- | --- | --- |",
                "| high | mandatory | `p` | kubernetes:helm.sh/v3:Release gitlab-release | a \\| b<br>c |",
                "",
                "<details><summary>How to fix</summary>",
                "",
                "- **`p`** (Policy p.): Fix p.",
                "",
                "</details>",
                "",
            ].join("\n"),
        );
        assert.equal(
            renderMarkdown(result([])).split("\n")[0],
            "### ✅ Policy gate `gitlab-platform/dev`: passed: no mandatory violation",
        );
    });
});
