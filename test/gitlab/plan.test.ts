/** The dev stack's offline plan installs GitLab against existing services, credentials never shown. */
import { strict as assert } from "node:assert";
import { GITLAB_CHART_VERSION } from "../../components/defaults";
import { SECRET_PLACEHOLDER } from "../../tools/plan/stack-files";
import { plan } from "../helpers/pulumi";

describe("offline plan: dev stack with GitLab", () => {
    let p: Awaited<ReturnType<typeof plan>>;
    before(async () => {
        p = await plan("dev");
    });

    it("releases the pinned chart with every value chart 10.x requires filled", () => {
        const release = p.recorded.one("kubernetes:helm.sh/v3:Release", "gitlab-release");
        assert.equal(release.inputs.version, GITLAB_CHART_VERSION);
        const v = release.inputs.values as Record<string, Record<string, Record<string, unknown>>>;
        const at = (path: string) => path.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], v);
        for (const path of [
            "global.psql.host",
            "global.psql.password.secret",
            "global.psql.password.key",
            "global.redis.host",
            "registry.storage.secret",
            "gitlab.toolbox.backups.objectStorage.config.secret",
            "global.appConfig.object_store.connection.secret",
            "certmanager-issuer.email",
            "global.hosts.domain",
        ]) {
            assert.equal(typeof at(path), "string", path);
            assert.notEqual(at(path), "", path);
        }
        for (const path of ["postgresql.install", "redis.install", "global.minio.enabled", "gitlab-runner.install"])
            assert.equal(at(path), false, path);
    });

    it("shows every credential only as [secret]", () => {
        for (const s of p.recorded.ofType("kubernetes:core/v1:Secret"))
            assert.equal(s.inputs.stringData, "[secret]", s.name);
        assert.ok(!JSON.stringify(p).includes(SECRET_PLACEHOLDER), "a secret config value leaked into the plan");
    });

    it("exports the GitLab and KAS addresses", () => {
        assert.equal(p.outputs.gitlabUrl, "https://gitlab.dev.gitlab-platform.example");
        assert.equal(p.outputs.kasAddress, "wss://kas.dev.gitlab-platform.example");
    });
});
