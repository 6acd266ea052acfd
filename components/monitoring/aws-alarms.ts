/**
 * Signals from GitLab's AWS services: CloudWatch alarms on RDS PostgreSQL, ElastiCache Redis and the
 * gateway's Network Load Balancer, all routed to one SNS topic whose subscribers are a setting. Metric
 * names and dimensions checked against the CloudWatch metric references (AWS/RDS, AWS/ElastiCache,
 * AWS/NetworkELB) in December 2026. The pure builder {@link buildAlarmSpecs} decides every alarm; the
 * component only declares them.
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-metrics.html
 * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-cloudwatch-metrics.html
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ALARM_THRESHOLDS, KMS_DELETION_WINDOW_DAYS } from "../defaults";
import type { OidcIdentity } from "../cluster/eks-config";
import { irsaAssumeRolePolicy, roleArnAfterPolicy, type PolicyDocument } from "../cluster/irsa";
import { assertValid } from "../errors";
import { alertmanagerServiceAccount, type AlertmanagerSnsArgs } from "../gitlab/alertmanager-values";
import { parseArgs } from "../internal/spec-kit";
import { awsAlarmsArgsSpec, awsAlarmsRules } from "./spec";

/** Who hears the alarms. */
export interface AlarmSubscribers {
    /**
     * E-mail addresses (each confirms the subscription once, from the message AWS sends).
     * @default []
     */
    emails?: string[];
    /**
     * HTTPS endpoints (an incident tool's webhook); each confirms the subscription.
     * @default []
     */
    httpsEndpoints?: string[];
}

/** The GitLab chart's bundled Alertmanager, which publishes the in-cluster alerts to the same topic. */
export interface AlertmanagerRoleArgs {
    /** The EKS cluster's OIDC identity provider (IRSA). */
    oidc: OidcIdentity;
    /** GitLab's namespace: the service account's. */
    namespace: string;
    /** GitLab's Helm release name: the service account is `<release>-alertmanager`. */
    releaseName: string;
    /** The stack's region, where the topic is (SigV4 signs for it). */
    region: string;
}

/** Arguments of {@link AwsAlarms}. */
export interface AwsAlarmsArgs extends AlarmSubscribers {
    /** Prefix of the topic and alarm names. */
    namePrefix: string;
    /** The RDS instance identifier. */
    postgresInstanceId: pulumi.Input<string>;
    /** The RDS allocated storage, GiB: the free-storage alarm fires below a tenth of it. */
    postgresAllocatedStorageGiB: number;
    /**
     * The DNS name of GitLab's gateway NLB ({@link GitLab}'s `loadBalancerHostname`): the unhealthy-targets
     * alarm watches that NLB only. Without it, or while it is undefined, every NLB of the region.
     * @default - region-wide
     */
    gatewayLoadBalancerHostname?: pulumi.Input<string | undefined>;
    /** The ElastiCache replication group id (its members are `<id>-001`, `-002`, ...). */
    redisReplicationGroupId: pulumi.Input<string>;
    /** The replication group's node count: one set of node alarms each. */
    redisNodeCount: number;
    /**
     * An IRSA role for GitLab's bundled Alertmanager, allowed to publish to the topic only; the component
     * hands GitLab its target as {@link AwsAlarms.alertmanager}.
     * @default - no role: the in-cluster alerts reach no one outside the cluster
     */
    alertmanager?: AlertmanagerRoleArgs;
}

