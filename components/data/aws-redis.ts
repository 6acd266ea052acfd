import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import {
    ELASTICACHE_REDIS_ENGINE_VERSION,
    ELASTICACHE_REDIS_PARAMETER_FAMILY,
    REDIS_DEFAULT_PORT,
    REDIS_MAXMEMORY_POLICIES,
    type RedisRole,
} from "../defaults";
import type { AwsNetworkRef } from "../network/aws-network";

/** User-facing settings of GitLab's ElastiCache Redis. */
export interface AwsRedisSettings {
    /**
     * ElastiCache node type.
     * @default "cache.m7g.large" (`ELASTICACHE_DEFAULT_NODE_TYPE`)
     * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html
     */
    nodeType?: string;
    /**
     * Nodes: one primary plus replicas, 2 to 6 (automatic failover needs a replica).
     * @default 2 (`ELASTICACHE_DEFAULT_NODE_COUNT`)
     */
    nodeCount?: number;
    /**
     * Days of daily snapshots, 1 to 35.
     * @default 7 (`ELASTICACHE_SNAPSHOT_RETENTION_DAYS`)
     */
    snapshotRetentionDays?: number;
    /**
     * Two replication groups as the Cloud Native First reference architecture has them: a cache instance
     * (`allkeys-lru`) and a persistent one (`noeviction`), each with {@link nodeType} and {@link nodeCount}.
     * `false`: one combined instance (`noeviction`).
     * @default false
     * @see https://docs.gitlab.com/charts/advanced/external-redis/
     */
    split?: boolean;
}

/** Arguments of {@link AwsRedis}: resolved settings plus what the parent provides. */
export interface AwsRedisArgs extends Required<Omit<AwsRedisSettings, "split">> {
    /** What this instance holds; sets its `maxmemory-policy` ({@link REDIS_MAXMEMORY_POLICIES}). */
    role: RedisRole;
    /** The VPC, its private subnets and the data-clients security group Redis admits. */
    network: AwsNetworkRef;
    /** The customer-managed key of the data services. */
    kmsKeyArn: pulumi.Input<string>;
    /** Snapshot taken when the replication group is deleted; `undefined` skips it (throwaway stacks). */
    finalSnapshotIdentifier: string | undefined;
    /** Pulumi `protect`. */
    protect: boolean;
}

/** Preferred zones of the nodes: the primary in the first zone, replicas spread over the others. Pure. */
export function preferredZones(zones: readonly string[], nodeCount: number): string[] {
    return Array.from({ length: nodeCount }, (_, i) => zones[i % zones.length]);
}

/** The parameters of an instance's own parameter group. Pure. */
export function redisParameters(role: RedisRole): { name: string; value: string }[] {
    return [{ name: "maxmemory-policy", value: REDIS_MAXMEMORY_POLICIES[role] }];
}

/**
 * GitLab's ElastiCache Redis OSS (cluster mode off, which GitLab expects): a replication group with
 * automatic failover and Multi-AZ, TLS required in transit with a generated AUTH token, KMS encryption
 * at rest, daily snapshots, reachable on 6379 from the "GitLab data clients" group alone, with its own
 * parameter group: ElastiCache's default one evicts (`volatile-lru`), GitLab's persistent data must not.
 * @see https://docs.gitlab.com/charts/advanced/external-redis/
 * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html
 */
export class AwsRedis extends pulumi.ComponentResource {
    public readonly replicationGroup: aws.elasticache.ReplicationGroup;
    /** The AUTH token, secret. */
    public readonly authToken: pulumi.Output<string>;

    constructor(name: string, args: AwsRedisArgs, opts?: pulumi.ComponentResourceOptions) {
        super("gitlab-platform:data:AwsRedis", name, {}, opts);
        const o = { parent: this };
        const subnets = new aws.elasticache.SubnetGroup(
            `${name}-subnets`,
            { description: "GitLab Redis: private subnets", subnetIds: args.network.privateSubnetIds },
            o,
        );
        const sg = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            { vpcId: args.network.vpcId, description: "GitLab Redis: admits the GitLab data clients group only" },
            o,
        );
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-from-data-clients`,
            {
                securityGroupId: sg.id,
                referencedSecurityGroupId: args.network.dataClientsSecurityGroupId,
                ipProtocol: "tcp",
                fromPort: REDIS_DEFAULT_PORT,
                toPort: REDIS_DEFAULT_PORT,
                description: "Redis from GitLab data clients",
            },
            o,
        );
        // AUTH tokens: 16-128 printable characters without / " @; letters and digits avoid every escaping issue.
        const token = new random.RandomPassword(`${name}-auth`, { length: 64, special: false }, o);
        this.authToken = pulumi.secret(token.result);
        const params = new aws.elasticache.ParameterGroup(
            `${name}-params`,
            {
                family: ELASTICACHE_REDIS_PARAMETER_FAMILY,
                description: `GitLab Redis (${args.role})`,
                parameters: redisParameters(args.role),
                // The policy pack's aws-redis-no-eviction rule reads the role from here.
                tags: { "gitlab-platform/redis-role": args.role },
            },
            o,
        );
        const zones = args.network.availabilityZones;
        this.replicationGroup = new aws.elasticache.ReplicationGroup(
            `${name}-redis`,
            {
                description: `GitLab Redis (${args.role})`,
                engine: "redis",
                engineVersion: ELASTICACHE_REDIS_ENGINE_VERSION,
                parameterGroupName: params.name,
                autoMinorVersionUpgrade: true,
                nodeType: args.nodeType,
                numCacheClusters: args.nodeCount,
                port: REDIS_DEFAULT_PORT,
                automaticFailoverEnabled: true,
                multiAzEnabled: true,
                ...(zones && zones.length > 0
                    ? { preferredCacheClusterAzs: preferredZones(zones, args.nodeCount) }
                    : {}),
                subnetGroupName: subnets.name,
                securityGroupIds: [sg.id],
                transitEncryptionEnabled: true,
                transitEncryptionMode: "required",
                authToken: this.authToken,
                atRestEncryptionEnabled: true,
                kmsKeyId: args.kmsKeyArn,
                snapshotRetentionLimit: args.snapshotRetentionDays,
                ...(args.finalSnapshotIdentifier !== undefined
                    ? { finalSnapshotIdentifier: args.finalSnapshotIdentifier }
                    : {}),
            },
            { ...o, protect: args.protect },
        );
        this.registerOutputs({ primaryEndpoint: this.replicationGroup.primaryEndpointAddress });
    }
}
