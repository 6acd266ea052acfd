import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import {
    AwsAlarms,
    buildAlarmTopicKeyPolicy,
    buildAlarmSpecs,
    buildAlertmanagerPublishPolicy,
    nlbNameFromHostname,
    nlbUnhealthyTargetsQuery,
} from "../../components/monitoring/aws-alarms";
import { validateAlarmSubscribers as validateAlarmSubscribersProblems } from "../../components/monitoring/spec";
import * as aws from "@pulumi/aws";
import { InvalidArgsError } from "../../components/errors";
import { plan, record, type Recorded } from "../helpers/pulumi";
import { ISSUER, OIDC_PROVIDER_ARN, REGION, awsMocks, awsPreviewMocks, dependencyClosure } from "./support";
import { refusedBeforeRegistering } from "../helpers/problems";
import { problemLine } from "../../components/errors";

/** Problems as `<path>: <message>` lines, as the assertions below state them. */
const validateAlarmSubscribers = (...a: Parameters<typeof validateAlarmSubscribersProblems>): string[] =>
    validateAlarmSubscribersProblems(...a).map(problemLine);

const ARGS = {
    namePrefix: "gitlab-platform-prod",
    postgresInstanceId: "db-1",
    postgresAllocatedStorageGiB: 100,
    redisReplicationGroupId: "rg-1",
    redisNodeCount: 2,
};
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const TOPIC = "arn:aws:sns:eu-central-1:123456789012:prod-alarms-topic";

describe("alarms (pure)", () => {
    it("watches RDS CPU, free storage, connections and replica lag, each Redis node's memory, evictions and replication lag, and the NLBs", () => {
        assert.deepEqual(
            buildAlarmSpecs(ARGS).map((s) => s.role),
            [
                "postgres-cpu",
                "postgres-free-storage",
                "postgres-connections",
                "postgres-replica-lag",
                "redis-1-memory",
                "redis-1-evictions",
                "redis-1-replication-lag",
                "redis-2-memory",
                "redis-2-evictions",
                "redis-2-replication-lag",
                "nlb-unhealthy-targets",
            ],
        );
    });

    it("sets free storage at a tenth of the allocation, and evictions at the first one", () => {
        const by = Object.fromEntries(buildAlarmSpecs(ARGS).map((s) => [s.role, s]));
        assert.equal(by["postgres-free-storage"].threshold, 10 * 1024 ** 3);
        assert.equal(by["postgres-free-storage"].comparisonOperator, "LessThanThreshold");
        assert.deepEqual([by["redis-1-evictions"].threshold, by["redis-1-evictions"].statistic], [0, "Sum"]);
        // Metrics only some nodes publish are not breaches when missing; a silent database is.
        assert.equal(by["postgres-replica-lag"].treatMissingData, "notBreaching");
        assert.equal(by["redis-2-replication-lag"].treatMissingData, "notBreaching");
        assert.equal(by["postgres-cpu"].treatMissingData, "breaching");
    });

    it("refuses bad subscribers by index", () => {
        assert.deepEqual(
            validateAlarmSubscribers({
                emails: ["oncall@example.com", "oncall"],
                httpsEndpoints: ["http://hook.example.com/x"],
            }),
            [
                "emails[1]: not an e-mail address (expected e.g. oncall@example.com)",
                "httpsEndpoints[0]: not an https URL (expected e.g. https://events.example.com/hook)",
            ],
        );
        assert.deepEqual(validateAlarmSubscribers({}), []);
    });
});

