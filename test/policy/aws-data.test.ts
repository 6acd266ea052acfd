import { strict as assert } from "node:assert";
import { AwsDataServices } from "../../components";
import {
    AWS_DATA_POLICIES,
    awsDataBackups,
    awsDataDeletionProtection,
    awsDataEncryptedAtRest,
    awsDataEncryptedInTransit,
    awsDataFinalSnapshot,
    awsDataMultiAz,
    awsKmsKeyRotation,
    awsS3PublicAccessBlocked,
    awsS3Versioning,
    awsStatefulProtected,
} from "../../policy/aws-data";
import type { PlannedResource } from "../../tools/plan/engine";
import { awsMocks, dataArgs } from "../aws/support";
import { record } from "../helpers/pulumi";
import { analyze, findings, messages, resource } from "./support";

const RDS = "aws:rds/instance:Instance";
const REDIS = "aws:elasticache/replicationGroup:ReplicationGroup";
const BUCKET = "aws:s3/bucket:Bucket";

async function dataServices(protect?: boolean): Promise<PlannedResource[]> {
    const rec = await record(
        () => {
            new AwsDataServices("prod-data", dataArgs(protect === undefined ? {} : { protect }));
        },
        { mocks: awsMocks, preview: true },
    );
    return rec.resources;
}

describe("policies aws-data-*", () => {
    it("pass the AwsDataServices component with its defaults: every AWS data policy, no finding", async () => {
        assert.deepEqual(await analyze(AWS_DATA_POLICIES, await dataServices()), []);
    });

    it("report what protect: false turns off: RDS deletion protection and the protect option", async () => {
        const resources = await dataServices(false);
        assert.deepEqual(await findings(awsDataDeletionProtection, resources), [
            "prod-data-postgres-db: deletionProtection: is false (expected true: the database cannot be deleted by accident)",
        ]);
        const stateful = resources
            .filter((r) => ["aws:kms/key:Key", RDS, REDIS, BUCKET].includes(r.type))
            .map((r) => r.name);
        assert.deepEqual(
            (await findings(awsStatefulProtected, resources)).sort(),
            stateful
                .map(
                    (name) =>
                        `${name}: opts.protect: false (expected true: a deletion or replacement must be an explicit decision)`,
                )
                .sort(),
        );
    });
});

describe("policy aws-data-final-snapshot", () => {
    it("refuses deleting without a snapshot", async () => {
        assert.deepEqual(
            await messages(
                awsDataFinalSnapshot,
                resource(RDS, { engine: "postgres", finalSnapshotIdentifier: "db-final" }),
            ),
            [],
        );
        assert.deepEqual(
            await messages(awsDataFinalSnapshot, resource(RDS, { engine: "postgres", skipFinalSnapshot: true })),
            [
                "skipFinalSnapshot: true deletes the database without a snapshot (expected false or unset)",
                "finalSnapshotIdentifier: not set (expected the name of the snapshot taken on deletion)",
            ],
        );
        assert.deepEqual(await messages(awsDataFinalSnapshot, resource(REDIS, {})), [
            "finalSnapshotIdentifier: not set (expected the name of the snapshot taken on deletion)",
        ]);
    });
});

describe("policy aws-data-encrypted-at-rest", () => {
    it("refuses unencrypted RDS storage and an unencrypted Redis, accepts valkey's encrypted default", async () => {
        assert.deepEqual(
            await messages(awsDataEncryptedAtRest, resource(RDS, { engine: "postgres", storageEncrypted: false })),
            ["storageEncrypted: is false (expected true: the storage, backups and snapshots are encrypted)"],
        );
        assert.deepEqual(await messages(awsDataEncryptedAtRest, resource(REDIS, { engine: "redis" })), [
            "atRestEncryptionEnabled: not set (expected true: snapshots and swap are encrypted)",
        ]);
        assert.deepEqual(await messages(awsDataEncryptedAtRest, resource(REDIS, { engine: "valkey" })), []);
    });
});

describe("policy aws-data-encrypted-in-transit", () => {
    it("requires TLS on Redis, rds.force_ssl on PostgreSQL parameter groups, and a parameter group on PostgreSQL", async () => {
        assert.deepEqual(
            await messages(
                awsDataEncryptedInTransit,
                resource(REDIS, { transitEncryptionEnabled: true, transitEncryptionMode: "preferred" }),
            ),
            ['transitEncryptionMode: "preferred" still accepts plaintext connections (expected "required" or unset)'],
        );
        assert.deepEqual(await messages(awsDataEncryptedInTransit, resource(REDIS, {})), [
            "transitEncryptionEnabled: not set (expected true: clients connect with TLS)",
        ]);
        const group = (value?: string) =>
            resource("aws:rds/parameterGroup:ParameterGroup", {
                family: "postgres17",
                parameters: value === undefined ? [] : [{ name: "rds.force_ssl", value }],
            });
        assert.deepEqual(await messages(awsDataEncryptedInTransit, group("1")), []);
        assert.deepEqual(await messages(awsDataEncryptedInTransit, group("0")), [
            'parameters: rds.force_ssl is "0" (expected "1": clients must connect with TLS)',
        ]);
        assert.deepEqual(await messages(awsDataEncryptedInTransit, group()), [
            'parameters: rds.force_ssl not set (expected "1": clients must connect with TLS)',
        ]);
        assert.deepEqual(await messages(awsDataEncryptedInTransit, resource(RDS, { engine: "postgres" })), [
            "parameterGroupName: not set, so the engine's default parameter group applies (expected a parameter group that sets rds.force_ssl to 1)",
        ]);
    });
});

