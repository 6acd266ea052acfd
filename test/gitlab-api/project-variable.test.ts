import { strict as assert } from "node:assert";
import { projectVariableProvider, validateProjectVariable, type ProjectVariableInputs } from "../../components/gitlab-api/project-variable";
import { useGitLab } from "./fixture";

describe("ProjectVariable provider", () => {
    const h = useGitLab();
    const provider = () => projectVariableProvider(h.settings());
    const variable = (more: Partial<ProjectVariableInputs> = {}): ProjectVariableInputs => ({
        project: "group/app", key: "KUBE_CONTEXT", value: "group/app:prod", environmentScope: "*", variableType: "env_var", ...more,
    });

    it("validates the key pattern and masking without ever quoting the value", async () => {
        assert.deepEqual(validateProjectVariable(variable()), []);
        const problems = validateProjectVariable(variable({ key: "KUBE-CONTEXT", value: "s3cr3t", masked: true, variableType: "secret" as never }));
        assert.deepEqual(problems, [
            'key: "KUBE-CONTEXT" is not a variable key (expected letters, digits and \'_\', at most 255 characters)',
            "value: cannot be masked (expected at least 8 characters and no whitespace when masked is true)",
            'variableType: "secret" is not a variable type (expected env_var or file)',
        ]);
        assert.ok(problems.every((p) => !p.includes("s3cr3t")));
        const checked = await provider().check!({} as never, { project: "1", key: "K", value: "v" } as never);
        assert.deepEqual([checked.inputs!.environmentScope, checked.inputs!.variableType], ["*", "env_var"]);
    });

    it("replaces on key or scope, updates value and flags in place", async () => {
        const p = provider();
        assert.deepEqual(await p.diff!("id", variable(), variable({ value: "other", masked: true })), { changes: true, replaces: [], deleteBeforeReplace: false });
        assert.deepEqual(await p.diff!("id", variable(), variable({ environmentScope: "production" })), { changes: true, replaces: ["environmentScope"], deleteBeforeReplace: false });
    });

    it("creates, updates, reads and deletes one scope of a key defined for several environments", async () => {
        const p = provider();
        const prod = await p.create(variable({ environmentScope: "production", value: "prod-ctx" }));
        const star = await p.create(variable());
        assert.equal(prod.id, "group/app:KUBE_CONTEXT:production");
        const updated = await p.update!(star.id, star.outs!, variable({ value: "new-ctx", protected: true }));
        assert.deepEqual([updated.outs!.value, updated.outs!.protected], ["new-ctx", true]);
        assert.equal((await p.read!(prod.id, prod.outs)).props!.value, "prod-ctx", "no 409: every call filters by scope");
        await p.delete!(star.id, updated.outs!);
        assert.deepEqual(h.server.variables.get(1)!.map((v) => v.environment_scope), ["production"]);
        assert.deepEqual(h.server.requestsTo("DELETE", /variables\/KUBE_CONTEXT$/)[0].query, { "filter[environment_scope]": "*" });
        await p.delete!(star.id, updated.outs!); // already gone: done
    });

    it("adopts an existing variable by setting it to the declared value", async () => {
        h.server.variables.set(1, [{ key: "KUBE_CONTEXT", value: "by-hand", variable_type: "env_var", protected: false, masked: false, raw: false, environment_scope: "*", description: null }]);
        const created = await provider().create(variable());
        assert.equal(created.outs!.value, "group/app:prod");
        assert.deepEqual(h.server.requests.map((r) => `${r.method} ${r.status}`), ["POST 400", "PUT 200"]);
    });

    it("detects drift and deletion on refresh; an update recreates a deleted variable", async () => {
        const p = provider();
        const created = await p.create(variable());
        h.server.variables.get(1)![0].value = "changed";
        const refreshed = await p.read!(created.id, created.outs);
        assert.equal(refreshed.props!.value, "changed");
        assert.equal((await p.diff!(created.id, refreshed.props!, variable())).changes, true);
        h.server.variables.set(1, []);
        assert.deepEqual(await p.read!(created.id, created.outs), {});
        await p.update!(created.id, created.outs!, variable());
        assert.equal(h.server.variables.get(1)!.length, 1);
    });
});
