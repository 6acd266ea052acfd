/**
 * The pipeline definition: valid against GitLab's CI schema (gitlab-ci-local bundles and applies it on
 * load), the right jobs for each kind of pipeline, and the conventions it promises. Running the jobs
 * themselves is test/pipeline/run-pipeline.sh (from .ci/run): too slow for the unit tests.
 */
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { parse } from "yaml";
import { ROOT } from "../helpers/pulumi";

const run = promisify(execFile);
/** This test may run inside a CI job: gitlab-ci-local gets none of that job's variables (nor GCL_ options). */
const ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(CI_|GITLAB_|GCL_)/.test(k)));
const GITLAB_CI_LOCAL = path.join(ROOT, "node_modules/gitlab-ci-local/dist/index.js");
const CONFIG = fs.readFileSync(path.join(ROOT, ".gitlab-ci.yml"), "utf8");
type Job = { name: string; when: string; environment: string };
/** A job's `needs` as gitlab-ci-local resolves them (matrix expressions substituted). */
type Need = { job: string; parallel?: { matrix: Record<string, string>[] } };

describe("pipeline definition (.gitlab-ci.yml)", function () {
    this.timeout(60_000);
    const dirs: string[] = [];
    const pipelines: Record<string, Job[]> = {};
    let schemaLog = "";
    let broken: { code: number; output: string } | undefined;
    /** Main-branch jobs with their resolved needs (gitlab-ci-local --list-json). */
    let mainNeeds: { name: string; needs?: Need[] }[] = [];

    /** A scratch git repository holding `ciYaml`, for gitlab-ci-local to read. */
    async function scratchRepo(ciYaml: string): Promise<string> {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gitlab-ci-"));
        dirs.push(dir);
        fs.writeFileSync(path.join(dir, ".gitlab-ci.yml"), ciYaml);
        fs.copyFileSync(path.join(ROOT, "package-lock.json"), path.join(dir, "package-lock.json"));
        const git = (...args: string[]) =>
            run("git", ["-c", "user.name=t", "-c", "user.email=t@localhost", ...args], { cwd: dir });
        await git("init", "--quiet", "--initial-branch=main");
        await git("add", "-A");
        await git("commit", "--quiet", "-m", "pipeline");
        return dir;
    }

    /** gitlab-ci-local arguments setting these predefined variables. */
    function gclVariables(variables: Record<string, string>): string[] {
        const args = ["--ignore-predefined-vars", Object.keys(variables).join(",")];
        for (const [k, v] of Object.entries(variables)) args.push("--variable", `${k}=${v}`);
        return args;
    }

    /** The jobs gitlab-ci-local puts in a pipeline with these predefined variables (rules evaluated). */
    async function list(
        repo: string,
        scenario: string,
        variables: Record<string, string>,
        unset: string[] = [],
    ): Promise<{ jobs: Job[]; stderr: string }> {
        const args = [GITLAB_CI_LOCAL, "--list-csv", "--state-dir", `.state-${scenario}`, ...gclVariables(variables)];
        for (const k of unset) args.push("--unset-variable", k);
        const { stdout, stderr } = await run(process.execPath, args, { cwd: repo, env: ENV });
        const rows = stdout
            .trim()
            .split("\n")
            .slice(1)
            .map((line) => line.split(";"));
        return { jobs: rows.map(([name, , when, , environment]) => ({ name, when, environment })), stderr };
    }

    // gitlab-ci-local takes about a second per run, mostly compiling the schema: all runs at once, up front.
    before(async () => {
        const [repo, brokenRepo] = await Promise.all([
            scratchRepo(CONFIG),
            scratchRepo(CONFIG.replace("  interruptible: false", '  interruptible: "no"')),
        ]);
        const mr = { CI_PIPELINE_SOURCE: "merge_request_event", CI_MERGE_REQUEST_IID: "7", CI_PROJECT_ID: "42" };
        // Merge request pipelines have no CI_COMMIT_BRANCH; gitlab-ci-local sets it from the checkout.
        const tag = { CI_PIPELINE_SOURCE: "push", CI_COMMIT_TAG: "v0.1.0", CI_DEFAULT_BRANCH: "main" };
        // PREVIEW_AWS_ROLE_ARN: this project's (unprotected) read-only preview role; a fork has none.
        const mainVars = { CI_PIPELINE_SOURCE: "push", CI_COMMIT_BRANCH: "main", CI_DEFAULT_BRANCH: "main" };
        const [own, fork, main, release, unprotected, , mainJson] = await Promise.all([
            list(
                repo,
                "own",
                {
                    ...mr,
                    CI_MERGE_REQUEST_SOURCE_PROJECT_ID: "42",
                    PREVIEW_AWS_ROLE_ARN: "arn:aws:iam::1:role/preview",
                },
                ["CI_COMMIT_BRANCH"],
            ),
            list(repo, "fork", { ...mr, CI_PROJECT_ID: "99", CI_MERGE_REQUEST_SOURCE_PROJECT_ID: "99" }, [
                "CI_COMMIT_BRANCH",
            ]),
            list(repo, "main", mainVars),
            list(repo, "tag", { ...tag, CI_COMMIT_REF_PROTECTED: "true" }, ["CI_COMMIT_BRANCH"]),
            list(repo, "tag-unprotected", { ...tag, CI_COMMIT_REF_PROTECTED: "false" }, ["CI_COMMIT_BRANCH"]),
            run(process.execPath, [GITLAB_CI_LOCAL, "--list-csv"], { cwd: brokenRepo, env: ENV }).then(
                () => (broken = { code: 0, output: "" }),
                (e: { code: number; stdout: string; stderr: string }) =>
                    (broken = { code: e.code, output: e.stdout + e.stderr }),
            ),
            run(
                process.execPath,
                [GITLAB_CI_LOCAL, "--list-json", "--state-dir", ".state-main-json", ...gclVariables(mainVars)],
                { cwd: repo, env: ENV },
            ),
        ]);
        Object.assign(pipelines, {
            own: own.jobs,
            fork: fork.jobs,
            main: main.jobs,
            release: release.jobs,
            unprotected: unprotected.jobs,
        });
        schemaLog = own.stderr;
        mainNeeds = JSON.parse(mainJson.stdout) as typeof mainNeeds;
    });

    after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

    it("passes GitLab's CI schema, which gitlab-ci-local applies (a broken config fails it)", () => {
        assert.match(schemaLog, /json schema validated in/);
        assert.equal(broken?.code, 1);
        assert.match(broken.output, /interruptible/);
    });

    it("runs validate and plan per stack for merge requests, preview only for dev (never prod), deploys on the default branch", () => {
        const names = (js: Job[]) => js.map((j) => j.name);
        // Contract (issue 15): preview ran for prod in every merge request, with credentials that decrypt prod.
        const plans = ["plan: [dev]", "plan: [prod]", "plan:workloads: [dev]", "plan:workloads: [prod]"];
        assert.deepEqual(names(pipelines.own), ["validate", ...plans, "preview: [dev]"]);
        assert.deepEqual(
            names(pipelines.fork),
            ["validate", ...plans],
            "in the fork's own project: no preview role, no preview",
        );
        // A fork's merge request never runs in this project: the first workflow rule. (gitlab-ci-local 4.75.1 applies
        // workflow rules' variables but not `when: never`, so this is read from the definition.)
        assert.deepEqual((yaml.workflow.rules as unknown[])[0], {
            if: '$CI_PIPELINE_SOURCE == "merge_request_event" && $CI_MERGE_REQUEST_SOURCE_PROJECT_ID != $CI_PROJECT_ID',
            when: "never",
        });
        assert.deepEqual(pipelines.main, [
            { name: "validate", when: "on_success", environment: "" },
            { name: "deploy: [dev]", when: "on_success", environment: "dev" },
            { name: "deploy:workloads: [dev]", when: "on_success", environment: "dev-workloads" },
            { name: "deploy:gated: [prod]", when: "manual", environment: "prod" },
            { name: "deploy:gated:workloads: [prod]", when: "manual", environment: "prod-workloads" },
        ]);
    });

    it("deploys each workloads stack after the platform stack of its environment, and gated after auto-deployed", () => {
        const environment = new Map(pipelines.main.map((j) => [j.name, j.environment]));
        /** The jobs a need names: one matrix job of that ENV, or every job of that name. */
        const resolve = (n: Need): string[] =>
            [...environment.keys()].filter(
                (name) =>
                    name.split(": [")[0] === n.job &&
                    (n.parallel === undefined ||
                        n.parallel.matrix.some((m) => name === `${n.job}: [${Object.values(m).join(",")}]`)),
            );
        const deploys = mainNeeds.filter((j) => j.name.startsWith("deploy"));
        assert.equal(deploys.length, 4);
        for (const job of deploys) {
            const stack = environment.get(job.name)!;
            const needed = (job.needs ?? []).flatMap(resolve).map((n) => environment.get(n));
            const platform = stack.replace(/-workloads$/, "");
            if (platform !== stack)
                assert.ok(
                    needed.includes(platform),
                    `${job.name} deploys ${stack}, whose StackReference reads ${platform}, but needs only ${JSON.stringify(needed)}`,
                );
        }
        const gated = deploys.find((j) => j.name === "deploy:gated: [prod]")!;
        assert.deepEqual(
            (gated.needs ?? [])
                .flatMap(resolve)
                .map((n) => environment.get(n))
                .sort(),
            ["dev", "dev-workloads"],
            "production waits for every auto-deployed stack",
        );
    });

    it("publishes the component package only from a protected release tag", () => {
        assert.deepEqual(
            pipelines.release.map((j) => j.name),
            ["validate", "publish"],
        );
        assert.deepEqual(
            pipelines.unprotected.map((j) => j.name),
            ["validate"],
        );
    });

    const yaml = parse(CONFIG, { merge: true }) as Record<string, Record<string, unknown>>;
    const realJobs = Object.entries(yaml).filter(
        ([k, v]) => !k.startsWith(".") && typeof v === "object" && v !== null && ("script" in v || "extends" in v),
    );

    it("lists every environment once; its two stacks are exactly the stacks that have a stack file", () => {
        const envs = Object.values(yaml[".stacks"]).flat() as string[];
        assert.equal(new Set(envs).size, envs.length, "an environment is listed twice");
        const stacks = envs.flatMap((e) => [e, `${e}-workloads`]);
        const files = fs
            .readdirSync(ROOT)
            .filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f))
            .map((f) => f.split(".")[1]);
        assert.deepEqual([...stacks].sort(), files.sort());
        assert.equal(
            CONFIG.split("\n")
                .filter((l) => !l.trimStart().startsWith("#"))
                .join("\n")
                .match(/\bprod\b(?!-)/g)?.length,
            1,
            "prod appears once in the file's definitions",
        );
    });

    it("pins every image to an exact version", () => {
        const images = [yaml.default.image, yaml[".pulumi"].image];
        assert.deepEqual(images, ["node:22.23.3-bookworm", "pulumi/pulumi-nodejs-22:3.270.0"]);
        for (const [name, job] of realJobs) assert.ok(!("image" in job), `${name} sets its own image`);
    });

    it("installs from the npm cache and caches npm and the Pulumi plugins in the project", () => {
        const scripts = CONFIG.split("\n").filter((l) => /\bnpm ci\b/.test(l) && !l.trimStart().startsWith("#"));
        assert.deepEqual(scripts, ["  npm-ci: &npm-ci npm ci --cache .npm --prefer-offline"], "npm ci is written once");
        assert.deepEqual(
            (yaml.default.cache as Array<{ paths: string[] }>).map((c) => c.paths),
            [[".npm/"]],
        );
        assert.equal((yaml[".pulumi"].variables as Record<string, string>).PULUMI_HOME, "$CI_PROJECT_DIR/.pulumi");
        assert.deepEqual(
            (yaml[".pulumi"].cache as Array<{ paths: string[] }>).map((c) => c.paths),
            [[".npm/"], [".pulumi/plugins/"]],
        );
    });

    it("previews only stacks meant for unprotected refs: a subset of the auto-deployed stacks, never a gated one", () => {
        const previewed = yaml[".previewed-stacks"].stacks as string[];
        const gated = (yaml[".stacks"] as Record<string, string[]>).gated.flatMap((e) => [e, `${e}-workloads`]);
        assert.deepEqual(previewed, ["dev"]);
        for (const stack of previewed) assert.ok(!gated.includes(stack), `${stack} is gated and must not be previewed`);
        assert.deepEqual((yaml.preview.parallel as { matrix: { STACK: string[] }[] }).matrix, [{ STACK: ["dev"] }]);
    });

    it("publishes GitLab's Terraform report per plan job and the unit tests as JUnit", () => {
        assert.deepEqual((yaml[".plan"].artifacts as { reports: unknown }).reports, {
            terraform: "plan/$STACK.terraform.json",
        });
        assert.ok(
            (yaml[".plan"].script as string[]).includes(
                'npx tsx tools/terraform-report.ts "plan/$STACK.diff.json" "plan/$STACK.terraform.json"',
            ),
        );
        assert.deepEqual((yaml.validate.artifacts as { reports: unknown }).reports, { junit: "reports/mocha.xml" });
        assert.ok(
            (yaml.validate.script as string[]).some((l) =>
                /npm run test:unit -- --reporter xunit --reporter-option output=reports\/mocha\.xml/.test(l),
            ),
        );
    });

    it("keeps the note bot's token apart from the providers' GITLAB_TOKEN", () => {
        const lines = [".plan", "preview"].flatMap((j) => yaml[j].script as string[]);
        const notes = lines.filter((l) => l.includes("npm run mr-note"));
        assert.equal(notes.length, 2);
        for (const l of notes) assert.match(l, /^GITLAB_TOKEN="\$\{MR_NOTE_TOKEN:-\}" npm run mr-note /);
        for (const l of lines.filter((x) => !x.includes("npm run mr-note")))
            assert.doesNotMatch(l, /MR_NOTE_TOKEN|GITLAB_TOKEN/, l);
    });

    it("authenticates deploy and preview jobs to AWS with an OIDC id_token, not stored keys", () => {
        for (const job of [".deploy", "preview"]) {
            assert.ok((yaml[job].extends as string[]).includes(".aws-oidc"), job);
            assert.ok((yaml[job].script as string[])[0].startsWith("(umask 077 && printf '%s' \"$AWS_ID_TOKEN\""), job);
        }
        assert.deepEqual(yaml[".aws-oidc"].id_tokens, { AWS_ID_TOKEN: { aud: "sts.amazonaws.com" } });
        assert.doesNotMatch(CONFIG, /AWS_SECRET_ACCESS_KEY|AWS_ACCESS_KEY_ID/);
    });

    it("deploys each stack in its own resource group and environment", () => {
        assert.equal(yaml[".deploy"].resource_group, "pulumi-$STACK");
        assert.deepEqual(yaml[".deploy"].environment, { name: "$STACK" });
        assert.equal(yaml[".deploy"].interruptible, false);
    });
});
