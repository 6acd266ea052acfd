/**
 * The runner's `config.toml` template (`runners.config` of the `gitlab-runner` chart): the kubernetes
 * executor, its resource limits and node placement, the distributed cache and feature flags. Pure.
 * Key names are the runner's own TOML tags (gitlab-runner `common/config.go` KubernetesConfig,
 * `cache/cacheconfig/cacheconfig.go`), checked at v19.3.0.
 * @see https://docs.gitlab.com/runner/executors/kubernetes/
 * @see https://docs.gitlab.com/runner/configuration/advanced-configuration/#the-runnerscache-section
 */
import { stringify } from "smol-toml";
import { RUNNER_JOB_LABEL } from "../defaults";

/** Requests and limits of one container kind (Kubernetes quantities, e.g. `500m`, `1Gi`). */
export interface ContainerResources {
    cpuRequest: string;
    cpuLimit: string;
    memoryRequest: string;
    memoryLimit: string;
}

/** Resources of the three container kinds of a job pod. */
export interface JobResources {
    /** The job's own container. */
    build: ContainerResources;
    /** The helper container (clone, artifacts, cache). */
    helper: ContainerResources;
    /** Each `services:` container. */
    service: ContainerResources;
}

/** Node pool placement of job pods: a node label to select and a taint to tolerate. */
export interface NodePoolPlacement {
    labelKey: string;
    labelValue: string;
    taintEffect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

/** The distributed cache, resolved to plain values. */
export type CacheToml =
    | {
          type: "s3";
          bucket: string;
          region: string;
          /** `host[:port]` of an S3-compatible service; absent for AWS S3. */
          endpoint?: string;
          /** `iam`: the manager's pod identity (IRSA); `access-key`: keys from the cache Secret. */
          authenticationType: "iam" | "access-key";
          /** Key prefix inside the bucket. */
          path: string;
      }
    | { type: "gcs"; bucket: string; path: string };

/** Resolved input of {@link buildRunnerConfigToml}. */
export interface RunnerTomlInput {
    jobNamespace: string;
    jobImage: string;
    privileged: boolean;
    resources: JobResources;
    /** Absent: job pods may land on any node. */
    nodePool?: NodePoolPlacement;
    cache?: CacheToml;
    /** `[runners.feature_flags]`; the runner reads `FF_DISABLE_AUTOMATIC_TOKEN_ROTATION` only from here. */
    featureFlags: Record<string, boolean>;
}

/** Pulumi owns the runner token, so the runner must not rotate it behind Pulumi's back. */
export const TOKEN_ROTATION_FLAG = "FF_DISABLE_AUTOMATIC_TOKEN_ROTATION";

function resources(prefix: string, r: ContainerResources): Record<string, string> {
    return {
        [`${prefix}cpu_request`]: r.cpuRequest,
        [`${prefix}cpu_limit`]: r.cpuLimit,
        [`${prefix}memory_request`]: r.memoryRequest,
        [`${prefix}memory_limit`]: r.memoryLimit,
    };
}

function cacheTable(cache: CacheToml): Record<string, unknown> {
    if (cache.type === "gcs") return { Type: "gcs", Path: cache.path, Shared: true, gcs: { BucketName: cache.bucket } };
    return {
        Type: "s3",
        Path: cache.path,
        Shared: true,
        s3: {
            ...(cache.endpoint !== undefined ? { ServerAddress: cache.endpoint } : {}),
            BucketName: cache.bucket,
            BucketLocation: cache.region,
            AuthenticationType: cache.authenticationType,
        },
    };
}

/** Renders the `config.toml` template. */
export function buildRunnerConfigToml(input: RunnerTomlInput): string {
    const kubernetes: Record<string, unknown> = {
        namespace: input.jobNamespace,
        image: input.jobImage,
        privileged: input.privileged,
        // Kubernetes rejects privileged containers that forbid privilege escalation.
        allow_privilege_escalation: input.privileged,
        ...resources("", input.resources.build),
        ...resources("helper_", input.resources.helper),
        ...resources("service_", input.resources.service),
        // Job pods carry this label so the jobs' NetworkPolicy selects them and never the manager.
        pod_labels: { [RUNNER_JOB_LABEL.key]: RUNNER_JOB_LABEL.value },
    };
    if (input.nodePool) {
        const { labelKey, labelValue, taintEffect } = input.nodePool;
        kubernetes.node_selector = { [labelKey]: labelValue };
        kubernetes.node_tolerations = { [`${labelKey}=${labelValue}`]: taintEffect };
    }
    const runner: Record<string, unknown> = {
        executor: "kubernetes",
        kubernetes,
        ...(input.cache ? { cache: cacheTable(input.cache) } : {}),
        feature_flags: { ...input.featureFlags, [TOKEN_ROTATION_FLAG]: true },
    };
    return stringify({ runners: [runner] });
}