describe("policy aws-data-backups", () => {
    it("requires the configured retention (7 days by default) on RDS and ElastiCache", async () => {
        assert.deepEqual(await messages(awsDataBackups, resource(RDS, { backupRetentionPeriod: 7 })), []);
        assert.deepEqual(await messages(awsDataBackups, resource(RDS, { backupRetentionPeriod: 1 })), [
            "backupRetentionPeriod: 1 days (expected at least 7 days)",
        ]);
        assert.deepEqual(await messages(awsDataBackups, resource(RDS, { backupRetentionPeriod: 7 }), { minDays: 14 }), [
            "backupRetentionPeriod: 7 days (expected at least 14 days)",
        ]);
        assert.deepEqual(await messages(awsDataBackups, resource(REDIS, {})), [
            "snapshotRetentionLimit: not set (expected at least 7 days)",
        ]);
    });
});

describe("policy aws-data-multi-az", () => {
    it("requires a standby in another zone", async () => {
        assert.deepEqual(await messages(awsDataMultiAz, resource(RDS, { multiAz: true })), []);
        assert.deepEqual(await messages(awsDataMultiAz, resource(RDS, {})), [
            "multiAz: not set (expected true: a standby in another zone takes over on failure)",
        ]);
        assert.deepEqual(await messages(awsDataMultiAz, resource(REDIS, { multiAzEnabled: true })), [
            "automaticFailoverEnabled: not set (expected true: a replica is promoted without manual action)",
        ]);
    });
});

describe("policy aws-kms-key-rotation", () => {
    it("requires rotation of symmetric keys only", async () => {
        assert.deepEqual(await messages(awsKmsKeyRotation, resource("aws:kms/key:Key", {})), [
            "enableKeyRotation: not set (expected true: AWS rotates the key material)",
        ]);
        assert.deepEqual(
            await messages(awsKmsKeyRotation, resource("aws:kms/key:Key", { customerMasterKeySpec: "RSA_2048" })),
            [],
        );
    });
});

describe("policies aws-s3-public-access-blocked and aws-s3-versioning", () => {
    const bucket = resource(BUCKET, { bucket: "acme-lfs" }, { name: "lfs" });

    it("refuse a bucket without a public access block or versioning", async () => {
        assert.deepEqual(await findings(awsS3PublicAccessBlocked, [bucket]), [
            "lfs: no BucketPublicAccessBlock for this bucket (expected one with all four settings true)",
        ]);
        assert.deepEqual(await findings(awsS3Versioning, [bucket]), [
            'lfs: no BucketVersioning for this bucket (expected one with versioningConfiguration.status "Enabled")',
        ]);
    });

    it("follow companions by dependency (bucket id unknown at preview) or bucket name, and check their settings", async () => {
        const block = resource(
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            { bucket: "[unknown]", blockPublicAcls: true, blockPublicPolicy: false, ignorePublicAcls: true },
            { name: "lfs-block", dependsOn: [bucket.urn] },
        );
        const versioning = resource(
            "aws:s3/bucketVersioning:BucketVersioning",
            { bucket: "acme-lfs", versioningConfiguration: { status: "Suspended" } },
            { name: "lfs-versioning" },
        );
        assert.deepEqual(await findings(awsS3PublicAccessBlocked, [bucket, block]), [
            "lfs-block: blockPublicPolicy, restrictPublicBuckets: not true (expected blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets all true)",
        ]);
        assert.deepEqual(await findings(awsS3Versioning, [bucket, versioning]), [
            'lfs-versioning: versioningConfiguration.status: "Suspended" (expected "Enabled")',
        ]);
    });

    it("refuse public ACLs", async () => {
        const open = resource(BUCKET, { bucket: "acme-www", acl: "public-read" }, { name: "www" });
        const block = resource("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", {
            bucket: "acme-www",
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        });
        assert.deepEqual(await findings(awsS3PublicAccessBlocked, [open, block]), [
            'www: acl: "public-read" grants public access (expected private or unset)',
        ]);
    });
});