describe("AwsAlarms", () => {
    let rec: Recorded;
    before(async () => {
        rec = await record(
            () => {
                new AwsAlarms("prod-alarms", {
                    ...ARGS,
                    emails: ["oncall@example.com"],
                    httpsEndpoints: ["https://events.example.com/hook"],
                });
            },
            { mocks: awsMocks },
        );
    });

    it("declares exactly the topic, one subscription per subscriber and eleven alarms", () => {
        const children = rec.childrenOf(rec.one("gitlab-platform:monitoring:AwsAlarms"));
        assert.deepEqual(
            children.filter((c) => !c.startsWith(ALARM)),
            [
                "aws:kms/key:Key/prod-alarms-key",
                "aws:kms/keyPolicy:KeyPolicy/prod-alarms-key",
                "aws:sns/topic:Topic/prod-alarms-topic",
                "aws:sns/topicSubscription:TopicSubscription/prod-alarms-email-0",
                "aws:sns/topicSubscription:TopicSubscription/prod-alarms-https-0",
            ],
        );
        assert.equal(children.filter((c) => c.startsWith(ALARM)).length, 11);
        const key = rec.one("aws:kms/key:Key");
        assert.equal(key.inputs.enableKeyRotation, true);
        assert.equal(key.protect, true, "deleting the key would silence the topic");
        assert.deepEqual(rec.one("aws:sns/topic:Topic").inputs, {
            name: "gitlab-platform-prod-alarms",
            kmsMasterKeyId: "arn:aws:kms:eu-central-1:123456789012:key/prod-alarms-key",
        });
        // A customer-managed key CloudWatch may use: alarms cannot publish to a topic under alias/aws/sns.
        const policy = JSON.parse(rec.one("aws:kms/keyPolicy:KeyPolicy").inputs.policy as string) as {
            Statement: Record<string, unknown>[];
        };
        assert.deepEqual(policy, buildAlarmTopicKeyPolicy("aws", "123456789012"));
        assert.deepEqual(policy.Statement[1], {
            Sid: "CloudWatchAlarmsPublish",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
            Resource: "*",
        });
        assert.deepEqual(rec.one("aws:sns/topicSubscription:TopicSubscription", "prod-alarms-email-0").inputs, {
            topic: TOPIC,
            protocol: "email",
            endpoint: "oncall@example.com",
        });
    });

    it("points every alarm at the topic, on the right dimension", () => {
        for (const a of rec.ofType(ALARM)) {
            assert.deepEqual(a.inputs.alarmActions, [TOPIC], a.name);
            assert.deepEqual(a.inputs.okActions, [TOPIC], a.name);
        }
        assert.deepEqual(rec.one(ALARM, "prod-alarms-postgres-cpu").inputs, {
            name: "gitlab-platform-prod-postgres-cpu",
            alarmDescription: "PostgreSQL CPU above 80% for 15 minutes",
            comparisonOperator: "GreaterThanThreshold",
            threshold: 80,
            evaluationPeriods: 3,
            treatMissingData: "breaching",
            alarmActions: [TOPIC],
            okActions: [TOPIC],
            namespace: "AWS/RDS",
            metricName: "CPUUtilization",
            statistic: "Average",
            period: 300,
            dimensions: { DBInstanceIdentifier: "db-1" },
        });
        assert.deepEqual(rec.one(ALARM, "prod-alarms-redis-2-memory").inputs.dimensions, {
            CacheClusterId: "rg-1-002",
        });
        const nlb = rec.one(ALARM, "prod-alarms-nlb-unhealthy-targets").inputs;
        assert.deepEqual(nlb.metricQueries, [
            {
                id: "q",
                expression: 'SELECT MAX(UnHealthyHostCount) FROM SCHEMA("AWS/NetworkELB", LoadBalancer, TargetGroup)',
                period: 60,
                returnData: true,
            },
        ]);
        assert.equal(nlb.metricName, undefined);
    });

    it("refuses a bad subscriber before declaring anything", async () => {
        await assert.rejects(
            record(() => new AwsAlarms("a", { ...ARGS, emails: ["nobody"] }), { mocks: awsMocks }),
            (err: unknown) =>
                err instanceof InvalidArgsError && err.message.includes("emails[0]: not an e-mail address"),
        );
    });

    it("refuses a bad subscriber with nothing registered, not even itself", async () => {
        const { problems, registered } = await refusedBeforeRegistering(
            () => new AwsAlarms("a", { ...ARGS, emails: ["nobody"] }),
        );
        assert.deepEqual(problems, ["emails[0]: not an e-mail address (expected e.g. oncall@example.com)"]);
        assert.deepEqual(registered, []);
    });

    it("refuses a misspelled key and names every missing one, in one error, before registering", async () => {
        const { problems, registered } = await refusedBeforeRegistering(
            () => new AwsAlarms("a", { namePrefix: "p", redisNodeCount: 2, email: ["oncall@example.com"] } as never),
        );
        assert.deepEqual(problems, [
            "postgresInstanceId: missing required key (expected string)",
            "postgresAllocatedStorageGiB: missing required key (expected number)",
            "redisReplicationGroupId: missing required key (expected string)",
            'email: unknown key (did you mean "emails"?)',
        ]);
        assert.deepEqual(registered, []);
        assert.deepEqual((await refusedBeforeRegistering(() => new AwsAlarms("a", undefined as never))).problems, [
            "no arguments (expected the AwsAlarmsArgs object)",
        ]);
    });

    it("refuses an Alertmanager role for a namespace, release or region that cannot be", async () => {
        const { problems, registered } = await refusedBeforeRegistering(
            () =>
                new AwsAlarms("a", {
                    ...ARGS,
                    alertmanager: {
                        oidc: { providerArn: OIDC_PROVIDER_ARN, issuer: ISSUER },
                        namespace: "GitLab",
                        releaseName: "gitlab",
                        region: "europe",
                    },
                }),
        );
        assert.deepEqual(problems, [
            "alertmanager.namespace: not a namespace name (expected GitLab's namespace, a lower-case DNS label)",
            'alertmanager.region: "europe" is not an AWS region (expected a name such as eu-central-1)',
        ]);
        assert.deepEqual(registered, []);
    });
});