/**
 * The Metrics Insights query of the NLB unhealthy-targets alarm. Pure.
 *
 * With the gateway NLB's `LoadBalancer` dimension (`net/<name>/<id>`, the load balancer ARN's suffix) it
 * watches that NLB's target groups only. Without it, every NLB target group of the account and region:
 * - the NLB is created by the AWS cloud controller (checked in cloud-provider-aws v1.33.0 and v1.35.2, the
 *   EKS minors `SUPPORTED_KUBERNETES_VERSIONS` spans), which names it `a` + the Service's UID without dashes, cut to
 *   32 characters (`GetLoadBalancerName` returns `cloudprovider.DefaultLoadBalancerName(service)`), so the
 *   name exists only once the cluster has created the Service. The annotation
 *   `service.beta.kubernetes.io/aws-load-balancer-name` is read only by the AWS Load Balancer Controller,
 *   which this stack does not install; cloud-provider-aws has no such annotation.
 * - The stack learns the NLB's DNS name from the Gateway's status after GitLab's release
 *   ({@link nlbNameFromHostname}), and looks the NLB up by name for its ARN suffix; until then (the preview
 *   of a first `up`, or a load balancer without an address yet) the query is region-wide, which errs on the
 *   side of being heard. A `WHERE tag.<key>` filter is no alternative: it needs the account's "resource tags
 *   for telemetry" feature, which the stack cannot check, and a filter matching nothing would stay silent.
 */
export function nlbUnhealthyTargetsQuery(loadBalancerDimension?: string): string {
    const all = 'SELECT MAX(UnHealthyHostCount) FROM SCHEMA("AWS/NetworkELB", LoadBalancer, TargetGroup)';
    if (loadBalancerDimension === undefined) return all;
    if (!/^net\/[A-Za-z0-9-]{1,32}\/[0-9a-f]+$/.test(loadBalancerDimension))
        throw new Error(`not a Network Load Balancer ARN suffix (expected net/<name>/<id>): ${loadBalancerDimension}`);
    return `${all} WHERE LoadBalancer = '${loadBalancerDimension}'`;
}

/**
 * The NLB's name from its DNS name, `<name>-<hex id>.elb.<region>.amazonaws.com` (`.com.cn` in China
 * regions), the form AWS gives Network Load Balancers; `undefined` for anything else (a Classic ELB's
 * `<name>-<n>.<region>.elb.amazonaws.com`, an IP), and the alarm then stays region-wide, heard. Pure.
 */
export function nlbNameFromHostname(hostname: string): string | undefined {
    const m = /^([A-Za-z0-9-]{1,32})-[0-9a-f]+\.elb\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/.exec(hostname);
    return m?.[1];
}

/** One alarm, decided before any Output is known. */
export interface AlarmSpec {
    /** `<role>` of the child name and the alarm name. */
    readonly role: string;
    readonly description: string;
    readonly namespace?: string;
    readonly metricName?: string;
    readonly statistic?: "Average" | "Maximum" | "Minimum" | "Sum";
    readonly comparisonOperator: "GreaterThanThreshold" | "LessThanThreshold" | "GreaterThanOrEqualToThreshold";
    readonly threshold: number;
    readonly periodSeconds: number;
    readonly evaluationPeriods: number;
    /** The dimension this alarm watches: which input it takes (resolved by the component). */
    readonly dimension?: { readonly name: string; readonly of: "postgres" | { readonly redisMember: number } };
    /** A CloudWatch Metrics Insights query instead of one metric. */
    readonly query?: string;
    /** The query is {@link nlbUnhealthyTargetsQuery}: the component narrows it to the gateway's NLB when known. */
    readonly scopedToGatewayLoadBalancer?: boolean;
    readonly treatMissingData: "missing" | "notBreaching" | "breaching";
}

const t = ALARM_THRESHOLDS;
const GIB = 1024 ** 3;

