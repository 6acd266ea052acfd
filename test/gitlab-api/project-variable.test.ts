import { strict as assert } from "node:assert";
import {
    projectVariableProvider,
    validateProjectVariable,
    type ProjectVariableInputs,
} from "../../components/gitlab-api/project-variable";
import { rejection, useGitLab } from "./fixture";

describe("ProjectVariable provider", () => {
    const h = useGitLab();
    const provider = () => projectVariableProvider(h.settings());
    const variable = (more: Partial<ProjectVariableInputs> = {}): ProjectVariableInputs => ({
        project: "group/app",
        key: "KUBE_CONTEXT",
        value: "group/app:prod",
        environmentScope: "*",
        variableType: "env_var",
        ...more,
    });

    it("validates the key pattern and masking without ever quoting the value", async () => {
        assert.deepEqual(validateProjectVariable(variable()), []);
        const problems = validateProjectVariable(
            variable({ key: "KUBE-CONTEXT", value: "s3cr3t", masked: true, variableType: "secret" as never }),
        );
        assert.deepEqual(problems, [
            "key: \"KUBE-CONTEXT\" is not a variable key (expected letters, digits and '_', at most 255 characters)",
            "value: cannot be masked (expected at least 8 characters, only letters, digits and + / = _ - @ : . ~ when masked is true; set raw: true to allow other non-space characters)",
            'variableType: "secret" is not a variable type (expected env_var or file)',
        ]);
        assert.ok(problems.every((p) => !p.includes("s3cr3t")));
        const checked = await provider().check!({} as never, { project: "1", key: "K", value: "v" } as never);
        assert.deepEqual([checked.inputs!.environmentScope, checked.inputs!.variableType], ["*", "env_var"]);
    });

    it("replaces on key or scope, updates value and flags in place", async () => {
        const p = provider();
        assert.deepEqual(await p.diff!("id", variable(), variable({ value: "other", masked: true })), {
            changes: true,
            replaces: [],
            deleteBeforeReplace: false,
        });
        assert.deepEqual(await p.diff!("id", variable(), variable({ environmentScope: "production" })), {
            changes: true,
            replaces: ["environmentScope"],
            deleteBeforeReplace: false,
        });
        assert.deepEqual(await p.diff!("id", variable(), variable({ hidden: true })), {
            changes: true,
            replaces: ["hidden"],
            deleteBeforeReplace: false,
        });
    });

    it("checks masked values against GitLab's Ci::Maskable rules (contract: 'a b c d e' or 'short' passed, '#x' too)", () => {
        const masked = (value: string, raw?: boolean) =>
            validateProjectVariable(variable({ value, masked: true, raw })).length === 0;
        const table: [string, boolean | undefined, boolean][] = [
            ["abcdEFGH1234+/=_-", undefined, true],
            ["user@host:8080.x~y", undefined, true],
            ["1234567", undefined, false],
            ["has#hash1", undefined, false],
            ["dollar$VAR1", undefined, false],
            ["spaces in it", undefined, false],
            ["ünïcödé12", undefined, false],
            ["has#hash1", true, true],
            ["dollar$VAR1", true, true],
            ["spaces in it", true, false],
            ["short", true, false],
        ];
        for (const [value, raw, ok] of table) assert.equal(masked(value, raw), ok, `${value} raw=${raw}`);
        assert.deepEqual(validateProjectVariable(variable({ value: "abcdefgh", hidden: true, masked: false })), [
            "hidden: set with masked: false (expected masked: true or unset: a hidden variable is always masked)",
        ]);
    });

    it("the fake GitLab refuses what GitLab refuses: a masked value outside the alphabet", async () => {
        const err = await rejection(provider().create(variable({ value: "not#maskable", masked: true, raw: false })));
        assert.match(err.message, /400 Bad Request: value: is invalid/);
    });

    it("creates a hidden variable; its value never comes back, state keeps the declared one", async () => {
        const p = provider();
        const created = await p.create({
            ...(await p.check!({} as never, variable({ value: "s3cretValue+8", hidden: true }))).inputs!,
        });
        assert.deepEqual(h.server.requestsTo("POST", /variables$/)[0].body, {
            key: "KUBE_CONTEXT",
            value: "s3cretValue+8",
            masked_and_hidden: true,
            variable_type: "env_var",
            environment_scope: "*",
        });
        assert.deepEqual(
            [created.outs!.hidden, created.outs!.masked, created.outs!.value],
            [true, true, "s3cretValue+8"],
        );
        const read = await p.read!(created.id, created.outs);
        assert.equal(read.props!.value, "s3cretValue+8");
        assert.equal(
            (
                await p.diff!(created.id, read.props!, {
                    ...variable({ value: "s3cretValue+8", hidden: true, masked: true }),
                })
            ).changes,
            false,
        );
    });

    it("removing an optional input is a change back to GitLab's default (contract: it was ignored)", async () => {
        const p = provider();
        const created = await p.create(variable({ protected: true, description: "ctx" }));
        const diff = await p.diff!(created.id, created.outs!, variable());
        assert.deepEqual(diff, { changes: true, replaces: [], deleteBeforeReplace: false });
        const updated = await p.update!(created.id, created.outs!, variable());
        assert.deepEqual([updated.outs!.protected, updated.outs!.description], [false, ""]);
        assert.deepEqual(
            h.server.variables.get(1)!.map((v) => [v.protected, v.description]),
            [[false, ""]],
        );
        assert.equal((await p.diff!(created.id, updated.outs!, variable())).changes, false);
    });

    it("creates, updates, reads and deletes one scope of a key defined for several environments", async () => {
        const p = provider();
        const prod = await p.create(variable({ environmentScope: "production", value: "prod-ctx" }));
        const star = await p.create(variable());
        assert.equal(prod.id, "group/app:KUBE_CONTEXT:production");
        const updated = await p.update!(star.id, star.outs!, variable({ value: "new-ctx", protected: true }));
        assert.deepEqual([updated.outs!.value, updated.outs!.protected], ["new-ctx", true]);
        assert.equal(
            (await p.read!(prod.id, prod.outs)).props!.value,
            "prod-ctx",
            "no 409: every call filters by scope",
        );
        await p.delete!(star.id, updated.outs!);
        assert.deepEqual(
            h.server.variables.get(1)!.map((v) => v.environment_scope),
            ["production"],
        );
        assert.deepEqual(h.server.requestsTo("DELETE", /variables\/KUBE_CONTEXT$/)[0].query, {
            "filter[environment_scope]": "*",
        });
        await p.delete!(star.id, updated.outs!); // already gone: done
    });

    it("refuses to overwrite a variable it did not create (contract: it was overwritten); adopt: true takes it over", async () => {
        h.server.variables.set(1, [
            {
                key: "KUBE_CONTEXT",
                value: "by-hand",
                variable_type: "env_var",
                protected: false,
                masked: false,
                raw: false,
                environment_scope: "*",
                description: null,
            },
        ]);
        const err = await rejection(provider().create(variable()));
        assert.match(
            err.message,
            /^ProjectVariable KUBE_CONTEXT \(environment scope \*\) in project group\/app already exists and this stack did not create it/,
        );
        assert.ok(
            err.message.includes(
                "pulumi import gitlab:index/projectVariable:ProjectVariable <resource name> 'group/app:KUBE_CONTEXT:*'",
            ),
        );
        assert.ok(
            !err.message.includes("by-hand") && !err.message.includes("group/app:prod"),
            "no value in the message",
        );
        assert.equal(h.server.variables.get(1)![0].value, "by-hand");
        const adopted = await provider().create(variable({ adopt: true }));
        assert.equal(adopted.outs!.value, "group/app:prod");
        assert.deepEqual(
            h.server.requests.map((r) => `${r.method} ${r.status}`),
            ["POST 400", "POST 400", "PUT 200"],
        );
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