describe("AwsAlarms: GitLab's Alertmanager", () => {
    const ROLE = "aws:iam/role:Role";
    const POLICY = "aws:iam/rolePolicy:RolePolicy";
    let rec: Recorded;
    let target: AwsAlarms["alertmanager"];
    before(async () => {
        rec = await record(
            () => {
                target = new AwsAlarms("prod-alarms", {
                    ...ARGS,
                    alertmanager: {
                        oidc: { providerArn: OIDC_PROVIDER_ARN, issuer: ISSUER },
                        namespace: "gitlab",
                        releaseName: "gitlab",
                        region: REGION,
                    },
                }).alertmanager;
            },
            { mocks: awsMocks },
        );
    });

    it("declares one role that only the Alertmanager service account in GitLab's namespace may assume", () => {
        const trust = JSON.parse(rec.one(ROLE, "prod-alarms-alertmanager").inputs.assumeRolePolicy as string) as {
            Statement: { Principal: unknown; Condition: { StringEquals: Record<string, unknown> } }[];
        };
        assert.deepEqual(trust.Statement[0].Principal, { Federated: OIDC_PROVIDER_ARN });
        assert.deepEqual(trust.Statement[0].Condition.StringEquals, {
            [`${ISSUER}:aud`]: "sts.amazonaws.com",
            [`${ISSUER}:sub`]: ["system:serviceaccount:gitlab:gitlab-alertmanager"],
        });
    });

    it("allows publishing to this topic and data keys of its key, nothing else", () => {
        const policy = JSON.parse(rec.one(POLICY, "prod-alarms-alertmanager").inputs.policy as string) as unknown;
        const key = "arn:aws:kms:eu-central-1:123456789012:key/prod-alarms-key";
        assert.deepEqual(policy, buildAlertmanagerPublishPolicy(TOPIC, key));
        assert.deepEqual(policy, {
            Version: "2012-10-17",
            Statement: [
                { Sid: "PublishAlerts", Effect: "Allow", Action: "sns:Publish", Resource: TOPIC },
                {
                    Sid: "EncryptForTheTopic",
                    Effect: "Allow",
                    Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
                    Resource: key,
                },
            ],
        });
        // The key policy is unchanged: its account statement already delegates to IAM.
        const keyPolicy = JSON.parse(rec.one("aws:kms/keyPolicy:KeyPolicy").inputs.policy as string) as unknown;
        assert.deepEqual(keyPolicy, buildAlarmTopicKeyPolicy("aws", "123456789012"));
    });

    it("hands GitLab the topic, its region and the role", async () => {
        assert.ok(target);
        const resolved = await new Promise<unknown[]>((resolve) =>
            pulumi.all([target!.topicArn, target!.roleArn]).apply((v) => resolve(v)),
        );
        assert.deepEqual(resolved, [TOPIC, "arn:aws:iam:eu-central-1:123456789012:prod-alarms-alertmanager"]);
        assert.equal(target!.region, REGION);
    });

    it("declares no role without alertmanager", async () => {
        const plain = await record(
            () => {
                new AwsAlarms("p", ARGS);
            },
            { mocks: awsMocks },
        );
        assert.deepEqual(plain.ofType(ROLE), []);
        assert.deepEqual(plain.ofType(POLICY), []);
    });
});

