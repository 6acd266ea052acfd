/**
 * Pulumi.prod.yaml, the production example: its values pass the schemas, and the composition index.ts
 * builds from them (network, EKS, data services) plans with preview semantics while refusing every
 * provider invoke, i.e. without AWS credentials.
 */
import { strict as assert } from "node:assert";
import { defaultNamePrefix } from "../../components/data/aws-naming";
import { nodeCapacity, resolveEksCluster } from "../../components/cluster/eks-config";
import { awsDataCrossRules } from "../../config/aws";
import { eksClusterRules } from "../../config/cluster";
import { EKS_DEFAULT_NODE_GROUPS, GITLAB_SIZE_PRESETS } from "../../components/defaults";
import { gitlabSchema } from "../../config/gitlab";
import type { Recorded } from "../helpers/pulumi";
import { PROD_CONFIG, planProduction, prodValues } from "./support";

const value = (key: string) => PROD_CONFIG[key];

describe("Pulumi.prod.yaml", () => {
    const { cluster, data } = prodValues();
    const prefix = defaultNamePrefix("gitlab-platform", "prod");

    it("sets an eks cluster, aws data services and GitLab that pass their schemas and cross-key rules", () => {
        assert.equal(cluster.type, "eks");
        assert.equal(gitlabSchema.safeParse(value("gitlab-platform:gitlab")).success, true);
        assert.deepEqual(eksClusterRules({ ...cluster, clusterName: prefix, requireGitLabCapacity: true }), []);
        assert.deepEqual(awsDataCrossRules(cluster, value("aws:region") as string, prefix), []);
        assert.equal(data.type, "aws");
        assert.deepEqual(
            Object.keys(PROD_CONFIG)
                .filter((k) => k.startsWith("gitlab-platform:"))
                .sort(),
            [
                "gitlab-platform:alarms",
                "gitlab-platform:appGateway",
                "gitlab-platform:cluster",
                "gitlab-platform:data",
                "gitlab-platform:dns",
                "gitlab-platform:gitlab",
            ],
        );
    });

    it("takes PostgreSQL and Redis classes and node groups from the S preset it names (each number cited in defaults.ts)", () => {
        const gitlab = PROD_CONFIG["gitlab-platform:gitlab"] as { size: string };
        assert.equal(gitlab.size, "s");
        const ra = GITLAB_SIZE_PRESETS.s.external!;
        assert.deepEqual(
            [data.postgres?.instanceClass, data.redis?.nodeType, data.redis?.split],
            [ra.postgresInstanceClass, ra.redisNodeType, true],
        );
        for (const [workload, group] of Object.entries(EKS_DEFAULT_NODE_GROUPS)) {
            const own = cluster.nodeGroups?.[workload as keyof typeof EKS_DEFAULT_NODE_GROUPS];
            assert.deepEqual([own?.minSize, own?.maxSize], [group.minSize, group.maxSize], workload);
        }
    });

    it("states the capacity GitLab's S preset runs on: 100 vCPU and 304 GiB at minimum size (the RA's S: about 96 vCPU)", () => {
        const c = nodeCapacity(resolveEksCluster("prod", cluster).nodeGroups);
        assert.deepEqual(c.min, { vcpu: 100, memoryGiB: 304 });
        assert.deepEqual(
            c.byNodeGroup.gitaly,
            { min: { vcpu: 24, memoryGiB: 96 }, max: { vcpu: 24, memoryGiB: 96 } },
            "3 Gitaly nodes, fixed",
        );
        assert.deepEqual(c.byNodeGroup.runners.max, { vcpu: 80, memoryGiB: 320 });
    });

    describe("planned as index.ts composes it, without credentials", () => {
        let rec: Recorded;
        before(async () => {
            rec = await planProduction();
        });

        it("declares the whole topology", () => {
            const count = (type: string) => rec.ofType(type).length;
            assert.deepEqual(
                {
                    vpc: count("aws:ec2/vpc:Vpc"),
                    subnets: count("aws:ec2/subnet:Subnet"),
                    nat: count("aws:ec2/natGateway:NatGateway"),
                    eks: count("aws:eks/cluster:Cluster"),
                    nodeGroups: count("aws:eks/nodeGroup:NodeGroup"),
                    addons: count("aws:eks/addon:Addon"),
                    postgres: count("aws:rds/instance:Instance"),
                    redis: count("aws:elasticache/replicationGroup:ReplicationGroup"),
                    buckets: count("aws:s3/bucket:Bucket"),
                    kmsKeys: count("aws:kms/key:Key"),
                },
                {
                    vpc: 1,
                    subnets: 6,
                    nat: 3,
                    eks: 1,
                    nodeGroups: 5,
                    addons: 5,
                    postgres: 1,
                    redis: 2,
                    buckets: 11,
                    kmsKeys: 2,
                },
            );
        });

        it("serves its users: autoscaler with its role, metrics-server, Redis that never evicts, a Gitaly node group, runner nodes without the data-clients group", () => {
            const autoscaler = rec.one("kubernetes:helm.sh/v3:Release", "prod-autoscaler-release");
            assert.equal(autoscaler.inputs.chart, "cluster-autoscaler");
            assert.ok(rec.one("aws:iam/rolePolicy:RolePolicy", "prod-autoscaler-policy"));
            assert.equal(
                rec.one("aws:eks/addon:Addon", "prod-addons-metrics-server").inputs.addonName,
                "metrics-server",
            );
            const params = rec.one("aws:elasticache/parameterGroup:ParameterGroup", "prod-data-redis-params");
            assert.deepEqual(params.inputs.parameters, [{ name: "maxmemory-policy", value: "noeviction" }]);
            assert.deepEqual(
                rec.one("aws:elasticache/parameterGroup:ParameterGroup", "prod-data-redis-cache-params").inputs
                    .parameters,
                [{ name: "maxmemory-policy", value: "allkeys-lru" }],
            );
            const rg = rec.one("aws:elasticache/replicationGroup:ReplicationGroup", "prod-data-redis-redis");
            assert.ok(rg.dependsOn.includes(params.urn), "the persistent Redis uses its own group, not default.redis7");
            const gitaly = rec.one("aws:eks/nodeGroup:NodeGroup", "prod-gitaly-nodes").inputs;
            assert.deepEqual(
                [gitaly.scalingConfig, gitaly.taints],
                [
                    { minSize: 3, maxSize: 3, desiredSize: 3 },
                    [{ key: "workload", value: "gitaly", effect: "NO_SCHEDULE" }],
                ],
            );
            const dataClients = rec.one("aws:ec2/securityGroup:SecurityGroup", "prod-data-clients").urn;
            const runnersLt = rec.one("aws:ec2/launchTemplate:LaunchTemplate", "prod-runners-lt");
            assert.ok(!runnersLt.dependsOn.includes(dataClients), "runner nodes never carry the data-clients group");
            assert.ok(
                rec.one("aws:ec2/launchTemplate:LaunchTemplate", "prod-webservice-lt").dependsOn.includes(dataClients),
            );
        });

        it("answers at its names: a protected Route 53 zone for the domain and external-dns publishing the gateway's hosts", () => {
            const zone = rec.one("aws:route53/zone:Zone");
            assert.deepEqual([zone.inputs.name, zone.protect], ["gitlab-platform.example", true]);
            const values = rec.one("kubernetes:helm.sh/v3:Release", "prod-dns-external-dns").inputs.values as Record<
                string,
                unknown
            >;
            assert.deepEqual(
                [values.sources, values.domainFilters, values.policy],
                [["gateway-httproute", "gateway-tcproute"], ["gitlab-platform.example"], "upsert-only"],
            );
        });

        it("carries the file's choices through: CIDR, public endpoint CIDRs, Spot runners, protection", () => {
            assert.equal(rec.one("aws:ec2/vpc:Vpc").inputs.cidrBlock, "10.40.0.0/16");
            assert.deepEqual(
                (rec.one("aws:eks/cluster:Cluster").inputs.vpcConfig as Record<string, unknown>).publicAccessCidrs,
                ["203.0.113.0/24"],
            );
            const runners = rec.one("aws:eks/nodeGroup:NodeGroup", "prod-runners-nodes").inputs;
            assert.deepEqual([runners.capacityType, runners.instanceTypes], ["SPOT", ["c7i.2xlarge", "m7i.2xlarge"]]);
            for (const t of [
                "aws:rds/instance:Instance",
                "aws:elasticache/replicationGroup:ReplicationGroup",
                "aws:s3/bucket:Bucket",
            ]) {
                for (const r of rec.ofType(t)) assert.equal(r.protect, true, r.name);
            }
            // A bucket's privacy, encryption, versioning and policy settings are protected with it.
            const settings = rec.resources.filter(
                (r) => r.type.startsWith("aws:s3/bucket") && r.type !== "aws:s3/bucket:Bucket",
            );
            assert.equal(settings.length, 66);
            for (const r of settings) assert.equal(r.protect, true, r.name);
            assert.equal(
                rec.one("aws:s3/bucket:Bucket", "prod-data-buckets-lfs").inputs.bucket,
                "gitlab-platform-prod-lfs",
            );
        });
    });
});
