import { strict as assert } from "node:assert";
import { GitLabApiError } from "../../components/gitlab-api/http";
import { createOnce, type RestClient } from "../../components/gitlab-api/namespace-kit";

/**
 * createOnce after a retried POST answered "has already been taken": the object is this create's own only
 * when GitLab made it after the create began; anything older was made by someone else and is refused.
 */
describe("createOnce after a lost answer", () => {
    function api(createdAt: string | undefined): RestClient {
        let finds = 0;
        return {
            find: () =>
                Promise.resolve(
                    finds++ === 0
                        ? undefined
                        : { id: 7, full_path: "apps", ...(createdAt ? { created_at: createdAt } : {}) },
                ),
            post: () => Promise.reject(new GitLabApiError("POST /groups: 400", 400, "path: has already been taken", 2)),
        } as unknown as RestClient;
    }
    const create = (client: RestClient) =>
        createOnce(client, {
            what: "group",
            resourceType: "gitlab:index/group:Group",
            collection: "groups",
            lookup: "groups/apps",
            fullPath: "apps",
            body: { name: "apps", path: "apps" },
        });

    it("takes the group its own first attempt made", async () => {
        assert.equal((await create(api(new Date().toISOString())))["id"], 7);
    });

    it("refuses a group made by someone else before this create began, or one without created_at", async () => {
        for (const createdAt of ["2020-01-01T00:00:00Z", undefined])
            await assert.rejects(create(api(createdAt)), (e: Error) => e.name === "AlreadyExistsError");
    });
});