describe("the NLB unhealthy-targets alarm's scope", () => {
    const ALL = 'SELECT MAX(UnHealthyHostCount) FROM SCHEMA("AWS/NetworkELB", LoadBalancer, TargetGroup)';
    const LB = "a1b2c3d4e5f60718293a4b5c6d7e8f9";
    const HOST = `${LB}-0123456789abcdef.elb.eu-central-1.amazonaws.com`;
    const SUFFIX = `net/${LB}/50dc6c495c0c9188`;

    it("reads the NLB's name from its DNS name, and nothing from other addresses", () => {
        assert.equal(nlbNameFromHostname(HOST), LB);
        assert.equal(nlbNameFromHostname(`${LB}-0123456789abcdef.elb.cn-north-1.amazonaws.com.cn`), LB);
        assert.equal(nlbNameFromHostname("my-nlb-0123456789abcdef.elb.us-east-1.amazonaws.com"), "my-nlb");
        // A Classic ELB, an IP, a host name of another kind.
        assert.equal(nlbNameFromHostname(`${LB}-1234567890.eu-central-1.elb.amazonaws.com`), undefined);
        assert.equal(nlbNameFromHostname("203.0.113.7"), undefined);
        assert.equal(nlbNameFromHostname("gitlab.example.com"), undefined);
    });

    it("is region-wide without the NLB, and that NLB's target groups only with it", () => {
        assert.equal(nlbUnhealthyTargetsQuery(), ALL);
        assert.equal(nlbUnhealthyTargetsQuery(SUFFIX), `${ALL} WHERE LoadBalancer = '${SUFFIX}'`);
        assert.throws(() => nlbUnhealthyTargetsQuery("app/x/1"), /not a Network Load Balancer ARN suffix/);
        assert.throws(() => nlbUnhealthyTargetsQuery("net/x'/1"), /not a Network Load Balancer ARN suffix/);
    });

    async function alarmQuery(
        hostname: () => pulumi.Input<string | undefined>,
        preview = false,
    ): Promise<{ expression: unknown; invokes: Record<string, unknown>[] }> {
        const invokes: Record<string, unknown>[] = [];
        const base = preview ? awsPreviewMocks : awsMocks;
        const rec = await record(
            () => new AwsAlarms("prod-alarms", { ...ARGS, gatewayLoadBalancerHostname: hostname() }),
            {
                preview,
                mocks: {
                    newResource: base.newResource,
                    call: (a) => {
                        if (a.token !== "aws:lb/getLoadBalancer:getLoadBalancer") return base.call(a);
                        invokes.push(a.inputs as Record<string, unknown>);
                        return { ...a.inputs, arnSuffix: SUFFIX };
                    },
                },
            },
        );
        const queries = rec.one(ALARM, "prod-alarms-nlb-unhealthy-targets").inputs.metricQueries as {
            expression: unknown;
        }[];
        return { expression: queries[0].expression, invokes };
    }

    it("watches only the gateway's NLB once its DNS name is known, looked up by name", async () => {
        const { expression, invokes } = await alarmQuery(() => HOST);
        assert.deepEqual(invokes, [{ name: LB }]);
        assert.equal(expression, `${ALL} WHERE LoadBalancer = '${SUFFIX}'`);
    });

    it("stays region-wide while the gateway has no address, or an address that is no NLB's", async () => {
        for (const hostname of [undefined, "203.0.113.7"]) {
            const { expression, invokes } = await alarmQuery(() => hostname);
            assert.deepEqual(invokes, []);
            assert.equal(expression, ALL);
        }
    });

    it("in the preview of a first up (hostname unknown) looks nothing up", async () => {
        // A computed output of a resource being created: unknown in a preview, as the Gateway's status is.
        const { expression, invokes } = await alarmQuery(() => new aws.sns.Topic("stand-in", {}).arn, true);
        assert.deepEqual(invokes, []);
        assert.equal(expression, "[unknown]");
    });
});

describe("the prod stack's signals, in order", () => {
    it("declares the Alertmanager role before GitLab's release, and the NLB alarm after the Gateway it reads", async () => {
        const rec = (await plan("prod")).recorded;
        const release = rec.one("kubernetes:helm.sh/v3:Release", "gitlab-release");
        const role = rec.one("aws:iam/role:Role", "prod-alarms-alertmanager");
        const alarm = rec.one(ALARM, "prod-alarms-nlb-unhealthy-targets");
        const gatewayRead = (rec.run.reads ?? []).find((r) => r.name === "gitlab-gateway");
        assert.ok(gatewayRead, "GitLab reads its Gateway's address");
        assert.ok(dependencyClosure(rec, release).has(role.urn), "the release waits for the Alertmanager role");
        assert.ok(alarm.dependsOn.includes(gatewayRead.urn), "the NLB alarm waits for the Gateway's address");
        assert.ok(!dependencyClosure(rec, release).has(alarm.urn), "no cycle: the release never waits for the alarm");
    });
});
