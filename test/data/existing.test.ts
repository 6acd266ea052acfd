import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import {
    existingDataServices,
    resolveBucketNames,
    validateExistingDataServices,
    type ExistingDataServicesArgs,
} from "../../components/data/existing";
import {
    domainProblem,
    gcsBucketNameProblem,
    hostnameProblem,
    portProblem,
    s3BucketNameProblem,
} from "../../components/data/naming";
import { bucketTypeSlug } from "../../components/data/aws-naming";
import { InvalidArgsError } from "../../components/errors";
import { lines } from "../helpers/problems";

const secret = (v: string) => pulumi.secret(v);

function args(
    overrides: { postgres?: object; redis?: object; objectStorage?: object; credentials?: object } = {},
): ExistingDataServicesArgs {
    return {
        postgres: { host: "db.example.internal", username: "gitlab", ...overrides.postgres },
        redis: { host: "redis.example.internal", ...overrides.redis },
        objectStorage: {
            provider: "aws",
            region: "eu-central-1",
            bucketPrefix: "acme-gitlab",
            ...overrides.objectStorage,
        },
        credentials: { postgresPassword: secret("pg"), ...overrides.credentials },
    } as ExistingDataServicesArgs;
}

async function value<T>(o: pulumi.Input<T>): Promise<T> {
    return new Promise((resolve) => pulumi.output(o).apply((v) => resolve(v as T)));
}

describe("existingDataServices", () => {
    it("applies the defaults: port 5432, gitlabhq_production, Redis 6379 without TLS", async () => {
        const d = existingDataServices(args());
        assert.equal(d.postgres.port, 5432);
        assert.equal(d.postgres.database, "gitlabhq_production");
        assert.equal(d.redis.port, 6379);
        assert.equal(d.redis.tls, false);
        assert.equal(d.redis.password, undefined);
        assert.equal(await pulumi.isSecret(d.postgres.password), true);
        assert.equal(await value(d.postgres.password), "pg");
    });

    it("derives <prefix>-<type> bucket names in kebab case, explicit names winning", () => {
        const names = resolveBucketNames({ bucketPrefix: "acme", buckets: { registry: "acme-images" } });
        assert.deepEqual(names, {
            lfs: "acme-lfs",
            artifacts: "acme-artifacts",
            uploads: "acme-uploads",
            packages: "acme-packages",
            externalDiffs: "acme-external-diffs",
            terraformState: "acme-terraform-state",
            ciSecureFiles: "acme-ci-secure-files",
            dependencyProxy: "acme-dependency-proxy",
            registry: "acme-images",
            backups: "acme-backups",
            tmp: "acme-tmp",
        });
        assert.equal(bucketTypeSlug("ciSecureFiles"), "ci-secure-files");
    });

    it("uses static keys as secret accessKey auth when both are given", async () => {
        const d = existingDataServices(
            args({
                credentials: {
                    objectStorageAccessKeyId: secret("AKIA"),
                    objectStorageSecretAccessKey: secret("s3cr3t"),
                },
            }),
        );
        assert.equal(d.objectStorage.auth.type, "accessKey");
        if (d.objectStorage.auth.type !== "accessKey") return;
        assert.equal(await pulumi.isSecret(d.objectStorage.auth.accessKeyId), true);
        assert.equal(await pulumi.isSecret(d.objectStorage.auth.secretAccessKey), true);
    });

    it("uses an IAM role (IRSA) without keys, and keeps Redis TLS and password", async () => {
        const roleArn = "arn:aws:iam::123456789012:role/gitlab";
        const d = existingDataServices(
            args({
                objectStorage: { roleArn },
                redis: { tls: true, port: 6380 },
                credentials: { redisPassword: secret("r") },
            }),
        );
        assert.deepEqual(d.objectStorage.auth, { type: "iamRole", roleArn });
        assert.equal(d.redis.tls, true);
        assert.equal(d.redis.port, 6380);
        assert.equal(await pulumi.isSecret(d.redis.password!), true);
    });

    it("throws one InvalidArgsError listing every problem", () => {
        assert.throws(
            () => existingDataServices(args({ postgres: { host: "" }, redis: { port: 0 } })),
            (err: unknown) =>
                err instanceof InvalidArgsError &&
                lines(err.problems).includes("postgres.host: missing (expected a DNS name or IPv4 address)") &&
                lines(err.problems).includes("redis.port: not a TCP port (expected an integer from 1 to 65535)"),
        );
    });
});

