import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { GITLAB_BUCKET_TYPES, type GitLabDataServices } from "../../components/data/connection";
import { gatewayAddress, gitlabGatewayName } from "../../components/gitlab/gateway-address";
import { GitLab, type GitLabArgs } from "../../components/gitlab/gitlab";
import { record } from "../helpers/pulumi";

const GATEWAY = "kubernetes:gateway.networking.k8s.io/v1:Gateway";
const NLB = "a1b2c3d4e5f60718293a4b5c6d7e8f90-0123456789abcdef.elb.eu-central-1.amazonaws.com";

function args(routing: GitLabArgs["routing"] = "gateway"): GitLabArgs {
    const data: GitLabDataServices = {
        postgres: { host: "db", port: 5432, database: "gitlab", username: "gitlab", password: pulumi.secret("p") },
        redis: { host: "redis", port: 6379, tls: true, password: pulumi.secret("r") },
        objectStorage: {
            provider: "aws",
            region: "eu-central-1",
            buckets: Object.fromEntries(
                GITLAB_BUCKET_TYPES.map((t) => [t, `acme-${t.toLowerCase()}`]),
            ) as GitLabDataServices["objectStorage"]["buckets"],
            auth: { type: "accessKey", accessKeyId: pulumi.secret("a"), secretAccessKey: pulumi.secret("s") },
        },
    };
    return { domain: "example.com", data, tls: { certManagerIssuerEmail: "admin@example.com" }, routing };
}

/**
 * Runs GitLab under mocks where the release reports its status (as Helm does once installed) and the
 * Gateway read answers `status`; returns the stack outputs and the ids the reads asked for.
 */
async function run(
    routing: GitLabArgs["routing"],
    gatewayStatus: unknown,
    preview = false,
): Promise<{ outputs: Record<string, unknown>; reads: string[] }> {
    const reads: string[] = [];
    const rec = await record(
        () => {
            const gitlab = new GitLab("gitlab", args(routing), {});
            return { gitlabLoadBalancerHostname: gitlab.loadBalancerHostname };
        },
        {
            preview,
            mocks: {
                newResource: (a) => {
                    if (a.type === GATEWAY) {
                        reads.push(a.id ?? "");
                        return { id: a.id ?? "", state: { ...a.inputs, status: gatewayStatus } };
                    }
                    const state =
                        a.type === "kubernetes:helm.sh/v3:Release" && !preview
                            ? { ...a.inputs, status: { name: "gitlab", namespace: "gitlab", status: "deployed" } }
                            : a.inputs;
                    return { id: preview ? (undefined as unknown as string) : `${a.name}-id`, state };
                },
                call: (a) => a.inputs,
            },
        },
    );
    return { outputs: rec.run.outputs, reads };
}

describe("GitLab's load balancer address (pure)", () => {
    it("names the chart's Gateway after the release", () => {
        assert.equal(gitlabGatewayName("gitlab"), "gitlab-gw");
        assert.equal(gitlabGatewayName("code"), "code-gw");
    });

    it("takes the first Hostname address, else the first IP, else nothing", () => {
        assert.equal(
            gatewayAddress({
                addresses: [
                    { type: "IPAddress", value: "203.0.113.7" },
                    { type: "Hostname", value: NLB },
                ],
            }),
            NLB,
        );
        assert.equal(gatewayAddress({ addresses: [{ type: "IPAddress", value: "203.0.113.7" }] }), "203.0.113.7");
        assert.equal(gatewayAddress({ addresses: [{ value: "203.0.113.8" }] }), "203.0.113.8");
        assert.equal(gatewayAddress({ addresses: [{ type: "Hostname", value: "" }] }), undefined);
        assert.equal(gatewayAddress({ addresses: [] }), undefined);
        assert.equal(gatewayAddress({ conditions: [] }), undefined);
        assert.equal(gatewayAddress(undefined), undefined);
    });
});

describe("GitLab's load balancer address (under mocks)", () => {
    it("reads the chart's Gateway in the release's namespace after the release, and exports its NLB hostname", async () => {
        const { outputs, reads } = await run("gateway", { addresses: [{ type: "Hostname", value: NLB }] });
        assert.deepEqual(reads, ["gitlab/gitlab-gw"]);
        assert.equal(outputs.gitlabLoadBalancerHostname, NLB);
    });

    it("exports nothing while the load balancer has no address yet (the next up fills it in)", async () => {
        const { outputs, reads } = await run("gateway", { conditions: [] });
        assert.deepEqual(reads, ["gitlab/gitlab-gw"]);
        assert.equal(outputs.gitlabLoadBalancerHostname, undefined);
    });

    it("in the preview of a first up the read's id is unknown (the engine skips it) and so is the hostname", async () => {
        const { outputs, reads } = await run("gateway", undefined, true);
        // The mock engine still answers the read; a real engine skips it (ReadStep with an unknown id).
        assert.equal(reads.length, 1);
        assert.ok(!reads[0].startsWith("gitlab/"), `expected an unknown id, got ${reads[0]}`);
        assert.equal(outputs.gitlabLoadBalancerHostname, "[unknown]");
    });

    it("NGINX routing reads no Gateway", async () => {
        const { outputs, reads } = await run("nginx", undefined);
        assert.deepEqual(reads, []);
        assert.equal(outputs.gitlabLoadBalancerHostname, undefined);
    });
});