/** Every alarm of a stack: RDS, each Redis node, the NLBs. Pure. */
export function buildAlarmSpecs(a: Pick<AwsAlarmsArgs, "postgresAllocatedStorageGiB" | "redisNodeCount">): AlarmSpec[] {
    const rds = (
        role: string,
        metricName: string,
        description: string,
        rest: Partial<AlarmSpec> & Pick<AlarmSpec, "comparisonOperator" | "threshold">,
    ): AlarmSpec => ({
        role,
        description,
        namespace: "AWS/RDS",
        metricName,
        statistic: "Average",
        periodSeconds: 300,
        evaluationPeriods: 3,
        dimension: { name: "DBInstanceIdentifier", of: "postgres" },
        treatMissingData: "breaching",
        ...rest,
    });
    const specs: AlarmSpec[] = [
        rds("postgres-cpu", "CPUUtilization", `PostgreSQL CPU above ${t.postgresCpuPercent}% for 15 minutes`, {
            comparisonOperator: "GreaterThanThreshold",
            threshold: t.postgresCpuPercent,
        }),
        rds(
            "postgres-free-storage",
            "FreeStorageSpace",
            "PostgreSQL free storage below a tenth of the allocated size (autoscaling may be at its ceiling)",
            {
                comparisonOperator: "LessThanThreshold",
                threshold: Math.round(a.postgresAllocatedStorageGiB * GIB * t.postgresFreeStorageFraction),
                statistic: "Minimum",
            },
        ),
        rds("postgres-connections", "DatabaseConnections", `PostgreSQL connections above ${t.postgresConnections}`, {
            comparisonOperator: "GreaterThanThreshold",
            threshold: t.postgresConnections,
            statistic: "Maximum",
        }),
        // Multi-AZ instances publish no ReplicaLag (the standby is not readable); the metric exists once read
        // replicas do, so a missing metric is not a breach.
        rds(
            "postgres-replica-lag",
            "ReplicaLag",
            `PostgreSQL read replicas more than ${t.postgresReplicaLagSeconds} s behind`,
            {
                comparisonOperator: "GreaterThanThreshold",
                threshold: t.postgresReplicaLagSeconds,
                statistic: "Maximum",
                treatMissingData: "notBreaching",
            },
        ),
    ];
    for (let i = 1; i <= a.redisNodeCount; i++) {
        const member = { name: "CacheClusterId", of: { redisMember: i } } as const;
        const redis = (
            role: string,
            metricName: string,
            description: string,
            rest: Pick<AlarmSpec, "comparisonOperator" | "threshold" | "statistic"> & Partial<AlarmSpec>,
        ): AlarmSpec => ({
            role: `redis-${i}-${role}`,
            description: `Redis node ${i}: ${description}`,
            namespace: "AWS/ElastiCache",
            metricName,
            periodSeconds: 300,
            evaluationPeriods: 2,
            dimension: member,
            treatMissingData: "breaching",
            ...rest,
        });
        specs.push(
            redis("memory", "DatabaseMemoryUsagePercentage", `memory above ${t.redisMemoryPercent}% of maxmemory`, {
                comparisonOperator: "GreaterThanThreshold",
                threshold: t.redisMemoryPercent,
                statistic: "Maximum",
            }),
            redis("evictions", "Evictions", "keys evicted (GitLab's persistent data must never be evicted)", {
                comparisonOperator: "GreaterThanThreshold",
                threshold: 0,
                statistic: "Sum",
                evaluationPeriods: 1,
            }),
            // Only replicas publish ReplicationLag; the primary's missing metric is not a breach.
            redis(
                "replication-lag",
                "ReplicationLag",
                `replica more than ${t.redisReplicationLagSeconds} s behind the primary`,
                {
                    comparisonOperator: "GreaterThanThreshold",
                    threshold: t.redisReplicationLagSeconds,
                    statistic: "Maximum",
                    treatMissingData: "notBreaching",
                },
            ),
        );
    }
    // The gateway's NLB is created by the cluster's AWS cloud controller from the Envoy Service, so it is
    // not a resource of the stack; its name is known once the Gateway reports the NLB's DNS name (see
    // {@link nlbUnhealthyTargetsQuery}), and the component scopes the query to it then.
    specs.push({
        role: "nlb-unhealthy-targets",
        description: "A Network Load Balancer target group (GitLab's gateway) has unhealthy targets",
        query: nlbUnhealthyTargetsQuery(),
        scopedToGatewayLoadBalancer: true,
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        periodSeconds: 60,
        evaluationPeriods: 5,
        treatMissingData: "notBreaching",
    });
    return specs;
}

