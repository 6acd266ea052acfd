/**
 * Why a change may replace a resource (delete + create) instead of updating it in place, predicted from the
 * rules the Kubernetes provider and the Pulumi engine apply. A prediction: `pulumi preview` is authoritative.
 *
 * Sources (pulumi-kubernetes v4.32, provider/pkg/provider): diff.go `forceNew` (fields a Kubernetes object
 * cannot change in place), helm_release.go (a Release's `name` and `namespace`), provider.go `DiffConfig`
 * (a provider whose active cluster changes is replaced). Pulumi engine (pkg/resource/deploy/step_generator.go):
 * a resource whose provider is replaced, or whose provider's new configuration requires it, is replaced.
 */
import { GITLAB_API_REPLACE_KEYS } from "../../components/gitlab-api/replace-keys";
import { forceNewInputs } from "./impact-rules";
import type { PlannedResource } from "../plan/engine";
import { deepEqual, type Segment, UNKNOWN_MASK, type ValueChange } from "./values";

export const KUBERNETES_PROVIDER = "pulumi:providers:kubernetes";
export const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";

const pattern = (p: string): string[] => p.replace(/\[\*\]/g, ".*").split(".");
const fields = (...paths: string[]) => paths.map(pattern);

const SELECTOR = ["spec.selector"];
const CONTAINER_FIELDS = [
    "args",
    "command",
    "env",
    "image",
    "imagePullPolicy",
    "lifecycle",
    "livenessProbe",
    "ports",
    "readinessProbe",
    "resources",
    "securityContext",
    "stdin",
    "stdinOnce",
    "terminationMessagePath",
    "terminationMessagePolicy",
    "tty",
    "volumeDevices",
    "volumeMounts",
    "workingDir",
];
const POD_FIELDS = [
    "affinity",
    "automountServiceAccountToken",
    "dnsConfig",
    "dnsPolicy",
    "enableServiceLinks",
    "hostAliases",
    "hostIPC",
    "hostNetwork",
    "hostPID",
    "hostname",
    "imagePullSecrets",
    "nodeName",
    "nodeSelector",
    "overhead",
    "preemptionPolicy",
    "priority",
    "priorityClassName",
    "readinessGates",
    "restartPolicy",
    "runtimeClassName",
    "schedulerName",
    "securityContext",
    "serviceAccount",
    "serviceAccountName",
    "shareProcessNamespace",
    "subdomain",
    "terminationGracePeriodSeconds",
    "volumes",
];
const PV_SOURCES = [
    "awsElasticBlockStore",
    "azureDisk",
    "azureFile",
    "cephfs",
    "cinder",
    "csi",
    "fc",
    "flexVolume",
    "flocker",
    "gcePersistentDisk",
    "glusterfs",
    "hostPath",
    "iscsi",
    "local",
    "nfs",
    "photonPersistentDisk",
    "portworxVolume",
    "quobyte",
    "rbd",
    "scaleIO",
    "storageos",
    "vsphereVolume",
];
const STATEFUL_SET = [
    "spec.podManagementPolicy",
    "spec.revisionHistoryLimit",
    ...SELECTOR,
    "spec.serviceName",
    "spec.volumeClaimTemplates",
];
const CORE_V1: Record<string, string[]> = {
    PersistentVolume: PV_SOURCES.map((s) => `spec.${s}`),
    PersistentVolumeClaim: ["spec.accessModes", ...SELECTOR, "spec.storageClassName", "spec.volumeName"],
    Pod: [
        ...POD_FIELDS.map((f) => `spec.${f}`),
        ...["containers", "initContainers"].flatMap((c) => CONTAINER_FIELDS.map((f) => `spec.${c}[*].${f}`)),
    ],
    ResourceQuota: ["spec.scopes"],
    Secret: ["type"],
    Service: ["spec.clusterIP"],
};
const BINDING = { ClusterRoleBinding: ["roleRef"], RoleBinding: ["roleRef"] };
const JOB = { Job: ["spec.completions", "spec.parallelism", ...SELECTOR, "spec.template"] };
const WORKLOADS = { DaemonSet: SELECTOR, Deployment: SELECTOR, StatefulSet: STATEFUL_SET };

