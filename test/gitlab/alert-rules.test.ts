import { strict as assert } from "node:assert";
import { buildGitLabAlertRules, CERT_MANAGER_SCRAPE_ANNOTATIONS } from "../../components/gitlab/alert-rules";
import { plan } from "../helpers/pulumi";

/** Whether brackets, braces and parentheses nest and double quotes pair up (a cheap PromQL sanity check). */
function balanced(expr: string): boolean {
    const stack: string[] = [];
    const pairs: Record<string, string> = { ")": "(", "]": "[", "}": "{" };
    let quoted = false;
    for (const ch of expr) {
        if (ch === '"') quoted = !quoted;
        if (quoted) continue;
        if ("([{".includes(ch)) stack.push(ch);
        if (ch in pairs && stack.pop() !== pairs[ch]) return false;
    }
    return stack.length === 0 && !quoted;
}

describe("GitLab alert rules (bundled Prometheus)", () => {
    const { groups } = buildGitLabAlertRules();
    const rules = groups.flatMap((g) => g.rules);

    it("cover the components, Gitaly limits, Sidekiq latency, HTTP errors, Redis and certificate expiry", () => {
        assert.deepEqual(
            rules.map((r) => [r.alert, r.labels.severity]),
            [
                ["GitLabComponentDown", "warning"],
                ["GitalyDown", "critical"],
                ["GitLabWebserviceUnavailable", "critical"],
                ["GitLabWorkhorseErrors", "warning"],
                ["GitalyConcurrencyLimited", "warning"],
                ["SidekiqQueueLatencyHigh", "warning"],
                ["GitLabRedisErrors", "critical"],
                ["GitLabCertificateExpiring", "critical"],
            ],
        );
    });

    it("are well-formed: unique names, a duration, a summary, balanced expressions", () => {
        assert.equal(new Set(rules.map((r) => r.alert)).size, rules.length);
        for (const r of rules) {
            assert.match(r.for, /^\d+[smh]$/, r.alert);
            assert.ok(r.annotations.summary.length > 10, r.alert);
            assert.ok(balanced(r.expr), `${r.alert}: ${r.expr}`);
        }
        assert.equal(balanced('up{app="gitaly"'), false, "the check itself catches an unclosed selector");
    });

    it("reach the chart's Prometheus rule file in the prod plan, and cert-manager is scraped", async () => {
        const p = await plan("prod");
        const release = p.recorded.resources.find(
            (r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "gitlab",
        );
        assert.ok(release);
        const values = release.inputs.values as {
            prometheus: { serverFiles: Record<string, unknown> };
            certmanager: { podAnnotations: Record<string, string> };
        };
        assert.deepEqual(values.prometheus.serverFiles["alerting_rules.yml"], buildGitLabAlertRules());
        assert.deepEqual(values.certmanager.podAnnotations, CERT_MANAGER_SCRAPE_ANNOTATIONS);
    });
});
