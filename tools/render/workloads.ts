/** Rendered objects that run pods, and the pod spec inside each. */
export interface K8sObject {
    apiVersion?: string;
    kind?: string;
    metadata?: {
        name?: string;
        namespace?: string;
        labels?: Record<string, string>;
        annotations?: Record<string, string>;
    };
    [key: string]: unknown;
}

/** The pod spec of a Pod, a pod template of a controller, or a CronJob's job template; undefined otherwise. */
export function podSpecOf(obj: K8sObject): Record<string, unknown> | undefined {
    const spec = obj.spec as Record<string, any> | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
    if (!spec) return undefined;
    switch (obj.kind) {
        case "Pod":
            return spec;
        case "Deployment":
        case "StatefulSet":
        case "DaemonSet":
        case "ReplicaSet":
        case "Job":
            return spec.template?.spec;
        case "CronJob":
            return spec.jobTemplate?.spec?.template?.spec;
        default:
            return undefined;
    }
}

export interface Container {
    name?: string;
    image?: string;
    securityContext?: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    env?: { name?: string; valueFrom?: { secretKeyRef?: { name?: string; key?: string; optional?: boolean } } }[];
    envFrom?: { secretRef?: { name?: string; optional?: boolean } }[];
    ports?: { hostPort?: number }[];
}

/** Containers, init containers and ephemeral containers of a pod spec. */
export function containersOf(pod: Record<string, unknown>): Container[] {
    return ["initContainers", "containers", "ephemeralContainers"].flatMap((k) =>
        Array.isArray(pod[k]) ? (pod[k] as Container[]) : [],
    );
}

export function objectName(obj: K8sObject): string {
    return `${obj.kind ?? "?"}/${obj.metadata?.name ?? "?"}`;
}
