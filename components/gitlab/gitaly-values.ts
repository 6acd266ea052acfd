/**
 * Gitaly as the Cloud Native First reference architecture runs it: a fixed number of StatefulSet pods
 * (one storage each: `default`, `storage1`, ...), CPU and memory requested and limited alike (Guaranteed
 * QoS), on dedicated nodes (`workload: gitaly`, tainted for Gitaly alone), at most one pod per node. With
 * one node per zone that is one Gitaly per zone; each pod's volume stays in its zone, and the node group
 * replaces a lost node in the same zone (the Auto Scaling group keeps its zones balanced). Pure.
 * Keys checked against chart 9.10.0 (`gitlab/charts/gitaly/values.yaml`, `gitlab.affinity` helper).
 *
 * Gitaly's own cgroups (`gitlab.gitaly.cgroups`: one cgroup per repository inside the pod, so one
 * repository's `git` processes cannot starve or OOM-kill the others) are left off on purpose. The key
 * exists in 9.10.0 and in the 10.x gitaly values (`cgroups.{enabled,memoryBytes,cpuShares,cpuQuotaUs,
 * repositories.{count,memoryBytes,cpuShares,cpuQuotaUs,maxCgroupsPerRepo}}`), but enabling it mounts the
 * node's `/sys/fs/cgroup` as a hostPath volume read-write and adds an init container running as root
 * (`_statefulset_spec.yaml`), which the GitLab namespace's enforced `baseline` Pod Security level refuses
 * (hostPath volumes): the Gitaly pods would not be admitted. What bounds Gitaly today: Guaranteed QoS
 * (request = limit, so the kernel OOM-kills inside the pod, never its neighbours), dedicated tainted
 * nodes and one pod per node. Turning cgroups on needs the namespace at `privileged` (or Gitaly in a
 * namespace of its own, which the chart does not offer), a trade-off to make deliberately.
 * @see https://docs.gitlab.com/administration/reference_architectures/cloud_native_first/#gitaly-considerations
 */
import { RUNNER_NODE_POOL, WORKLOAD_LABEL_KEY, WORKLOAD_LABELS, type GitalySize } from "../defaults";

/** Storage names of `pods` Gitaly pods: `default` first (GitLab creates new repositories there), then `storage1`, ... */
export function gitalyStorageNames(pods: number): string[] {
    return Array.from({ length: pods }, (_, i) => (i === 0 ? "default" : `storage${i}`));
}

/** Builds the Gitaly values of a reference size. */
export function buildGitalyValues(g: GitalySize): { global: Record<string, unknown>; gitlab: Record<string, unknown> } {
    const resources = { cpu: g.cpu, memory: g.memory };
    return {
        global: { gitaly: { internal: { names: gitalyStorageNames(g.pods) } } },
        gitlab: {
            gitaly: {
                resources: { requests: { ...resources }, limits: { ...resources } },
                nodeSelector: { [WORKLOAD_LABEL_KEY]: WORKLOAD_LABELS.gitaly },
                tolerations: [
                    {
                        key: WORKLOAD_LABEL_KEY,
                        operator: "Equal",
                        value: WORKLOAD_LABELS.gitaly,
                        effect: RUNNER_NODE_POOL.taintEffect,
                    },
                ],
                antiAffinity: "hard",
                affinity: { podAntiAffinity: { topologyKey: "kubernetes.io/hostname" } },
            },
        },
    };
}
