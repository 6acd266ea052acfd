/**
 * `npm run test:render`: the dev and prod stacks planned and every Helm release rendered with the real helm
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
    for (const stack of ["dev", "prod"]) {
        it(`${stack}: renders every release with a chart package and finds no error`, async () => {
            const report = await renderStack(ROOT, stack, { chartCache: chartCache() ?? assert.fail("no chart cache"), offline: true });
            const errors = report.findings.filter((f) => f.severity === "error");
            assert.deepEqual(errors.map(formatFinding), []);
            const rendered = report.releases.filter((r) => r.rendered).map((r) => `${r.chart} ${r.rendered!.version}`);
            assert.ok(rendered.includes("gitlab 9.10.0") && rendered.includes("gitlab-runner 0.86.0") && rendered.includes("flux-operator 0.49.0"), rendered.join(", "));
            const notRendered = report.releases.filter((r) => !r.rendered).map((r) => r.chart);
            assert.deepEqual(notRendered, ["gitlab-agent"]);
            // The bundled cert-manager serves Gateway API (the finding this layer was built for).
            const certmanager = (report.plan.resources.find((r) => r.name === "gitlab-release")!.inputs.values as { certmanager: { config: unknown } }).certmanager;
            assert.deepEqual(certmanager.config, { apiVersion: "controller.config.cert-manager.io/v1alpha1", kind: "ControllerConfiguration", enableGatewayAPI: true });
        });
    }
});
