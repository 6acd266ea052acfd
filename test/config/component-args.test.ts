/** Components given bad args throw their InvalidArgsError before registering anything, with named fields. */
import { strict as assert } from "node:assert";
import { GitLabAgent } from "../../components/agent/gitlab-agent";
import { KubernetesCluster } from "../../components/cluster/kubernetes-cluster";
import { App } from "../../components/apps/app";
import { OciSync } from "../../components/flux/oci-sync";
import { argProblems } from "../helpers/problems";

const agent = { project: "g/p", kasAddress: "wss://kas.gitlab.com" };

describe("component args: refused before registering", () => {
    it("a cluster type gke is not treated as an existing cluster", () => {
        assert.deepEqual(
            argProblems(() => new KubernetesCluster("c", { type: "gke", kubernetesVersion: "1.34" } as never)),
            ['type: "gke" is not a cluster type (expected "existing" or "eks")'],
        );
    });

    it("a misspelled agent argument is named, with the key it meant", () => {
        assert.deepEqual(
            argProblems(() => new GitLabAgent("a", { ...agent, replica: 3 } as never)),
            ['replica: unknown key (did you mean "replicas"?)'],
        );
    });

    it("a KAS address over http", () => {
        assert.deepEqual(
            argProblems(() => new GitLabAgent("a", { ...agent, kasAddress: "http://gitlab.example.com" })),
            ["kasAddress: not a KAS address (expected wss://kas.<domain> or wss://<gitlab-host>/-/kubernetes-agent/)"],
        );
    });

    it("a missing args object is a named error, not a TypeError", () => {
        assert.deepEqual(
            argProblems(() => new GitLabAgent("a", undefined as never)),
            ["no arguments (expected the GitLabAgentArgs object)"],
        );
        assert.deepEqual(
            argProblems(() => new OciSync("s", undefined as never)),
            ["no arguments (expected the OciSyncArgs object)"],
        );
        assert.deepEqual(
            argProblems(() => new App("web", undefined as never)),
            ["no arguments (expected the AppArgs object)"],
        );
        assert.deepEqual(
            argProblems(() => new KubernetesCluster("c", undefined as never)),
            ["no arguments (expected the KubernetesClusterArgs object)"],
        );
    });
});
