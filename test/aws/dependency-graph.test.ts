/**
 * Parallelism: the data services need the VPC, never the EKS control plane or its nodes, so RDS
 * (about 15 minutes Multi-AZ), ElastiCache and S3 are created while EKS comes up. Walks the recorded
 * dependency graph (explicit dependsOn, Outputs used as inputs, parent chains) of the production
 * composition of Pulumi.prod.yaml with preview semantics, where every Output input is still unknown and so every edge a
 * real engine would wait on is recorded.
 */
import { strict as assert } from "node:assert";
import type { PlannedResource } from "../../tools/plan/engine";
import type { Recorded } from "../helpers/pulumi";
import { dependencyClosure, planProduction } from "./support";

const DATA_SERVICE_TYPES = /^aws:(rds|elasticache|s3|kms)\//;

/** Whether `r` lies in the subtree of the resource with this URN. */
function under(rec: Recorded, r: PlannedResource, ancestor: string): boolean {
    for (let p = r.parent; p; p = rec.byUrn(p).parent) if (p === ancestor) return true;
    return false;
}

{
    describe("dependency graph of network + EKS + data services", () => {
        let rec: Recorded;
        let clusterUrn: string;
        let dataUrn: string;
        /** The EKS cluster, its node groups and everything else the KubernetesCluster component declares. */
        const isCluster = (urn: string) => {
            const r = rec.byUrn(urn);
            return r.urn === clusterUrn || under(rec, r, clusterUrn);
        };

        before(async () => {
            rec = await planProduction();
            clusterUrn = rec.one("gitlab-platform:cluster:KubernetesCluster").urn;
            dataUrn = rec.one("gitlab-platform:data:AwsDataServices").urn;
        });

        it("keeps every database, cache, bucket and key independent of the EKS cluster and its node groups", () => {
            const dataServices = rec.resources.filter(
                (r) => r.custom && DATA_SERVICE_TYPES.test(r.type) && under(rec, r, dataUrn),
            );
            assert.equal(
                dataServices.length,
                3 + 2 * 3 + 11 * 7 + 2,
                "RDS instance, subnet and parameter groups; persistent and cache Redis, each with subnet and parameter groups; 7 resources per bucket; key and alias",
            );
            for (const r of dataServices) {
                const reached = [...dependencyClosure(rec, r)].filter(isCluster).map((u) => rec.byUrn(u).name);
                assert.deepEqual(reached, [], `${r.type} ${r.name} waits for the cluster`);
            }
        });

        it("lets only the IRSA role wait for the cluster (its trust names the OIDC provider): the walk does see such edges", () => {
            const role = rec.one("aws:iam/role:Role", "prod-data-gitlab");
            const reached = new Set([...dependencyClosure(rec, role)].map((u) => rec.byUrn(u).type));
            assert.ok(
                reached.has("aws:eks/cluster:Cluster") &&
                    reached.has("aws:iam/openIdConnectProvider:OpenIdConnectProvider"),
            );
            assert.ok(!reached.has("aws:eks/nodeGroup:NodeGroup"), "not the nodes");
        });

        it("makes GitLab's nodes (not the runners') carry the data-clients group from the network, without waiting for any data service", () => {
            for (const ng of rec.ofType("aws:eks/nodeGroup:NodeGroup")) {
                const closure = dependencyClosure(rec, ng);
                assert.equal(
                    closure.has(rec.one("aws:ec2/securityGroup:SecurityGroup", "prod-data-clients").urn),
                    !["prod-runners-nodes", "prod-gitaly-nodes"].includes(ng.name),
                    ng.name,
                );
                assert.deepEqual(
                    [...closure].filter((u) => u === dataUrn || under(rec, rec.byUrn(u), dataUrn)),
                    [],
                    ng.name,
                );
            }
        });
    });
}