/** Fields a Kubernetes object cannot change in place, by `group/version` and kind (beyond metadata.name/namespace). */
const FORCE_NEW: Record<string, Record<string, string[]>> = {
    "apps/v1beta1": { StatefulSet: STATEFUL_SET },
    "apps/v1beta2": WORKLOADS,
    "apps/v1": WORKLOADS,
    "core/v1": CORE_V1,
    "policy/v1beta1": { PodDisruptionBudget: ["spec"] },
    "rbac.authorization.k8s.io/v1alpha1": BINDING,
    "rbac.authorization.k8s.io/v1beta1": BINDING,
    "rbac.authorization.k8s.io/v1": BINDING,
    "storage.k8s.io/v1": { StorageClass: ["parameters", "provisioner"] },
    "batch/v1beta1": JOB,
    "batch/v1": JOB,
    "batch/v2alpha1": JOB,
};

/** `pulumi-nodejs:dynamic/gitlab:ClusterAgent` -> the GitLab API resource's replacing inputs. */
function gitlabApiReplaceKeys(type: string): readonly string[] | undefined {
    const m = /^pulumi-nodejs:dynamic\/gitlab:([A-Za-z]+)$/.exec(type);
    return m ? (GITLAB_API_REPLACE_KEYS as Record<string, readonly string[]>)[m[1]] : undefined;
}

/** `kubernetes:apps/v1:Deployment` -> group/version and kind; null for non-objects (Helm, YAML, Kustomize). */
export function kubernetesObjectType(type: string): { groupVersion: string; kind: string } | null {
    const m = /^kubernetes:([^:]+):([A-Za-z0-9]+)$/.exec(type);
    if (!m || /^(helm\.sh|yaml|kustomize)(\/|$)/.test(m[1])) return null;
    return { groupVersion: m[1], kind: m[2] };
}

/** Does a change at `path` touch the field `field` (one contains the other)? `*` matches any array index. */
function touches(path: readonly Segment[], field: readonly string[]): boolean {
    const n = Math.min(path.length, field.length);
    for (let i = 0; i < n; i++) {
        if (field[i] === "*" ? typeof path[i] !== "number" : path[i] !== field[i]) return false;
    }
    return true;
}

const flag = (v: unknown) => v === true || v === "true";

/** The immutable fields of one Kubernetes object, given its inputs and its provider's inputs. */
function objectForceNew(
    type: { groupVersion: string; kind: string },
    inputs: Record<string, unknown>,
    provider: Record<string, unknown>,
): string[][] {
    const out = fields("metadata.name", "metadata.namespace");
    const immutable = flag(inputs.immutable);
    const core = type.groupVersion === "core/v1" || type.groupVersion === "v1";
    if (core && type.kind === "Secret" && (!flag(provider.enableSecretMutable) || immutable))
        return [...out, ...fields("type", "stringData", "data")];
    const kindFields = FORCE_NEW[core ? "core/v1" : type.groupVersion]?.[type.kind];
    if (kindFields) return [...out, ...fields(...kindFields)];
    if (core && type.kind === "ConfigMap" && (!flag(provider.enableConfigMapMutable) || immutable))
        return [...out, ...fields("binaryData", "data")];
    return out;
}

function objectReason(field: readonly string[], kind: string): string {
    const name = `\`${field.join(".").replace(/\.\*/g, "[*]")}\``;
    if (field[0] === "metadata")
        return `${name} changed: a Kubernetes object is replaced when renamed or moved to another namespace`;
    if (["data", "stringData", "binaryData"].includes(field[0])) {
        return `${name} of a ${kind} changed: pulumi-kubernetes replaces it unless the provider sets enable${kind}Mutable and the object is not immutable`;
    }
    return `${name} cannot change in place on a ${kind}: pulumi-kubernetes replaces the object`;
}

