/**
 * The notes API stand-in (test/mr-note/fake-gitlab.ts) as a process, for test/pipeline/run-pipeline.sh:
 * `tsx test/pipeline/fake-gitlab-server.ts <url-file>` writes its CI_API_V4_URL to <url-file> once listening
 * and serves until SIGTERM. Token, project and merge request come from FAKE_GITLAB_TOKEN, FAKE_GITLAB_PROJECT
 * and FAKE_GITLAB_MR.
 */
import * as fs from "node:fs";
import { FakeGitLab } from "../mr-note/fake-gitlab";

const [urlFile] = process.argv.slice(2);
const gitlab = new FakeGitLab({
    token: process.env.FAKE_GITLAB_TOKEN ?? "",
    projectId: process.env.FAKE_GITLAB_PROJECT ?? "42",
    mergeRequestIid: Number(process.env.FAKE_GITLAB_MR ?? 7),
});
if (!urlFile || !gitlab.options.token) {
    console.error("usage: FAKE_GITLAB_TOKEN=... tsx test/pipeline/fake-gitlab-server.ts <url-file>");
    process.exit(2);
}
gitlab.start().then(
    (api) => fs.writeFileSync(urlFile, api),
    (err: unknown) => {
        console.error(`fake-gitlab: ${String(err)}`);
        process.exit(1);
    },
);
process.on("SIGTERM", () => void gitlab.stop().then(() => process.exit(0)));
