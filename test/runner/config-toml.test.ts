import { strict as assert } from "node:assert";
import { parse } from "smol-toml";
import { buildRunnerConfigToml, type RunnerTomlInput } from "../../components/runner/config-toml";
import { RUNNER_DEFAULT_RESOURCES, RUNNER_NODE_POOL } from "../../components/defaults";

const base: RunnerTomlInput = {
    jobNamespace: "gitlab-runner-shared",
    jobImage: "alpine:3.22",
    privileged: false,
    resources: RUNNER_DEFAULT_RESOURCES,
    nodePool: RUNNER_NODE_POOL,
    featureFlags: {},
};

type Runner = Record<string, unknown> & {
    kubernetes: Record<string, unknown>;
    cache?: Record<string, unknown>;
    feature_flags: Record<string, boolean>;
};
const runnerOf = (input: RunnerTomlInput): Runner => {
    // smol-toml builds null-prototype objects; a JSON round trip makes them plain for deepEqual.
    const doc = JSON.parse(JSON.stringify(parse(buildRunnerConfigToml(input)))) as { runners: Runner[] };
    assert.equal(doc.runners.length, 1, "exactly one [[runners]] entry");
    return doc.runners[0];
};

describe("runner config.toml: buildRunnerConfigToml", () => {
    it("configures the kubernetes executor, unprivileged, in the job namespace, with build/helper/service limits", () => {
        const r = runnerOf(base);
        assert.equal(r.executor, "kubernetes");
        assert.deepEqual(r.kubernetes, {
            namespace: "gitlab-runner-shared",
            image: "alpine:3.22",
            privileged: false,
            allow_privilege_escalation: false,
            cpu_request: "500m",
            cpu_limit: "2",
            memory_request: "1Gi",
            memory_limit: "4Gi",
            helper_cpu_request: "100m",
            helper_cpu_limit: "500m",
            helper_memory_request: "128Mi",
            helper_memory_limit: "512Mi",
            service_cpu_request: "250m",
            service_cpu_limit: "1",
            service_memory_request: "256Mi",
            service_memory_limit: "1Gi",
            node_selector: { workload: "runners" },
            node_tolerations: { "workload=runners": "NoSchedule" },
            pod_labels: { "gitlab-platform/ci-job": "true" },
        });
        assert.equal(r.cache, undefined);
    });

    it("is privileged (and may escalate) only when asked", () => {
        const k = runnerOf({ ...base, privileged: true }).kubernetes;
        assert.equal(k.privileged, true);
        assert.equal(k.allow_privilege_escalation, true);
    });

    it("drops node placement when no node pool is given", () => {
        const k = runnerOf({ ...base, nodePool: undefined }).kubernetes;
        assert.equal(k.node_selector, undefined);
        assert.equal(k.node_tolerations, undefined);
    });

    it("disables automatic token rotation in [runners.feature_flags], whatever other flags say", () => {
        assert.deepEqual(runnerOf(base).feature_flags, { FF_DISABLE_AUTOMATIC_TOKEN_ROTATION: true });
        assert.deepEqual(
            runnerOf({
                ...base,
                featureFlags: { FF_PRINT_POD_EVENTS: true, FF_DISABLE_AUTOMATIC_TOKEN_ROTATION: false },
            }).feature_flags,
            {
                FF_PRINT_POD_EVENTS: true,
                FF_DISABLE_AUTOMATIC_TOKEN_ROTATION: true,
            },
        );
    });

    it("caches in S3 through the pod's IAM role, shared between managers", () => {
        const r = runnerOf({
            ...base,
            cache: {
                type: "s3",
                bucket: "ci-cache",
                region: "eu-central-1",
                authenticationType: "iam",
                path: "shared",
            },
        });
        assert.deepEqual(r.cache, {
            Type: "s3",
            Path: "shared",
            Shared: true,
            s3: { BucketName: "ci-cache", BucketLocation: "eu-central-1", AuthenticationType: "iam" },
        });
    });

    it("caches in an S3-compatible endpoint with access keys (the keys come from the cache Secret, not the file)", () => {
        const input: RunnerTomlInput = {
            ...base,
            cache: {
                type: "s3",
                bucket: "c",
                region: "us-east-1",
                endpoint: "minio.example.com:9000",
                authenticationType: "access-key",
                path: "p",
            },
        };
        const r = runnerOf(input);
        assert.deepEqual(r.cache?.s3, {
            ServerAddress: "minio.example.com:9000",
            BucketName: "c",
            BucketLocation: "us-east-1",
            AuthenticationType: "access-key",
        });
        assert.doesNotMatch(buildRunnerConfigToml(input), /AccessKey|SecretKey/);
    });

    it("caches in GCS", () => {
        assert.deepEqual(runnerOf({ ...base, cache: { type: "gcs", bucket: "ci-cache", path: "shared" } }).cache, {
            Type: "gcs",
            Path: "shared",
            Shared: true,
            gcs: { BucketName: "ci-cache" },
        });
    });
});