/**
 * The key policy of the alarm topic's customer-managed key: the account administers it (the default key
 * policy's statement), and CloudWatch may generate and decrypt data keys, which it needs to publish to an
 * encrypted topic. The AWS-managed `alias/aws/sns` key cannot be used: its policy cannot be changed and
 * does not admit CloudWatch, so alarm notifications to a topic under it are dropped. Pure.
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 * @see https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger
 */
export function buildAlarmTopicKeyPolicy(partition: string, accountId: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AccountAdministers",
                Effect: "Allow",
                Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
                Action: "kms:*",
                Resource: "*",
            },
            {
                Sid: "CloudWatchAlarmsPublish",
                Effect: "Allow",
                Principal: { Service: "cloudwatch.amazonaws.com" },
                Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                Resource: "*",
            },
        ],
    };
}

/**
 * The IAM policy of the Alertmanager role: publish to this one topic, and the two KMS actions publishing
 * to a topic encrypted with a customer-managed key needs, on that key only. The key's policy already
 * delegates to IAM (its `AccountAdministers` statement names the account), so it needs no statement for
 * the role. Pure.
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#sns-what-permissions-for-sse
 */
export function buildAlertmanagerPublishPolicy(topicArn: string, keyArn: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "PublishAlerts", Effect: "Allow", Action: "sns:Publish", Resource: topicArn },
            {
                Sid: "EncryptForTheTopic",
                Effect: "Allow",
                Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
                Resource: keyArn,
            },
        ],
    };
}

/**
 * The alarms and their SNS topic, encrypted with its own customer-managed KMS key whose policy lets
 * CloudWatch publish ({@link buildAlarmTopicKeyPolicy}); with `alertmanager`, the IRSA role GitLab's
 * bundled Alertmanager publishes the in-cluster alerts to the same topic with.
 */
export class AwsAlarms extends pulumi.ComponentResource {
    /** The topic every alarm notifies. */
    public readonly topicArn: pulumi.Output<string>;
    /**
     * With `alertmanager`: GitLab's `alertmanager` argument (the topic, its region, the role). The role's
     * ARN resolves only once its policy exists, so a release taking it waits for the permissions too.
     */
    public readonly alertmanager?: AlertmanagerSnsArgs;

