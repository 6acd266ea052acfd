import { strict as assert } from "node:assert";
import { App, type AppArgs } from "../../components/apps/app";
import { k8sServiceNoLoadBalancer } from "../../policy/network";
import {
    imageProblem,
    k8sContainerResources,
    k8sImagePinned,
    k8sNoPrivilegedContainers,
    k8sRunAsNonRoot,
} from "../../policy/workloads";
import type { PlannedResource } from "../../tools/plan/engine";
import { record } from "../helpers/pulumi";
import { messages, resource } from "./support";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const IMAGE = "nginxinc/nginx-unprivileged:1.29.3";

const apps = new Map<string, Promise<{ deployment: PlannedResource; service: PlannedResource }>>();

/** The App component's Deployment and Service, as the offline plan shows them (recorded once per args). */
function app(args: Partial<AppArgs> = {}): Promise<{ deployment: PlannedResource; service: PlannedResource }> {
    const key = JSON.stringify(args);
    if (!apps.has(key)) apps.set(key, recordApp(args));
    return apps.get(key)!;
}

async function recordApp(args: Partial<AppArgs>): Promise<{ deployment: PlannedResource; service: PlannedResource }> {
    const rec = await record(
        () => {
            new App("web", { image: IMAGE, ...args });
        },
        { preview: true },
    );
    return { deployment: rec.one(DEPLOYMENT), service: rec.one("kubernetes:core/v1:Service") };
}

/** A hand-written Deployment with one container `c` and the given pod-level fields. */
function deployment(
    container: Record<string, unknown>,
    pod: Record<string, unknown> = {},
    kind = DEPLOYMENT,
): PlannedResource {
    const spec = { containers: [{ name: "c", image: "registry.example.com/c:1.0.0", ...container }], ...pod };
    const podSpecAt =
        kind === "kubernetes:batch/v1:CronJob"
            ? { jobTemplate: { spec: { template: { spec } } } }
            : { template: { spec } };
    return resource(kind, { metadata: { name: "c", namespace: "apps" }, spec: podSpecAt }, { name: "c" });
}

describe("policy k8s-image-pinned", () => {
    it("passes the App component's exactly tagged image, and digests", async () => {
        assert.deepEqual(await messages(k8sImagePinned, (await app()).deployment), []);
        assert.deepEqual(
            await messages(k8sImagePinned, deployment({ image: `registry.example.com/c@sha256:${"a".repeat(64)}` })),
            [],
        );
    });

    it("refuses latest, which the App component only accepts with allowLatest", async () => {
        assert.deepEqual(
            await messages(k8sImagePinned, (await app({ image: "nginx:latest", allowLatest: true })).deployment),
            [
                'spec.template.spec.containers[0] (web): image "nginx:latest" uses the moving tag latest (expected an exact tag or a digest)',
            ],
        );
    });

    it("refuses untagged images in containers and init containers of every workload kind", async () => {
        const cron = deployment(
            { image: "registry.example.com:5000/tools/backup" },
            { initContainers: [{ name: "init", image: "busybox" }] },
            "kubernetes:batch/v1:CronJob",
        );
        assert.deepEqual(await messages(k8sImagePinned, cron), [
            'spec.jobTemplate.spec.template.spec.initContainers[0] (init): image "busybox" has no tag, so it means latest (expected an exact tag or a digest)',
            'spec.jobTemplate.spec.template.spec.containers[0] (c): image "registry.example.com:5000/tools/backup" has no tag, so it means latest (expected an exact tag or a digest)',
        ]);
    });

    it("reads a registry port as a port, not as a tag", () => {
        assert.equal(imageProblem("registry.example.com:5000/app:1.2.3"), undefined);
        assert.equal(
            imageProblem("registry.example.com:5000/app"),
            'image "registry.example.com:5000/app" has no tag, so it means latest (expected an exact tag or a digest)',
        );
    });
});

