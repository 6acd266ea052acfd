import { strict as assert } from "node:assert";
import fc from "fast-check";
import {
    bucketNameCollisions,
    bucketTypeSlug,
    defaultNamePrefix,
    finalSnapshotIdentifier,
    gitlabBucketNames,
    slugSuffixClashes,
    validateNamePrefix,
} from "../../components/data/aws-naming";
import { GITLAB_BUCKET_TYPES } from "../../components/data/connection";
import { s3BucketNameProblem } from "../../components/data/naming";
import { lines } from "../helpers/problems";

/** Lower-case words joined by single hyphens, as validateNamePrefix accepts them. */
const word = fc.stringMatching(/^[a-z0-9]{1,6}$/);
const stackName = fc.array(word, { minLength: 1, maxLength: 3 }).map((ws) => ws.join("-"));

describe("AWS names: buckets", () => {
    it("names each type <prefix>-<kebab-case type>", () => {
        assert.deepEqual(gitlabBucketNames("gitlab-platform-prod"), {
            lfs: "gitlab-platform-prod-lfs",
            artifacts: "gitlab-platform-prod-artifacts",
            uploads: "gitlab-platform-prod-uploads",
            packages: "gitlab-platform-prod-packages",
            externalDiffs: "gitlab-platform-prod-external-diffs",
            terraformState: "gitlab-platform-prod-terraform-state",
            ciSecureFiles: "gitlab-platform-prod-ci-secure-files",
            dependencyProxy: "gitlab-platform-prod-dependency-proxy",
            registry: "gitlab-platform-prod-registry",
            backups: "gitlab-platform-prod-backups",
            tmp: "gitlab-platform-prod-tmp",
        });
        assert.equal(defaultNamePrefix("gitlab-platform", "prod"), "gitlab-platform-prod");
    });

    it("has no type slug ending in -<another slug>, the condition for names never colliding", () => {
        assert.deepEqual(slugSuffixClashes(), []);
        assert.deepEqual(slugSuffixClashes(["terraformState", "ciSecureFiles"]), []);
    });

    it("reports the names two prefixes would share", () => {
        assert.deepEqual(bucketNameCollisions(["gitlab-platform-prod", "gitlab-platform-staging"]), []);
        assert.deepEqual(bucketNameCollisions(["a-b-c", "a-b-c"]).length, GITLAB_BUCKET_TYPES.length);
        assert.deepEqual(bucketNameCollisions(["a-b-c", "a-b-c"])[0], "a-b-c-lfs (a-b-c:lfs, a-b-c:lfs)");
    });

    it("never gives two stacks of a project, or two types, the same bucket name (property)", () => {
        fc.assert(
            fc.property(stackName, stackName, (s1, s2) => {
                fc.pre(s1 !== s2);
                const prefixes = [defaultNamePrefix("gitlab-platform", s1), defaultNamePrefix("gitlab-platform", s2)];
                assert.deepEqual(bucketNameCollisions(prefixes), []);
            }),
            { numRuns: 300 },
        );
    });

    it("yields only valid S3 names for every accepted prefix (property)", () => {
        fc.assert(
            fc.property(stackName, (stack) => {
                const prefix = defaultNamePrefix("gitlab-platform", stack);
                fc.pre(lines(validateNamePrefix(prefix)).length === 0);
                for (const name of Object.values(gitlabBucketNames(prefix)))
                    assert.equal(s3BucketNameProblem(name), undefined, name);
            }),
            { numRuns: 300 },
        );
    });
});

describe("AWS names: validateNamePrefix", () => {
    const rows: [string, string[]][] = [
        ["gitlab-platform-prod", []],
        [
            "gitlab-platform-Prod",
            [
                'namePrefix: "gitlab-platform-Prod" is not lower-case words joined by single hyphens (expected a letter first, then a-z, 0-9 and single hyphens, e.g. <project>-<stack> with a lower-case stack name)',
            ],
        ],
        [
            "gitlab--prod",
            [
                'namePrefix: "gitlab--prod" is not lower-case words joined by single hyphens (expected a letter first, then a-z, 0-9 and single hyphens, e.g. <project>-<stack> with a lower-case stack name)',
            ],
        ],
        [
            "1gitlab",
            [
                'namePrefix: "1gitlab" is not lower-case words joined by single hyphens (expected a letter first, then a-z, 0-9 and single hyphens, e.g. <project>-<stack> with a lower-case stack name)',
            ],
        ],
        [`gitlab-platform-${"s".repeat(30)}`, []],
        [
            `gitlab-platform-${"s".repeat(31)}`,
            [
                `namePrefix: "gitlab-platform-${"s".repeat(31)}" has 47 characters (expected at most 46, so that gitlab-platform-${"s".repeat(31)}-xxxxxxxxxxxxxxxx fits S3's 63)`,
            ],
        ],
        [
            "sthree-gitlab",
            [
                "namePrefix: bucket name sthree-gitlab-lfs starts with the reserved prefix sthree- (expected another prefix)",
                ...GITLAB_BUCKET_TYPES.slice(1).map(
                    (t) =>
                        `namePrefix: bucket name sthree-gitlab-${bucketTypeSlug(t)} starts with the reserved prefix sthree- (expected another prefix)`,
                ),
            ],
        ],
    ];
    for (const [prefix, problems] of rows)
        it(JSON.stringify(prefix), () => assert.deepEqual(lines(validateNamePrefix(prefix)), problems));
});

describe("AWS names: final snapshots", () => {
    it("derives the identifiers from the prefix", () => {
        assert.equal(
            finalSnapshotIdentifier("gitlab-platform-prod", "postgres"),
            "gitlab-platform-prod-postgres-final",
        );
        assert.equal(finalSnapshotIdentifier("gitlab-platform-prod", "redis"), "gitlab-platform-prod-redis-final");
    });
});