describe("validateExistingDataServices", () => {
    const cases: Array<[string, Parameters<typeof args>[0], string]> = [
        [
            "a host with a scheme",
            { postgres: { host: "postgres://db" } },
            "postgres.host: not a host name (expected a DNS name or IPv4 address, without scheme, port or path)",
        ],
        [
            "a host with a port",
            { redis: { host: "redis:6379" } },
            "redis.host: not a host name (expected a DNS name or IPv4 address, without scheme, port or path)",
        ],
        [
            "a port out of range",
            { postgres: { port: 70000 } },
            "postgres.port: not a TCP port (expected an integer from 1 to 65535)",
        ],
        [
            "a fractional port",
            { redis: { port: 63.5 } },
            "redis.port: not a TCP port (expected an integer from 1 to 65535)",
        ],
        [
            "no database user",
            { postgres: { username: "" } },
            "postgres.username: missing (expected the database user GitLab connects as)",
        ],
        [
            "a bad database name",
            { postgres: { database: "gitlab-prod" } },
            "postgres.database: not a PostgreSQL identifier (expected letters, digits and _, at most 63 characters)",
        ],
        [
            "a bad AWS region",
            { objectStorage: { region: "Frankfurt" } },
            "objectStorage.region: not an AWS region (expected e.g. eu-central-1)",
        ],
        [
            "an upper-case prefix",
            { objectStorage: { bucketPrefix: "Acme" } },
            "objectStorage.bucketPrefix: bucket Acme-lfs has a character S3 does not allow (expected 3-63 lower-case letters, digits, dots or hyphens, starting and ending with a letter or digit)",
        ],
        [
            "a too long prefix",
            { objectStorage: { bucketPrefix: "a".repeat(50) } },
            `objectStorage.bucketPrefix: bucket ${"a".repeat(50)}-external-diffs has 65 characters (expected 3-63 lower-case letters, digits, dots or hyphens, starting and ending with a letter or digit)`,
        ],
        [
            "an explicit bucket with two dots",
            { objectStorage: { buckets: { lfs: "acme..lfs" } } },
            "objectStorage.buckets.lfs: bucket acme..lfs has two adjacent dots (expected single dots between labels)",
        ],
        [
            "an explicit IP-like bucket",
            { objectStorage: { buckets: { tmp: "192.168.5.4" } } },
            "objectStorage.buckets.tmp: bucket 192.168.5.4 looks like an IP address (expected a name, not an address)",
        ],
        [
            "a reserved S3 suffix",
            { objectStorage: { buckets: { tmp: "acme-s3alias" } } },
            "objectStorage.buckets.tmp: bucket acme-s3alias ends with the reserved suffix -s3alias (expected another suffix)",
        ],
        [
            "two types sharing a bucket",
            { objectStorage: { buckets: { uploads: "acme-gitlab-lfs" } } },
            "objectStorage.buckets.uploads: same bucket as lfs (expected one bucket per type)",
        ],
        [
            "no prefix and missing buckets",
            { objectStorage: { bucketPrefix: undefined, buckets: { lfs: "acme-lfs" } } },
            "objectStorage.buckets.artifacts: missing (expected a bucket name, or objectStorage.bucketPrefix to derive <prefix>-artifacts)",
        ],
        [
            "only the access key id",
            { credentials: { objectStorageAccessKeyId: secret("AKIA") } },
            "credentials.objectStorageSecretAccessKey: missing (expected both access key id and secret access key, or neither)",
        ],
        [
            "only the secret key",
            { credentials: { objectStorageSecretAccessKey: secret("k") } },
            "credentials.objectStorageAccessKeyId: missing (expected both access key id and secret access key, or neither)",
        ],
        [
            "keys and a role",
            {
                objectStorage: { roleArn: "arn:aws:iam::123456789012:role/gitlab" },
                credentials: { objectStorageAccessKeyId: secret("a"), objectStorageSecretAccessKey: secret("b") },
            },
            "objectStorage.roleArn: set together with access keys (expected either an IAM role or static keys)",
        ],
        [
            "a malformed role ARN",
            { objectStorage: { roleArn: "gitlab-role" } },
            "objectStorage.roleArn: not an IAM role ARN (expected arn:aws:iam::<account>:role/<name>)",
        ],
        [
            "an endpoint with a role",
            {
                objectStorage: {
                    endpoint: "https://minio.example.com",
                    roleArn: "arn:aws:iam::123456789012:role/gitlab",
                },
            },
            "objectStorage.endpoint: set with roleArn (expected no endpoint with an IAM role: STS needs AWS's own endpoints)",
        ],
        [
            "an endpoint with a path",
            { objectStorage: { endpoint: "https://minio.example.com/bucket" } },
            "objectStorage.endpoint: not a base URL (expected https://host[:port])",
        ],
        [
            "an endpoint without keys",
            { objectStorage: { endpoint: "https://minio.example.com" } },
            "credentials.objectStorageAccessKeyId: missing (expected static keys with an S3-compatible endpoint, which has no IAM roles)",
        ],
        [
            "google without project",
            { objectStorage: { provider: "google", region: "europe-west1" } },
            "objectStorage.googleProject: missing (expected the Google project id of the buckets)",
        ],
        [
            "google with keys",
            {
                objectStorage: { provider: "google", region: "EU", googleProject: "acme" },
                credentials: { objectStorageAccessKeyId: secret("a"), objectStorageSecretAccessKey: secret("b") },
            },
            "credentials.objectStorageAccessKeyId: static keys with provider google (expected Workload Identity: roleArn or the node's service account)",
        ],
        [
            "google reserved bucket word",
            { objectStorage: { provider: "google", region: "EU", googleProject: "acme", bucketPrefix: "google-acme" } },
            "objectStorage.bucketPrefix: bucket google-acme-lfs uses the reserved word goog/google (expected another name)",
        ],
        [
            "no postgres password",
            { credentials: { postgresPassword: undefined } },
            "credentials.postgresPassword: missing (expected the PostgreSQL password as a secret)",
        ],
    ];
    for (const [what, overrides, message] of cases) {
        it(`reports ${what}`, () => {
            assert.ok(
                lines(validateExistingDataServices(args(overrides))).includes(message),
                lines(validateExistingDataServices(args(overrides))).join("\n"),
            );
        });
    }

    it("accepts a complete configuration (AWS keys, Google workload identity, S3-compatible endpoint)", () => {
        assert.deepEqual(lines(validateExistingDataServices(args())), []);
        assert.deepEqual(
            lines(
                validateExistingDataServices(
                    args({
                        objectStorage: {
                            provider: "google",
                            region: "europe-west1",
                            googleProject: "acme",
                            roleArn: "gitlab@acme-prod.iam.gserviceaccount.com",
                        },
                    }),
                ),
            ),
            [],
        );
        assert.deepEqual(
            lines(
                validateExistingDataServices(
                    args({
                        objectStorage: { endpoint: "http://minio.minio.svc:9000" },
                        credentials: {
                            objectStorageAccessKeyId: secret("a"),
                            objectStorageSecretAccessKey: secret("b"),
                        },
                    }),
                ),
            ),
            [],
        );
    });
});