describe("policy k8s-container-resources", () => {
    it("passes the App component's requests and limits", async () => {
        assert.deepEqual(await messages(k8sContainerResources, (await app()).deployment), []);
    });

    it("names every missing request and limit; the config can drop the CPU limit", async () => {
        const d = deployment({ resources: { requests: { memory: "64Mi" } } });
        assert.deepEqual(await messages(k8sContainerResources, d), [
            "spec.template.spec.containers[0] (c): resources.requests.cpu, resources.limits.cpu, resources.limits.memory not set (expected requests.cpu, requests.memory, limits.cpu, limits.memory)",
        ]);
        assert.deepEqual(await messages(k8sContainerResources, d, { limits: ["memory"] }), [
            "spec.template.spec.containers[0] (c): resources.requests.cpu, resources.limits.memory not set (expected requests.cpu, requests.memory, limits.memory)",
        ]);
    });
});

describe("policy k8s-run-as-non-root", () => {
    it("passes the App component's pod, non-root at pod and container level", async () => {
        assert.deepEqual(await messages(k8sRunAsNonRoot, (await app()).deployment), []);
    });

    it("takes the pod's securityContext when the container sets none", async () => {
        assert.deepEqual(
            await messages(
                k8sRunAsNonRoot,
                deployment({}, { securityContext: { runAsNonRoot: true, runAsUser: 1000 } }),
            ),
            [],
        );
    });

    it("refuses root: runAsUser 0, runAsNonRoot false, or nothing set", async () => {
        assert.deepEqual(
            await messages(
                k8sRunAsNonRoot,
                deployment({ securityContext: { runAsUser: 0 } }, { securityContext: { runAsNonRoot: true } }),
            ),
            ["spec.template.spec.containers[0] (c): runAsUser is 0 (expected a non-zero user)"],
        );
        assert.deepEqual(
            await messages(
                k8sRunAsNonRoot,
                deployment({ securityContext: { runAsNonRoot: false } }, { securityContext: { runAsNonRoot: true } }),
            ),
            ["spec.template.spec.containers[0] (c): runAsNonRoot is false (expected true)"],
        );
        assert.deepEqual(await messages(k8sRunAsNonRoot, deployment({})), [
            "spec.template.spec.containers[0] (c): runAsNonRoot not set (expected securityContext.runAsNonRoot: true on the pod or the container)",
        ]);
    });
});

describe("policy k8s-no-privileged-containers", () => {
    it("passes the App component's unprivileged container", async () => {
        assert.deepEqual(await messages(k8sNoPrivilegedContainers, (await app()).deployment), []);
    });

    it("refuses a privileged container unless the workload is allowed by namespace/name or resource name", async () => {
        const d = deployment({ securityContext: { privileged: true } });
        assert.deepEqual(await messages(k8sNoPrivilegedContainers, d), [
            "spec.template.spec.containers[0] (c): privileged (expected securityContext.privileged unset or false)",
        ]);
        assert.deepEqual(await messages(k8sNoPrivilegedContainers, d, { allowed: ["apps/c"] }), []);
        assert.deepEqual(await messages(k8sNoPrivilegedContainers, d, { allowed: ["c"] }), []);
    });
});

describe("policy k8s-service-no-loadbalancer", () => {
    it("passes the App component's default ClusterIP Service", async () => {
        assert.deepEqual(await messages(k8sServiceNoLoadBalancer, (await app()).service), []);
    });

    it("reports the App component's loadBalancer exposure, unless the Service is allowed", async () => {
        const { service } = await app({ exposure: { type: "loadBalancer" } });
        assert.deepEqual(await messages(k8sServiceNoLoadBalancer, service), [
            "spec.type: LoadBalancer exposes default/web through its own cloud load balancer (expected ClusterIP behind a Gateway or Ingress)",
        ]);
        assert.deepEqual(await messages(k8sServiceNoLoadBalancer, service, { allowed: ["default/web"] }), []);
    });
});
