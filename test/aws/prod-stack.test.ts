/**
 * Pulumi.prod.yaml, the production example: its values pass the schemas, and the composition index.ts
 * builds from them (network, EKS, data services) plans with preview semantics while refusing every
 * provider invoke, i.e. without AWS credentials.
 */
import { strict as assert } from "node:assert";
import { defaultNamePrefix, nodeCapacity, resolveEksCluster } from "../../components";
import { awsDataCrossChecks } from "../../config/aws";
import { eksGitLabCapacityProblems } from "../../config/cluster";
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
        assert.deepEqual(eksGitLabCapacityProblems(cluster), []);
        assert.deepEqual(awsDataCrossChecks(cluster, value("aws:region") as string, prefix), []);
        assert.equal(data.type, "aws");
        assert.deepEqual(Object.keys(PROD_CONFIG).filter((k) => k.startsWith("gitlab-platform:")).sort(), ["gitlab-platform:cluster", "gitlab-platform:data", "gitlab-platform:gitlab"]);
    });

    it("states the capacity GitLab's S preset runs on: 56 vCPU and 160 GiB at minimum size", () => {
        const c = nodeCapacity(resolveEksCluster("prod", { ...cluster, network: { vpcId: "", privateSubnetIds: [], dataClientsSecurityGroupId: "" } }).nodeGroups);
        assert.deepEqual(c.min, { vcpu: 56, memoryGiB: 160 });
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
                { vpc: 1, subnets: 6, nat: 3, eks: 1, nodeGroups: 4, addons: 4, postgres: 1, redis: 1, buckets: 11, kmsKeys: 2 },
            );
        });

        it("carries the file's choices through: CIDR, public endpoint CIDRs, Spot runners, protection", () => {
            assert.equal(rec.one("aws:ec2/vpc:Vpc").inputs.cidrBlock, "10.40.0.0/16");
            assert.deepEqual((rec.one("aws:eks/cluster:Cluster").inputs.vpcConfig as Record<string, unknown>).publicAccessCidrs, ["203.0.113.0/24"]);
            const runners = rec.one("aws:eks/nodeGroup:NodeGroup", "prod-runners-nodes").inputs;
            assert.deepEqual([runners.capacityType, runners.instanceTypes], ["SPOT", ["c7i.2xlarge", "m7i.2xlarge"]]);
            for (const t of ["aws:rds/instance:Instance", "aws:elasticache/replicationGroup:ReplicationGroup", "aws:s3/bucket:Bucket"]) {
                for (const r of rec.ofType(t)) assert.equal(r.protect, true, r.name);
            }
            // A bucket's privacy, encryption, versioning and policy settings are protected with it.
            const settings = rec.resources.filter((r) => r.type.startsWith("aws:s3/bucket") && r.type !== "aws:s3/bucket:Bucket");
            assert.equal(settings.length, 66);
            for (const r of settings) assert.equal(r.protect, true, r.name);
            assert.equal(rec.one("aws:s3/bucket:Bucket", "prod-data-buckets-lfs").inputs.bucket, "gitlab-platform-prod-lfs");
        });
    });
});
