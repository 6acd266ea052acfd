import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { KubernetesCluster } from "../../components";
import { record } from "../helpers/pulumi";

describe("KubernetesCluster (existing)", () => {
    it("declares one kubernetes provider under the component, with the kubeconfig path and context", async () => {
        const rec = await record(() => {
            new KubernetesCluster("dev", {
                type: "existing",
                kubeconfig: "/etc/kube/config",
                context: "gitlab-dev",
                kubernetesVersion: "1.34",
            });
        });
        const component = rec.one("gitlab-platform:cluster:KubernetesCluster", "dev");
        assert.deepEqual(rec.childrenOf(component), ["pulumi:providers:kubernetes/dev-provider"]);
        const provider = rec.one("pulumi:providers:kubernetes", "dev-provider");
        assert.equal(provider.inputs.kubeconfig, "/etc/kube/config");
        assert.equal(provider.inputs.context, "gitlab-dev");
    });

    it("passes inline kubeconfig content as a secret", async () => {
        const rec = await record(() => {
            new KubernetesCluster("dev", {
                type: "existing",
                kubeconfigContent: pulumi.secret("apiVersion: v1\nkind: Config\n"),
                kubernetesVersion: "1.35",
            });
        });
        assert.equal(rec.one("pulumi:providers:kubernetes").inputs.kubeconfig, "[secret]");
    });
});
