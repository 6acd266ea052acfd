/**
 * Kubernetes workloads declared as Pulumi resources (Deployments, StatefulSets, DaemonSets, Jobs,
 * CronJobs, Pods): pinned images, requests and limits, non-root, unprivileged. Objects a Helm release
 * renders are the chart's business and are checked through its values (helm.ts, agent-runner.ts).
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
import { allowListSchema, resourcePolicy, type ResourceView } from "./lib/define";
import { isAllowed, POD_SPEC_PATHS, WORKLOAD_TYPES } from "./lib/types";
import { at, isMap, listAt, renderPath, UNKNOWN, type Plain, type PlainMap } from "./lib/values";

/** One container of a workload with the name messages use for it. */
interface ContainerAt {
    /** `spec.template.spec.containers[0] (web)`. */
    label: string;
    container: PlainMap;
    pod: PlainMap;
}

/** Every container and init container of a workload. */
export function containersOf(r: ResourceView): ContainerAt[] {
    const podPath = POD_SPEC_PATHS[r.type];
    if (!podPath) return [];
    const pod = at(r.props, podPath);
    if (!isMap(pod)) return [];
    return (["initContainers", "containers"] as const).flatMap((list) =>
        listAt(pod, [list]).flatMap((c, i) => {
            if (!isMap(c)) return [];
            const name = typeof c.name === "string" ? ` (${c.name})` : "";
            return [{ label: `${renderPath([...podPath, list, i])}${name}`, container: c, pod }];
        }),
    );
}

/** What is wrong with an image reference, or `undefined` when it names one exact image. */
export function imageProblem(image: string): string | undefined {
    if (image.includes("@")) return undefined;
    const lastSlash = image.lastIndexOf("/");
    const colon = image.indexOf(":", lastSlash + 1);
    if (colon < 0) return `image "${image}" has no tag, so it means latest (expected an exact tag or a digest)`;
    if (image.slice(colon + 1) === "latest")
        return `image "${image}" uses the moving tag latest (expected an exact tag or a digest)`;
    return undefined;
}

export const k8sImagePinned = resourcePolicy(
    {
        name: "k8s-image-pinned",
        description: "Every container image has an exact tag or a digest, never latest or no tag.",
        severity: "high",
        enforcementLevel: "mandatory",
        remediationSteps:
            "Reference images as registry/path:<exact tag> or registry/path@sha256:<digest> (what CI pushed), and roll out by changing it.",
    },
    WORKLOAD_TYPES,
    (r) =>
        containersOf(r).flatMap(({ label, container }) => {
            const image = container.image;
            if (image === UNKNOWN) return [];
            if (typeof image !== "string") return [`${label}: no image (expected an exact tag or a digest)`];
            const problem = imageProblem(image);
            return problem ? [`${label}: ${problem}`] : [];
        }),
);

const RESOURCE_FIELDS = [
    ["requests", "cpu"],
    ["requests", "memory"],
    ["limits", "cpu"],
    ["limits", "memory"],
] as const;

export const k8sContainerResources = resourcePolicy<{ limits: string[] }>(
    {
        name: "k8s-container-resources",
        description: "Every container declares CPU and memory requests and limits.",
        severity: "medium",
        enforcementLevel: "advisory",
        remediationSteps:
            "Set resources.requests.{cpu,memory} from observed usage and resources.limits (memory at least; cpu unless the policy config's `limits` drops it).",
        configSchema: {
            properties: {
                limits: {
                    type: "array",
                    items: { type: "string", enum: ["cpu", "memory"] },
                    default: ["cpu", "memory"],
                    description: "Which limits are required (requests for cpu and memory always are).",
                },
            },
        },
    },
    WORKLOAD_TYPES,
    (r, config) =>
        containersOf(r).flatMap(({ label, container }) => {
            const wanted = RESOURCE_FIELDS.filter(([kind, res]) => kind === "requests" || config.limits.includes(res));
            const missing = wanted
                .filter((p) => at(container, ["resources", ...p]) === undefined)
                .map((p) => `resources.${p.join(".")}`);
            return missing.length > 0
                ? [`${label}: ${missing.join(", ")} not set (expected ${wanted.map((p) => p.join(".")).join(", ")})`]
                : [];
        }),
);

/** The effective value of a securityContext field: the container's, else the pod's. */
function effective(container: PlainMap, pod: PlainMap, field: string): Plain | undefined {
    const own = at(container, ["securityContext", field]);
    return own !== undefined ? own : at(pod, ["securityContext", field]);
}

export const k8sRunAsNonRoot = resourcePolicy(
    {
        name: "k8s-run-as-non-root",
        description: "Every container runs as a non-root user (runAsNonRoot: true, never runAsUser: 0).",
        severity: "high",
        enforcementLevel: "mandatory",
        remediationSteps:
            "Set securityContext.runAsNonRoot: true on the pod (or each container) and a numeric non-zero runAsUser if the image's USER is not numeric.",
    },
    WORKLOAD_TYPES,
    (r) =>
        containersOf(r).flatMap(({ label, container, pod }) => {
            const nonRoot = effective(container, pod, "runAsNonRoot");
            const user = effective(container, pod, "runAsUser");
            const problems: string[] = [];
            if (user === 0) problems.push(`${label}: runAsUser is 0 (expected a non-zero user)`);
            if (nonRoot === false) problems.push(`${label}: runAsNonRoot is false (expected true)`);
            else if (nonRoot === undefined)
                problems.push(
                    `${label}: runAsNonRoot not set (expected securityContext.runAsNonRoot: true on the pod or the container)`,
                );
            return problems;
        }),
);

export const k8sNoPrivilegedContainers = resourcePolicy<{ allowed: string[] }>(
    {
        name: "k8s-no-privileged-containers",
        description: "No container runs privileged, unless its workload is on the policy's allowed list.",
        severity: "critical",
        enforcementLevel: "mandatory",
        remediationSteps:
            "Remove securityContext.privileged; grant only the capabilities needed (capabilities.add). If a workload truly needs it, add " +
            "`namespace/name` (or its Pulumi resource name) to this policy's `allowed` list in the stack's policy config, with the reason in review.",
        configSchema: allowListSchema(
            "Workloads (`namespace/name` or Pulumi resource name) allowed to run privileged containers.",
        ),
    },
    WORKLOAD_TYPES,
    (r, config) =>
        isAllowed(r, config.allowed)
            ? []
            : containersOf(r)
                  .filter(({ container }) => at(container, ["securityContext", "privileged"]) === true)
                  .map(({ label }) => `${label}: privileged (expected securityContext.privileged unset or false)`),
);

/** The workload policies. */
export const WORKLOAD_POLICIES = [k8sImagePinned, k8sContainerResources, k8sRunAsNonRoot, k8sNoPrivilegedContainers];
