import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { ROOT } from "../helpers/pulumi";

type Job = {
    stage?: string;
    image?: string | { name: string; entrypoint?: string[] };
    services?: unknown;
    variables?: Record<string, string>;
    script?: string[];
    rules?: { if?: string; when?: string; variables?: Record<string, string> }[];
    environment?: { name: string; url?: string; on_stop?: string; auto_stop_in?: string; action?: string };
    artifacts?: { reports?: { dotenv?: string } };
    resource_group?: string;
    needs?: string[];
    allow_failure?: boolean;
};

const text = readFileSync(`${ROOT}/templates/app-pipeline.gitlab-ci.yml`, "utf8");
const docs = parseAllDocuments(text);
const header = docs[0].toJS() as { spec: { inputs: Record<string, { default?: string; description: string }> } };
const jobs = docs[1].toJS() as Record<string, Job>;
const imageOf = (job: Job) => (typeof job.image === "string" ? job.image : job.image?.name);

describe("templates/app-pipeline.gitlab-ci.yml", () => {
    it("parses as a header with inputs and a body of jobs, without YAML errors", () => {
        assert.equal(docs.length, 2);
        for (const doc of docs) assert.deepEqual(doc.errors, []);
        assert.deepEqual(Object.keys(jobs).sort(), ["build-image", "publish-manifests", "review", "stop-review"]);
    });

    it("never passes the registry password as a command argument (only to stdin or a shell builtin)", () => {
        const lines = Object.values(jobs).flatMap((j) => (j as { script?: string[] }).script ?? []);
        assert.ok(lines.length > 0);
        for (const line of lines) {
            assert.doesNotMatch(line, /--creds|--password[= ]/, line);
            if (line.includes("$CI_REGISTRY_PASSWORD"))
                assert.match(line, /^echo "\$CI_REGISTRY_PASSWORD" \| buildah login .*--password-stdin|^printf /, line);
        }
    });

    it("declares every input it uses, and documents each", () => {
        const used = new Set([...text.matchAll(/\$\[\[\s*inputs\.([\w-]+)\s*\]\]/g)].map((m) => m[1]));
        assert.deepEqual([...used].sort(), Object.keys(header.spec.inputs).sort());
        for (const [name, input] of Object.entries(header.spec.inputs)) assert.ok(input.description.length > 10, name);
        // Only the two site-specific inputs are mandatory.
        assert.deepEqual(
            Object.entries(header.spec.inputs)
                .filter(([, i]) => i.default === undefined)
                .map(([n]) => n)
                .sort(),
            ["agent-context", "review-stack-prefix"],
        );
    });

    it("runs each branch's review app as review/$CI_COMMIT_REF_SLUG with a stop job and an auto stop", () => {
        const review = jobs.review;
        assert.deepEqual(review.environment, {
            name: "review/$CI_COMMIT_REF_SLUG",
            url: "$REVIEW_URL",
            on_stop: "stop-review",
            auto_stop_in: "$[[ inputs.auto-stop-in ]]",
        });
        assert.equal(header.spec.inputs["auto-stop-in"].default, "1 week");
        // Merge request pipelines too (issue 15), but never for a fork's merge request.
        assert.deepEqual(review.rules, [
            {
                if: '$CI_PIPELINE_SOURCE == "merge_request_event" && $CI_MERGE_REQUEST_SOURCE_PROJECT_ID == $CI_PROJECT_ID',
            },
            { if: "$CI_COMMIT_BRANCH && $CI_COMMIT_BRANCH != $CI_DEFAULT_BRANCH" },
        ]);
        // The URL the ReviewApp computed comes back through a dotenv report.
        assert.equal(review.artifacts?.reports?.dotenv, "review.env");
        assert.ok(review.script?.some((l) => l.startsWith('pulumi up --yes --stack "$REVIEW_STACK"')));
        assert.equal(review.variables?.REVIEW_STACK, "$[[ inputs.review-stack-prefix ]]/review-$CI_COMMIT_REF_SLUG");
        // The registry password reaches Pulumi through stdin as a secret, never as an argument.
        assert.ok(
            review.script?.includes(`printf '%s' "$CI_DEPLOY_PASSWORD" | pulumi config set --secret registryPassword`),
        );
    });

    it("stops with a manual job of the same environment that destroys the review stack", () => {
        const stop = jobs["stop-review"];
        assert.deepEqual(stop.environment, { name: "review/$CI_COMMIT_REF_SLUG", action: "stop" });
        assert.deepEqual(stop.rules, [
            {
                if: '$CI_PIPELINE_SOURCE == "merge_request_event" && $CI_MERGE_REQUEST_SOURCE_PROJECT_ID == $CI_PROJECT_ID',
                when: "manual",
            },
            { if: "$CI_COMMIT_BRANCH && $CI_COMMIT_BRANCH != $CI_DEFAULT_BRANCH", when: "manual" },
        ]);
        assert.equal(stop.allow_failure, true, "a manual stop job must not block the pipeline");
        assert.equal(stop.variables?.GIT_STRATEGY, "none", "the branch may be deleted already");
        assert.equal(stop.variables?.REVIEW_STACK, jobs.review.variables?.REVIEW_STACK);
        assert.deepEqual(stop.script, [
            "pulumi plugin install resource kubernetes v4.34.2",
            'pulumi destroy --yes --stack "$REVIEW_STACK" --remove',
        ]);
        assert.equal(stop.needs, undefined, "a failed deployment must stay stoppable");
        assert.equal(stop.stage, jobs.review.stage);
        assert.equal(stop.resource_group, jobs.review.resource_group);
    });

    it("builds rootless with Buildah: no Docker-in-Docker, no services, no privileged daemon", () => {
        const build = jobs["build-image"];
        assert.match(imageOf(build) ?? "", /^quay\.io\/buildah\/stable:/);
        assert.equal(build.services, undefined);
        assert.deepEqual(
            { driver: build.variables?.STORAGE_DRIVER, isolation: build.variables?.BUILDAH_ISOLATION },
            { driver: "vfs", isolation: "chroot" },
        );
        assert.ok(build.script?.includes('buildah push "$APP_IMAGE"'));
        assert.equal(build.variables?.APP_IMAGE, "$CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA");
        assert.doesNotMatch(JSON.stringify(jobs), /dind|privileged|"services"|docker:[0-9]/i);
    });

    it("publishes the manifests with flux push artifact to $CI_REGISTRY_IMAGE/<app-name> and tags them", () => {
        const publish = jobs["publish-manifests"];
        assert.equal(publish.variables?.MANIFESTS_ARTIFACT, "oci://$CI_REGISTRY_IMAGE/$[[ inputs.app-name ]]");
        const push = publish.script?.find((l) => l.startsWith("flux push artifact")) ?? "";
        assert.match(
            push,
            /^flux push artifact "\$MANIFESTS_ARTIFACT:\$CI_COMMIT_SHORT_SHA" --path="\$\[\[ inputs\.manifests-path \]\]" --source="\$CI_PROJECT_URL" --revision="\$CI_COMMIT_REF_NAME@sha1:\$CI_COMMIT_SHA"/,
        );
        assert.doesNotMatch(push, /CI_REPOSITORY_URL/, "the repository URL embeds the job token");
        assert.ok(
            publish.script?.some((l) =>
                l.startsWith('flux tag artifact "$MANIFESTS_ARTIFACT:$CI_COMMIT_SHORT_SHA" --tag "$MANIFESTS_TAG"'),
            ),
        );
        assert.deepEqual(publish.rules, [
            { if: "$CI_COMMIT_TAG", variables: { MANIFESTS_TAG: "$CI_COMMIT_TAG" } },
            { if: "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH", variables: { MANIFESTS_TAG: "latest" } },
        ]);
    });

    it("pins every image to an exact version", () => {
        const images = Object.values(jobs).map(imageOf);
        assert.deepEqual(images, [
            "quay.io/buildah/stable:v1.43.2",
            "ghcr.io/fluxcd/flux-cli:v2.9.4",
            "pulumi/pulumi-nodejs-22:3.270.0",
            "pulumi/pulumi-nodejs-22:3.270.0",
        ]);
        for (const image of images) {
            assert.match(image ?? "", /:v?\d+\.\d+\.\d+$/, `${image} is not pinned to X.Y.Z`);
            assert.doesNotMatch(image ?? "", /:latest$/);
        }
    });
});