    constructor(name: string, args: AwsAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before the component registers: bad args declare nothing.
        const a = parseArgs("AwsAlarms", awsAlarmsArgsSpec, args);
        assertValid("AwsAlarms", awsAlarmsRules(a));
        super("gitlab-platform:monitoring:AwsAlarms", name, {}, opts);
        const o = { parent: this };
        const key = new aws.kms.Key(
            `${name}-key`,
            {
                description: `Alarm topic of ${a.namePrefix}: SNS encryption CloudWatch may use`,
                enableKeyRotation: true,
                deletionWindowInDays: KMS_DELETION_WINDOW_DAYS,
            },
            // Deleting it would leave the topic unable to deliver: an explicit decision (`pulumi state unprotect`).
            { ...o, protect: true },
        );
        // The account and partition come from the key's own ARN (arn:<partition>:kms:<region>:<account>:key/<id>).
        const keyPolicy = new aws.kms.KeyPolicy(
            `${name}-key`,
            {
                keyId: key.keyId,
                // A provider always returns the ARN; only engines that echo inputs (the offline simulation) lack it.
                policy: key.arn.apply((arn: string | undefined) => {
                    if (arn === undefined) return undefined as unknown as string;
                    const [, partition, , , accountId] = arn.split(":");
                    return JSON.stringify(buildAlarmTopicKeyPolicy(partition, accountId));
                }),
            },
            o,
        );
        const topic = new aws.sns.Topic(
            `${name}-topic`,
            { name: `${a.namePrefix}-alarms`, kmsMasterKeyId: key.arn },
            { ...o, dependsOn: [keyPolicy] },
        );
        a.emails.forEach(
            (endpoint, i) =>
                new aws.sns.TopicSubscription(
                    `${name}-email-${i}`,
                    { topic: topic.arn, protocol: "email", endpoint },
                    o,
                ),
        );
        a.httpsEndpoints.forEach(
            (endpoint, i) =>
                new aws.sns.TopicSubscription(
                    `${name}-https-${i}`,
                    { topic: topic.arn, protocol: "https", endpoint },
                    o,
                ),
        );
        const scopedQuery = (): pulumi.Output<string> =>
            pulumi.output(a.gatewayLoadBalancerHostname).apply((hostname) => {
                if (hostname === undefined) return pulumi.output(nlbUnhealthyTargetsQuery());
                const lbName = nlbNameFromHostname(hostname);
                if (lbName === undefined) {
                    void pulumi.log.warn(
                        `${name}: the gateway's address ${hostname} is not a Network Load Balancer's DNS name; the unhealthy-targets alarm watches every NLB of the region`,
                        this,
                    );
                    return pulumi.output(nlbUnhealthyTargetsQuery());
                }
                return aws.lb.getLoadBalancerOutput({ name: lbName }, o).arnSuffix.apply(nlbUnhealthyTargetsQuery);
            });
        for (const s of buildAlarmSpecs(a)) {
            const dimensionValue =
                s.dimension === undefined
                    ? undefined
                    : s.dimension.of === "postgres"
                      ? pulumi.output(a.postgresInstanceId)
                      : pulumi
                            .output(a.redisReplicationGroupId)
                            .apply(
                                (id) =>
                                    `${id}-${String((s.dimension!.of as { redisMember: number }).redisMember).padStart(3, "0")}`,
                            );
            new aws.cloudwatch.MetricAlarm(
                `${name}-${s.role}`,
                {
                    name: `${a.namePrefix}-${s.role}`,
                    alarmDescription: s.description,
                    comparisonOperator: s.comparisonOperator,
                    threshold: s.threshold,
                    evaluationPeriods: s.evaluationPeriods,
                    treatMissingData: s.treatMissingData,
                    alarmActions: [topic.arn],
                    okActions: [topic.arn],
                    ...(s.query !== undefined
                        ? {
                              metricQueries: [
                                  {
                                      id: "q",
                                      expression:
                                          s.scopedToGatewayLoadBalancer && a.gatewayLoadBalancerHostname !== undefined
                                              ? scopedQuery()
                                              : s.query,
                                      period: s.periodSeconds,
                                      returnData: true,
                                  },
                              ],
                          }
                        : {
                              namespace: s.namespace,
                              metricName: s.metricName,
                              statistic: s.statistic,
                              period: s.periodSeconds,
                              dimensions: { [s.dimension!.name]: dimensionValue! },
                          }),
                },
                o,
            );
        }
        this.topicArn = topic.arn;
        if (a.alertmanager) {
            const am = a.alertmanager;
            const role = new aws.iam.Role(
                `${name}-alertmanager`,
                {
                    description: `GitLab's Alertmanager (IRSA, ${am.namespace}/${alertmanagerServiceAccount(am.releaseName)}): publishes to ${a.namePrefix}-alarms`,
                    assumeRolePolicy: irsaAssumeRolePolicy(am.oidc, am.namespace, [
                        alertmanagerServiceAccount(am.releaseName),
                    ]),
                },
                o,
            );
            const policy = new aws.iam.RolePolicy(
                `${name}-alertmanager`,
                {
                    role: role.id,
                    policy: pulumi
                        .all([topic.arn, key.arn])
                        .apply(([t, k]) => JSON.stringify(buildAlertmanagerPublishPolicy(t, k))),
                },
                o,
            );
            this.alertmanager = {
                topicArn: topic.arn,
                region: am.region,
                roleArn: roleArnAfterPolicy(role, policy),
            };
        }
        this.registerOutputs({ topicArn: this.topicArn });
    }
}