/** Replacement reasons for a custom resource whose URN stayed the same, from its changed inputs. */
export function inputReplaceReasons(
    resource: PlannedResource,
    changes: readonly ValueChange[],
    provider?: PlannedResource,
): string[] {
    const reasons = new Set<string>();
    const k8s = kubernetesObjectType(resource.type);
    if (k8s) {
        const immutable = objectForceNew(k8s, resource.inputs, provider?.inputs ?? {});
        for (const c of changes) {
            const field = immutable.find((f) => touches(c.segments, f));
            if (field) reasons.add(objectReason(field, k8s.kind));
        }
    } else if (resource.type === HELM_RELEASE) {
        for (const c of changes) {
            if (c.segments[0] === "name" || c.segments[0] === "namespace")
                reasons.add(
                    `\`${c.segments[0]}\` of a Helm release cannot change in place: the release is uninstalled and installed again`,
                );
        }
    } else if (resource.type === KUBERNETES_PROVIDER) {
        for (const r of kubernetesProviderReplaceReasons(resource.inputs, changes)) reasons.add(r);
    } else if (forceNewInputs(resource.type)) {
        // AWS and random inputs that force a new resource: the one impact table (impact-rules.ts) lists them.
        const forceNew = forceNewInputs(resource.type)!;
        const provider = resource.type.split(":")[0] === "aws" ? "AWS" : resource.type.split(":")[0];
        for (const c of changes) {
            const key = String(c.segments[0]);
            if (forceNew.includes(key))
                reasons.add(
                    `\`${key}\` cannot change in place on ${resource.type.split(":").pop()}: the ${provider} provider replaces it`,
                );
        }
    } else {
        const keys = gitlabApiReplaceKeys(resource.type);
        for (const c of keys ? changes : []) {
            const key = String(c.segments[0]);
            if (keys!.includes(key))
                reasons.add(
                    `\`${key}\` cannot change in place: GitLab cannot edit a ${resource.type.split(":").pop()}, so it is created anew`,
                );
        }
    }
    return [...reasons];
}

/**
 * Whether a Kubernetes provider's configuration change replaces it, and so every resource it manages.
 * `head` holds the provider's new inputs, `changes` the differences from its old inputs.
 */
export function kubernetesProviderReplaceReasons(
    head: Record<string, unknown>,
    changes: readonly ValueChange[],
): string[] {
    const changed = new Map(changes.filter((c) => c.segments.length > 0).map((c) => [String(c.segments[0]), c]));
    if (changed.get("clusterIdentifier")?.kind === "update") {
        return ["`clusterIdentifier` changed: the provider is replaced, and every resource it manages with it"];
    }
    // An unchanged clusterIdentifier tells the provider the cluster is the same: nothing is replaced.
    if (head.clusterIdentifier !== undefined && !changed.has("clusterIdentifier")) return [];
    const reasons: string[] = [];
    for (const key of ["kubeconfig", "context", "cluster"]) {
        if (!changed.has(key)) continue;
        reasons.push(
            head[key] === UNKNOWN_MASK
                ? `\`${key}\` becomes known only during the update: the provider is replaced to be safe, and every resource it manages with it`
                : `\`${key}\` changed: if it selects another cluster, the provider is replaced, and every resource it manages with it`,
        );
    }
    if (changed.has("renderYamlToDirectory"))
        reasons.push(
            "`renderYamlToDirectory` changed: every manifest is rendered again, so every resource is replaced",
        );
    return reasons;
}

/** A provider reference change: replaced when the new provider's configuration says so (Kubernetes) or possibly. */
export function providerSwitchReasons(
    base: PlannedResource | undefined,
    head: PlannedResource | undefined,
    diff: (a: unknown, b: unknown) => ValueChange[],
): string[] {
    const from = base?.name ?? "(unknown)";
    const to = head?.name ?? "(unknown)";
    if (base?.type === KUBERNETES_PROVIDER && head?.type === KUBERNETES_PROVIDER) {
        const reasons = kubernetesProviderReplaceReasons(head.inputs, diff(base.inputs, head.inputs));
        return reasons.length === 0
            ? []
            : [
                  `its provider changes from \`${from}\` to \`${to}\`, whose configuration differs: ${reasons.join("; ")}`,
              ];
    }
    if (base && head && base.type === head.type && deepEqual(base.inputs, head.inputs)) return [];
    return [
        `its provider changes from \`${from}\` to \`${to}\`: Pulumi replaces it when the new provider's configuration requires it`,
    ];
}
