import { strict as assert } from "node:assert";
import {
    projectDeployTokenProvider,
    validateProjectDeployToken,
} from "../../components/gitlab-api/project-deploy-token";
import { assertNoSecrets, rejection, useGitLab } from "./fixture";

describe("ProjectDeployToken provider", () => {
    const h = useGitLab();
    const provider = () => projectDeployTokenProvider(h.settings());

    it("validates scopes as a subset and dates as RFC 3339, naming the field", () => {
        assert.deepEqual(
            validateProjectDeployToken({
                project: "group/app",
                name: "flux",
                scopes: ["read_registry"],
                expiresAt: "2027-01-31T00:00:00Z",
            }),
            [],
        );
        assert.deepEqual(
            validateProjectDeployToken({
                project: "group/app",
                name: "flux",
                scopes: ["read_registry", "api" as never, "sudo" as never],
                expiresAt: "next week",
            }),
            [
                'scopes: "api", "sudo" not allowed (expected a subset of read_repository, read_registry, write_registry, read_virtual_registry, write_virtual_registry, read_package_registry, write_package_registry)',
                'expiresAt: "next week" is not a date (expected RFC 3339, e.g. 2027-01-31T00:00:00Z)',
            ],
        );
        assert.match(
            validateProjectDeployToken({ project: "1", name: "x", scopes: [] })[0],
            /^scopes: missing or empty/,
        );
    });

    it("replaces on every change; the same instant in another notation is no change", async () => {
        const olds = {
            project: "1",
            name: "flux",
            scopes: ["read_registry" as const],
            expiresAt: "2027-01-31T00:00:00.000Z",
            username: "gitlab+deploy-token-3",
            token: "t",
            deployTokenId: 3,
        };
        const p = provider();
        assert.deepEqual(
            await p.diff!("1:3", olds, {
                project: "1",
                name: "flux",
                scopes: ["read_registry"],
                expiresAt: "2027-01-31T00:00:00Z",
            }),
            { changes: false, replaces: [], deleteBeforeReplace: false },
        );
        assert.deepEqual(
            await p.diff!("1:3", olds, { project: "1", name: "flux-2", scopes: ["read_registry", "read_repository"] }),
            { changes: true, replaces: ["name", "scopes", "expiresAt"], deleteBeforeReplace: false },
        );
        // Contract: removing expiresAt (a token that never expires) was ignored, leaving the old expiry in place.
        assert.deepEqual(await p.diff!("1:3", olds, { project: "1", name: "flux", scopes: ["read_registry"] }), {
            changes: true,
            replaces: ["expiresAt"],
            deleteBeforeReplace: false,
        });
    });

    it("refuses a second active token of the same name (contract: a duplicate was minted)", async () => {
        const p = provider();
        const first = await p.create({ project: "group/app", name: "flux", scopes: ["read_registry"] });
        const err = await rejection(p.create({ project: "group/app", name: "flux", scopes: ["read_registry"] }));
        assert.equal(
            err.message,
            `ProjectDeployToken "flux" in project group/app already exists and this stack did not create it (deploy token ID ${first.outs!.deployTokenId}): refusing to mint a second token of that name (expected another name, or that token revoked first: GitLab shows a token's value only at creation, so it cannot be adopted or imported with its value)`,
        );
        assert.equal(h.server.deployTokens.size, 1);
        h.server.deployTokens.get(first.outs!.deployTokenId)!.revoked = true;
        assert.match(
            (await p.create({ project: "group/app", name: "flux", scopes: ["read_registry"] })).outs!.token,
            /^gldt-/,
            "a revoked namesake is no clash",
        );
    });

    it('never stores a token missing from GitLab\'s answer (contract: it became "undefined")', async () => {
        h.server.inject({
            method: "POST",
            status: 201,
            body: { id: 5, name: "flux", username: "u", scopes: ["read_registry"] },
        });
        const err = await rejection(
            provider().create({ project: "group/app", name: "flux", scopes: ["read_registry"] }),
        );
        assert.equal(err.message, "new deploy token: field token is missing (expected a non-empty string)");
    });

    it("creates a token with GitLab's default username, reads it, and treats revoked or deleted as gone", async () => {
        const p = provider();
        const created = await p.create({
            project: "group/app",
            name: "flux",
            scopes: ["read_registry"],
            expiresAt: "2027-01-31T00:00:00Z",
        });
        const outs = created.outs!;
        assert.match(outs.token, /^gldt-/);
        assert.equal(outs.username, `gitlab+deploy-token-${outs.deployTokenId}`);
        assert.equal(created.id, `group/app:${outs.deployTokenId}`);
        assert.deepEqual(h.server.requestsTo("POST", /deploy_tokens$/)[0].body, {
            name: "flux",
            scopes: ["read_registry"],
            expires_at: "2027-01-31T00:00:00Z",
        });
        assert.deepEqual((await p.read!(created.id, outs)).props, outs);
        h.server.deployTokens.get(outs.deployTokenId)!.revoked = true;
        assert.deepEqual(await p.read!(created.id, outs), {});
        await p.delete!(created.id, outs);
        assert.equal(h.server.deployTokens.size, 0);
        await p.delete!(created.id, outs); // already deleted: done
        assertNoSecrets(h.server, h.logs);
    });

    it("surfaces the HTTP layer's error unchanged through gitbeaker when GitLab stays unavailable", async () => {
        h.server.inject({ method: "POST", status: 503, times: 5, headers: { "Retry-After": "0" } });
        const err = await rejection(
            provider().create({ project: "group/app", name: "flux", scopes: ["read_registry"] }),
        );
        assert.match(
            err.message,
            /^GitLab API POST \/projects\/group%2Fapp\/deploy_tokens: gave up after 3 attempts in \d+ ms \(bounds: 3 attempts, 2000 ms\); last: 503 Service Unavailable/,
        );
        assert.equal(err.name, "GitLabApiError");
        assert.equal(h.server.deployTokens.size, 0);
    });
});
