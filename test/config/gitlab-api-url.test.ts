/** Issue 15: a stack with GitLab API resources and no GitLab API URL is a config error naming the key. */
import { strict as assert } from "node:assert";
import { problemLine } from "../../components/errors";
import { gitlabApiUrlProblems as problemsOf } from "../../config";

const gitlabApiUrlProblems = (...a: Parameters<typeof problemsOf>) => problemsOf(...a).map(problemLine);

describe("config: gitlab:baseUrl for GitLab API resources (no default URL)", () => {
    const MESSAGE = "there is no default, so the token is never sent to a GitLab the stack did not name";

    it("refuses a stack declaring agent, runners or Flux syncs without gitlab:baseUrl, naming the key and the users", () => {
        const problems = gitlabApiUrlProblems(
            { agent: {} as never, runners: [{}] as never, flux: { syncs: [{}] } as never },
            { gitlabBaseUrlSet: false },
        );
        assert.equal(problems.length, 1);
        assert.match(
            problems[0],
            /^gitlab:baseUrl: missing, but agent, runners, flux\.syncs declare GitLab API resources \(expected the GitLab API URL/,
        );
        assert.ok(problems[0].includes(MESSAGE));
        assert.match(
            gitlabApiUrlProblems({ runners: [{}] as never }, { gitlabBaseUrlSet: false })[0],
            /^gitlab:baseUrl: missing, but runners declare/,
        );
    });

    it("accepts the URL when set, and a stack without GitLab API resources without it", () => {
        assert.deepEqual(gitlabApiUrlProblems({ agent: {} as never }, { gitlabBaseUrlSet: true }), []);
        assert.deepEqual(
            gitlabApiUrlProblems({ runners: [], flux: { syncs: [] } as never }, { gitlabBaseUrlSet: false }),
            [],
        );
        assert.deepEqual(
            gitlabApiUrlProblems({ agent: {} as never }, {}),
            [],
            "pure callers that do not know skip the rule",
        );
    });
});
