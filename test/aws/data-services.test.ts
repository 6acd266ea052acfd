import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { AwsDataServices, GITLAB_BUCKET_TYPES } from "../../components";
import { InvalidArgsError } from "../../components/errors";
import { record, type Recorded } from "../helpers/pulumi";
import { DATA_KEY_ARN, ISSUER, NETWORK_REF, OIDC_PROVIDER_ARN, awsMocks, dataArgs, policyOf } from "./support";
import { lines } from "../helpers/problems";

const T = {
    db: "aws:rds/instance:Instance",
    rg: "aws:elasticache/replicationGroup:ReplicationGroup",
    bucket: "aws:s3/bucket:Bucket",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    key: "aws:kms/key:Key",
    role: "aws:iam/role:Role",
};
/** The plain value of an Input (the mocks resolve every Output). */
const unwrap = (o: pulumi.Input<string> | pulumi.Input<number> | undefined) =>
    new Promise<unknown>((resolve) => pulumi.output(o).apply((v) => resolve(v)));

describe("AwsDataServices", () => {
    let rec: Recorded;
    let data: AwsDataServices;
    /** Resources declared with retainOnDelete (the plan format has no such field; the SDK's stack transformation sees the options). */
    const retained: string[] = [];
    before(async () => {
        rec = await record(
            () => {
                pulumi.runtime.registerStackTransformation((t) => {
                    if (t.opts.retainOnDelete) retained.push(`${t.type}/${t.name}`);
                    return undefined;
                });
                data = new AwsDataServices("prod-data", dataArgs());
            },
            { mocks: awsMocks },
        );
    });

    it("declares a KMS key with its alias and one component each for PostgreSQL, Redis and the buckets, plus the IRSA role", () => {
        assert.deepEqual(rec.childrenOf(rec.one("gitlab-platform:data:AwsDataServices")), [
            "aws:iam/role:Role/prod-data-gitlab",
            "aws:iam/rolePolicy:RolePolicy/prod-data-gitlab-object-storage",
            "aws:kms/alias:Alias/prod-data-key",
            "aws:kms/key:Key/prod-data-key",
            "gitlab-platform:data:AwsBuckets/prod-data-buckets",
            "gitlab-platform:data:AwsGitalyBackups/prod-data-gitaly-backups",
            "gitlab-platform:data:AwsPostgres/prod-data-postgres",
            "gitlab-platform:data:AwsRedis/prod-data-redis",
        ]);
        assert.deepEqual(rec.childrenOf(rec.one("gitlab-platform:data:AwsPostgres")), [
            "aws:ec2/securityGroup:SecurityGroup/prod-data-postgres-sg",
            "aws:rds/instance:Instance/prod-data-postgres-db",
            "aws:rds/parameterGroup:ParameterGroup/prod-data-postgres-params",
            "aws:rds/subnetGroup:SubnetGroup/prod-data-postgres-subnets",
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule/prod-data-postgres-from-data-clients",
            "random:index/randomPassword:RandomPassword/prod-data-postgres-password",
        ]);
        assert.equal(rec.childrenOf(rec.one("gitlab-platform:data:AwsBuckets")).length, GITLAB_BUCKET_TYPES.length * 7);
    });

    it("encrypts with a rotating customer-managed key that is protected and kept on delete", () => {
        const key = rec.one(T.key);
        assert.deepEqual(key.inputs, {
            description: "GitLab data services of gitlab-platform-prod: RDS, ElastiCache, S3",
            enableKeyRotation: true,
            deletionWindowInDays: 30,
        });
        assert.equal(key.protect, true);
        assert.deepEqual(rec.one("aws:kms/alias:Alias").inputs, {
            name: "alias/gitlab-platform-prod-gitlab-data",
            targetKeyId: "prod-data-key-key-id",
        });
    });

    it("keeps only the key on delete (retainOnDelete), so final snapshots encrypted with it stay restorable", () => {
        assert.deepEqual(retained, ["aws:kms/key:Key/prod-data-key"]);
    });

    it("runs PostgreSQL 17 Multi-AZ, encrypted, backed up 14 days, deletion-protected with a final snapshot, never public", () => {
        const db = rec.one(T.db);
        assert.equal(db.protect, true);
        assert.deepEqual(db.inputs, {
            engine: "postgres",
            engineVersion: "17",
            autoMinorVersionUpgrade: true,
            instanceClass: "db.m7g.large",
            storageType: "gp3",
            allocatedStorage: 100,
            maxAllocatedStorage: 1000,
            storageEncrypted: true,
            kmsKeyId: DATA_KEY_ARN,
            multiAz: true,
            dbName: "gitlabhq_production",
            username: "gitlab",
            password: "[secret]",
            port: 5432,
            dbSubnetGroupName: "prod-data-postgres-subnets-name",
            vpcSecurityGroupIds: ["prod-data-postgres-sg-id"],
            parameterGroupName: "prod-data-postgres-params-name",
            publiclyAccessible: false,
            backupRetentionPeriod: 14,
            copyTagsToSnapshot: true,
            deleteAutomatedBackups: false,
            deletionProtection: true,
            skipFinalSnapshot: false,
            finalSnapshotIdentifier: "gitlab-platform-prod-postgres-final",
            performanceInsightsEnabled: false,
        });
        assert.deepEqual(rec.one("aws:rds/parameterGroup:ParameterGroup").inputs, {
            family: "postgres17",
            description: "GitLab PostgreSQL",
            parameters: [{ name: "rds.force_ssl", value: "1" }],
        });
        assert.deepEqual(rec.one("aws:rds/subnetGroup:SubnetGroup").inputs.subnetIds, NETWORK_REF.privateSubnetIds);
    });

    it("runs Redis OSS 7.1 with TLS required, an AUTH token, KMS at rest, failover across zones", () => {
        const rg = rec.one(T.rg);
        assert.equal(rg.protect, true);
        assert.deepEqual(rg.inputs, {
            description: "GitLab Redis (combined)",
            engine: "redis",
            engineVersion: "7.1",
            parameterGroupName: "prod-data-redis-params-name",
            autoMinorVersionUpgrade: true,
            nodeType: "cache.m7g.large",
            numCacheClusters: 2,
            port: 6379,
            automaticFailoverEnabled: true,
            multiAzEnabled: true,
            preferredCacheClusterAzs: ["eu-central-1a", "eu-central-1b"],
            subnetGroupName: "prod-data-redis-subnets-name",
            securityGroupIds: ["prod-data-redis-sg-id"],
            transitEncryptionEnabled: true,
            transitEncryptionMode: "required",
            authToken: "[secret]",
            atRestEncryptionEnabled: true,
            kmsKeyId: DATA_KEY_ARN,
            snapshotRetentionLimit: 7,
            finalSnapshotIdentifier: "gitlab-platform-prod-redis-final",
        });
    });

    it("gives the combined Redis its own parameter group that never evicts (ElastiCache's default evicts with volatile-lru)", () => {
        assert.deepEqual(rec.childrenOf(rec.one("gitlab-platform:data:AwsRedis")), [
            "aws:ec2/securityGroup:SecurityGroup/prod-data-redis-sg",
            "aws:elasticache/parameterGroup:ParameterGroup/prod-data-redis-params",
            "aws:elasticache/replicationGroup:ReplicationGroup/prod-data-redis-redis",
            "aws:elasticache/subnetGroup:SubnetGroup/prod-data-redis-subnets",
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule/prod-data-redis-from-data-clients",
            "random:index/randomPassword:RandomPassword/prod-data-redis-auth",
        ]);
        assert.deepEqual(rec.one("aws:elasticache/parameterGroup:ParameterGroup").inputs, {
            family: "redis7",
            description: "GitLab Redis (combined)",
            parameters: [{ name: "maxmemory-policy", value: "noeviction" }],
            tags: { "gitlab-platform/redis-role": "combined" },
        });
        assert.equal(data.redisCache, undefined, "no cache instance unless split");
    });

    it("splits cache (allkeys-lru) from persistent (noeviction) Redis when asked, each with its own token", async () => {
        let split: AwsDataServices | undefined;
        const s = await record(() => (split = new AwsDataServices("prod-data", dataArgs({ redis: { split: true } }))), {
            mocks: awsMocks,
        });
        const groups = Object.fromEntries(
            s.ofType("aws:elasticache/parameterGroup:ParameterGroup").map((g) => [g.name, g.inputs]),
        );
        assert.deepEqual(groups, {
            "prod-data-redis-params": {
                family: "redis7",
                description: "GitLab Redis (persistent)",
                parameters: [{ name: "maxmemory-policy", value: "noeviction" }],
                tags: { "gitlab-platform/redis-role": "persistent" },
            },
            "prod-data-redis-cache-params": {
                family: "redis7",
                description: "GitLab Redis (cache)",
                parameters: [{ name: "maxmemory-policy", value: "allkeys-lru" }],
                tags: { "gitlab-platform/redis-role": "cache" },
            },
        });
        const persistent = s.one(T.rg, "prod-data-redis-redis").inputs;
        const cache = s.one(T.rg, "prod-data-redis-cache-redis").inputs;
        assert.deepEqual(
            [persistent.parameterGroupName, persistent.finalSnapshotIdentifier],
            ["prod-data-redis-params-name", "gitlab-platform-prod-redis-final"],
        );
        assert.deepEqual(
            [cache.parameterGroupName, cache.finalSnapshotIdentifier, cache.nodeType],
            ["prod-data-redis-cache-params-name", "gitlab-platform-prod-redis-cache-final", "cache.m7g.large"],
        );
        assert.equal(s.one(T.rg, "prod-data-redis-cache-redis").protect, true);
        assert.equal(await pulumi.isSecret(split!.redisCache!.password!), true);
        assert.equal(
            await unwrap(split!.redisCache!.host),
            "master.prod-data-redis-cache-redis.abcdef.euc1.cache.amazonaws.com",
        );
    });

    it("admits only the data-clients group, on each service's port, and nothing else", () => {
        const rules = rec.ofType(T.ingress).map((r) => r.inputs);
        assert.deepEqual(rules, [
            {
                securityGroupId: "prod-data-postgres-sg-id",
                referencedSecurityGroupId: NETWORK_REF.dataClientsSecurityGroupId,
                ipProtocol: "tcp",
                fromPort: 5432,
                toPort: 5432,
                description: "PostgreSQL from GitLab data clients",
            },
            {
                securityGroupId: "prod-data-redis-sg-id",
                referencedSecurityGroupId: NETWORK_REF.dataClientsSecurityGroupId,
                ipProtocol: "tcp",
                fromPort: 6379,
                toPort: 6379,
                description: "Redis from GitLab data clients",
            },
        ]);
        for (const sg of rec.ofType(T.sg))
            assert.deepEqual(Object.keys(sg.inputs).sort(), ["description", "vpcId"], `${sg.name} has no inline rules`);
        assert.equal(rec.ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").length, 0);
    });

    it("gives every object type a protected, private, KMS-encrypted, versioned, TLS-only bucket", () => {
        for (const type of GITLAB_BUCKET_TYPES) {
            const n = `prod-data-buckets-${type}`;
            const bucket = rec.one(T.bucket, n);
            assert.equal(bucket.protect, true);
            assert.equal(bucket.inputs.forceDestroy, false);
            assert.deepEqual(
                rec.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", `${n}-public-access`).inputs,
                {
                    bucket: `${n}-id`,
                    blockPublicAcls: true,
                    blockPublicPolicy: true,
                    ignorePublicAcls: true,
                    restrictPublicBuckets: true,
                },
            );
            assert.deepEqual(
                rec.one("aws:s3/bucketOwnershipControls:BucketOwnershipControls", `${n}-ownership`).inputs.rule,
                { objectOwnership: "BucketOwnerEnforced" },
            );
            assert.deepEqual(
                rec.one(
                    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                    `${n}-encryption`,
                ).inputs.rules,
                [
                    {
                        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: DATA_KEY_ARN },
                        bucketKeyEnabled: true,
                    },
                ],
            );
            assert.deepEqual(
                rec.one("aws:s3/bucketVersioning:BucketVersioning", `${n}-versioning`).inputs.versioningConfiguration,
                { status: "Enabled" },
            );
            const policy = rec.one("aws:s3/bucketPolicy:BucketPolicy", `${n}-tls-only`);
            const arn = `arn:aws:s3:::${String(bucket.inputs.bucket)}`;
            assert.deepEqual(policyOf(policy, "policy").Statement, [
                {
                    Sid: "DenyInsecureTransport",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "s3:*",
                    Resource: [arn, `${arn}/*`],
                    Condition: { Bool: { "aws:SecureTransport": "false" } },
                },
            ]);
            assert.ok(
                policy.dependsOn.includes(
                    rec.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", `${n}-public-access`).urn,
                ),
            );
        }
    });

    it("names buckets <prefix>-<type> and expires tmp objects, old versions and stale uploads", () => {
        assert.deepEqual(
            rec.ofType(T.bucket).map((b) => b.inputs.bucket),
            GITLAB_BUCKET_TYPES.map((t) => `gitlab-platform-prod-${t.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`),
        );
        const ids = (type: string) =>
            (
                rec.one(
                    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
                    `prod-data-buckets-${type}-lifecycle`,
                ).inputs.rules as { id: string }[]
            ).map((r) => r.id);
        assert.deepEqual(ids("lfs"), ["abort-incomplete-multipart-uploads", "expire-noncurrent-versions"]);
        assert.deepEqual(ids("tmp"), [
            "abort-incomplete-multipart-uploads",
            "expire-noncurrent-versions",
            "expire-tmp-objects",
        ]);
        const tmp = (
            rec.one(
                "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
                "prod-data-buckets-tmp-lifecycle",
            ).inputs.rules as Record<string, unknown>[]
        )[2];
        assert.deepEqual(tmp, { id: "expire-tmp-objects", status: "Enabled", filter: {}, expiration: { days: 7 } });
    });

    it("trusts exactly GitLab's object-storage service accounts through the cluster's OIDC provider", () => {
        const trust = policyOf(rec.one(T.role, "prod-data-gitlab"), "assumeRolePolicy").Statement;
        assert.deepEqual(trust, [
            {
                Effect: "Allow",
                Principal: { Federated: OIDC_PROVIDER_ARN },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: {
                        [`${ISSUER}:aud`]: "sts.amazonaws.com",
                        [`${ISSUER}:sub`]: ["webservice", "sidekiq", "toolbox", "registry", "migrations"].map(
                            (c) => `system:serviceaccount:gitlab:gitlab-${c}`,
                        ),
                    },
                },
            },
        ]);
    });

    it("lets the role use exactly these buckets, and the key only through S3", () => {
        const statements = policyOf(rec.one("aws:iam/rolePolicy:RolePolicy"), "policy").Statement;
        const arns = rec.ofType(T.bucket).map((b) => `arn:aws:s3:::${String(b.inputs.bucket)}`);
        assert.deepEqual(statements[0], {
            Sid: "Buckets",
            Effect: "Allow",
            Action: ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"],
            Resource: arns,
        });
        assert.deepEqual(
            statements[1].Resource,
            arns.map((a) => `${a}/*`),
        );
        assert.deepEqual(statements[2], {
            Sid: "BucketKey",
            Effect: "Allow",
            Action: ["kms:GenerateDataKey", "kms:Decrypt"],
            Resource: DATA_KEY_ARN,
            Condition: { StringEquals: { "kms:ViaService": "s3.eu-central-1.amazonaws.com" } },
        });
        assert.ok(!JSON.stringify(statements).includes('"*"'), "no wildcard resource");
        assert.equal(rec.ofType("aws:iam/accessKey:AccessKey").length, 0, "no static keys exist");
    });

    it("produces the GitLabDataServices interface: secrets stay secret, object storage authenticates with the role", async () => {
        assert.deepEqual(
            {
                host: await unwrap(data.postgres.host),
                port: data.postgres.port,
                database: data.postgres.database,
                username: data.postgres.username,
            },
            {
                host: "prod-data-postgres-db.abcdefghij.eu-central-1.rds.amazonaws.com",
                port: 5432,
                database: "gitlabhq_production",
                username: "gitlab",
            },
        );
        assert.equal(await pulumi.isSecret(data.postgres.password), true);
        assert.equal(await pulumi.isSecret(data.redis.password!), true);
        assert.deepEqual(
            { host: await unwrap(data.redis.host), port: data.redis.port, tls: data.redis.tls },
            { host: "master.prod-data-redis-redis.abcdef.euc1.cache.amazonaws.com", port: 6379, tls: true },
        );
        assert.equal(data.objectStorage.provider, "aws");
        assert.equal(data.objectStorage.region, "eu-central-1");
        assert.equal(data.objectStorage.endpoint, undefined, "no endpoint: IRSA needs the regional STS defaults");
        assert.equal(data.objectStorage.auth.type, "iamRole");
        assert.equal(
            await unwrap(data.objectStorage.auth.type === "iamRole" ? data.objectStorage.auth.roleArn : undefined),
            "arn:aws:iam:eu-central-1:123456789012:prod-data-gitlab",
        );
        assert.equal(await unwrap(data.objectStorage.buckets.externalDiffs), "gitlab-platform-prod-external-diffs");
    });

    it("lifts protection for a teardown but keeps final snapshots and the key (protect: false); drops all for throwaway stacks", async () => {
        const retainedHere: string[] = [];
        const loose = await record(
            () => {
                pulumi.runtime.registerStackTransformation((t) => {
                    if (t.opts.retainOnDelete) retainedHere.push(t.name);
                    return undefined;
                });
                new AwsDataServices("prod-data", dataArgs({ protect: false }));
                new AwsDataServices(
                    "tmp-data",
                    dataArgs({
                        namePrefix: "gitlab-platform-tmp",
                        protect: false,
                        finalSnapshots: false,
                        postgres: { performanceInsights: true },
                    }),
                );
            },
            { mocks: awsMocks },
        );
        for (const r of [
            ...loose.ofType(T.db),
            ...loose.ofType(T.rg),
            ...loose.ofType(T.bucket),
            ...loose.ofType(T.key),
        ])
            assert.equal(r.protect, false, r.name);
        assert.deepEqual(retainedHere, ["prod-data-key"]);

        const teardown = loose.one(T.db, "prod-data-postgres-db").inputs;
        assert.deepEqual(
            [teardown.deletionProtection, teardown.skipFinalSnapshot, teardown.finalSnapshotIdentifier],
            [false, false, "gitlab-platform-prod-postgres-final"],
        );
        assert.equal(
            loose.one(T.rg, "prod-data-redis-redis").inputs.finalSnapshotIdentifier,
            "gitlab-platform-prod-redis-final",
        );

        const throwaway = loose.one(T.db, "tmp-data-postgres-db").inputs;
        assert.deepEqual(
            [throwaway.deletionProtection, throwaway.skipFinalSnapshot, throwaway.finalSnapshotIdentifier],
            [false, true, undefined],
        );
        assert.deepEqual(
            [
                throwaway.performanceInsightsEnabled,
                throwaway.performanceInsightsKmsKeyId,
                throwaway.performanceInsightsRetentionPeriod,
            ],
            [true, "arn:aws:kms:eu-central-1:123456789012:key/tmp-data-key", 7],
        );
        assert.equal(loose.one(T.rg, "tmp-data-redis-redis").inputs.finalSnapshotIdentifier, undefined);
    });

    it("rejects bad settings before declaring any child, naming each field", async () => {
        const bad = await record(
            () =>
                assert.throws(
                    () =>
                        new AwsDataServices(
                            "bad",
                            dataArgs({
                                namePrefix: "GitLab_Prod",
                                postgres: { backupRetentionDays: 3, instanceClass: "db.t4g.micro" },
                                redis: { nodeCount: 1 },
                            }),
                        ),
                    (err: unknown) =>
                        err instanceof InvalidArgsError &&
                        lines(err.problems).join("\n") ===
                            [
                                'namePrefix: "GitLab_Prod" is not lower-case words joined by single hyphens (expected a letter first, then a-z, 0-9 and single hyphens, e.g. <project>-<stack> with a lower-case stack name)',
                                'postgres.instanceClass: "db.t4g.micro" is burstable (expected a db.m, db.r or db.c class for production)',
                                "postgres.backupRetentionDays: 3 (expected an integer from 7 to 35)",
                                "redis.nodeCount: 1 (expected an integer from 2 to 6)",
                            ].join("\n"),
                ),
            { mocks: awsMocks },
        );
        // Not even the component itself is registered.
        assert.deepEqual(
            bad.resources.map((r) => r.type),
            ["pulumi:pulumi:Stack"],
        );
    });
});
