/**
 * `npm run test:render`: every stack of the repository planned and every Helm release rendered with the real helm
 * against the charts in GITLAB_PLATFORM_CHART_CACHE (offline). No error may be found; the gitlab-agent
 * release is the one allowed NOT RENDERED (no package in ../shared/charts). About 40 s per stack on a busy
 * 2-core machine, so it runs in .ci/run right after `npm test` rather than inside it (counted in its summary).
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { formatFinding } from "../../tools/render/findings";
import { renderStack } from "../../tools/render/render-stack";
import { chartCache } from "./helpers";

const ROOT = path.resolve(__dirname, "..", "..");

describe("render of the repository's stacks", function () {
    this.timeout(300_000);
    // What each stack renders with the packages of ../shared/charts, and what it cannot (NOT_RENDERED_ALLOWED).
    const expected: Record<string, { rendered: string[]; notRendered: string[] }> = {
        dev: { rendered: ["gitlab 9.10.0"], notRendered: ["gateway-crds-helm"] },
        prod: { rendered: ["gitlab 9.10.0"], notRendered: ["cluster-autoscaler", "external-dns", "gateway-crds-helm"] },
        "dev-workloads": { rendered: ["flux-operator 0.49.0", "gitlab-runner 0.86.0"], notRendered: ["gitlab-agent"] },
        "prod-workloads": { rendered: ["flux-operator 0.49.0", "gitlab-runner 0.86.0"], notRendered: ["gitlab-agent"] },
    };
    for (const [stack, want] of Object.entries(expected)) {
        it(`${stack}: renders every release with a chart package and finds no error`, async () => {
            const report = await renderStack(ROOT, stack, {
                chartCache: chartCache() ?? assert.fail("no chart cache"),
                offline: true,
            });
            const errors = report.findings.filter((f) => f.severity === "error");
            assert.deepEqual(errors.map(formatFinding), []);
            const rendered = new Set(
                report.releases.filter((r) => r.rendered).map((r) => `${r.chart} ${r.rendered!.version}`),
            );
            assert.deepEqual([...rendered].sort(), want.rendered);
            const notRendered = [...new Set(report.releases.filter((r) => !r.rendered).map((r) => r.chart))].sort();
            assert.deepEqual(notRendered, want.notRendered);
            if (!want.rendered.includes("gitlab 9.10.0")) return;
            // The bundled cert-manager serves Gateway API (the finding this layer was built for).
            const certmanager = (
                report.plan.resources.find((r) => r.name === "gitlab-release")!.inputs.values as {
                    certmanager: { config: unknown };
                }
            ).certmanager;
            assert.deepEqual(certmanager.config, {
                apiVersion: "controller.config.cert-manager.io/v1alpha1",
                kind: "ControllerConfiguration",
                enableGatewayAPI: true,
            });
        });
    }
});