describe("naming rules", () => {
    it("host names: DNS names and IPv4, nothing else", () => {
        for (const ok of ["db", "db.example.com", "10.0.0.5", "my-db.eu-central-1.rds.amazonaws.com"])
            assert.equal(hostnameProblem(ok), undefined, ok);
        for (const bad of ["-db", "db_1.example.com", "a".repeat(64) + ".com", "db.example.com:5432", "https://db", ""])
            assert.notEqual(hostnameProblem(bad), undefined, bad);
    });
    it("domains need two labels, lower case", () => {
        assert.equal(domainProblem("example.com"), undefined);
        for (const bad of ["localhost", "Example.com", "example.com.", "https://example.com", "10.0.0.1"])
            assert.notEqual(domainProblem(bad), undefined, bad);
    });
    it("ports are integers 1-65535", () => {
        assert.equal(portProblem(1), undefined);
        assert.equal(portProblem(65535), undefined);
        for (const bad of [0, 65536, -1, 1.5, Number.NaN]) assert.notEqual(portProblem(bad), undefined, String(bad));
    });
    it("S3 bucket names follow AWS's rules", () => {
        for (const ok of ["abc", "a".repeat(63), "acme.gitlab-lfs", "1bucket"])
            assert.equal(s3BucketNameProblem(ok), undefined, ok);
        for (const bad of [
            "ab",
            "a".repeat(64),
            "Acme",
            "acme_lfs",
            "-acme",
            "acme-",
            "xn--acme",
            "sthree-acme",
            "amzn-s3-demo-x",
            "a--ol-s3",
            "a.mrap",
            "a--x-s3",
            "a--table-s3",
        ]) {
            assert.notEqual(s3BucketNameProblem(bad), undefined, bad);
        }
    });
    it("Cloud Storage bucket names follow Google's rules", () => {
        for (const ok of ["acme_lfs", "acme.lfs", "abc"]) assert.equal(gcsBucketNameProblem(ok), undefined, ok);
        for (const bad of ["ab", "goog-acme", "acme-google", "Acme", "_acme"])
            assert.notEqual(gcsBucketNameProblem(bad), undefined, bad);
    });
});
