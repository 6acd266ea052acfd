/**
 * Pure builders of an App's Kubernetes objects: the Deployment spec (hardened pod), the Service spec,
 * and the Ingress or HTTPRoute that gives it a host. Inputs are fully resolved; nothing here knows Pulumi
 * beyond the input types, so the objects are tested as plain data.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

type Probe = k8s.types.input.core.v1.Probe;

/** How an App is reached. */
export type AppExposure =
    /** A ClusterIP Service only; reach it from inside the cluster or add your own route. */
    | { type: "clusterIP" }
    /** A `LoadBalancer` Service: a cloud load balancer with a public address (the GitLab tutorial's choice). */
    | { type: "loadBalancer"; annotations?: Record<string, string> }
    /**
     * A ClusterIP Service behind a `networking.k8s.io/v1` Ingress for `host`, of the IngressClass
     * `className` (required: an Ingress without a class is served only if the cluster has a default
     * IngressClass, and silently by nobody otherwise).
     */
    | {
          type: "ingress";
          host: string;
          className: string;
          tlsSecretName?: string;
          annotations?: Record<string, string>;
      }
    /**
     * A ClusterIP Service behind a Gateway API `HTTPRoute` for `host`, attached to an existing Gateway
     * (e.g. an {@link AppGateway}, whose listeners admit routes from namespaces labelled for it).
     */
    | { type: "httpRoute"; host: string; gateway: GatewayRef };

/** The Gateway a route attaches to; the name and namespace may come from another stack's outputs. */
export interface GatewayRef {
    name: pulumi.Input<string>;
    /** @default - the route's namespace */
    namespace?: pulumi.Input<string>;
    /** One listener of the Gateway. @default - every listener whose hostname matches */
    sectionName?: string;
}

/** Requests and limits of the container. */
export interface AppResources {
    requests: { cpu: string; memory: string };
    limits: { cpu: string; memory: string };
}

/** Everything the builders need, defaults applied. */
export interface ResolvedApp {
    name: string;
    image: string;
    allowLatest: boolean;
    replicas: number;
    containerPort: number;
    servicePort: number;
    resources: AppResources;
    healthPath: string;
    readinessProbe?: Probe;
    livenessProbe?: Probe;
    env: Record<string, string>;
    writablePaths: string[];
    runAsUser?: number;
    imagePullSecrets: string[];
    labels: Record<string, string>;
    exposure: AppExposure;
}

/** Labels that select the App's pods. */
export function selectorLabels(r: ResolvedApp): Record<string, string> {
    return { "app.kubernetes.io/name": r.name };
}

/** Labels on every object of the App. */
export function appLabels(r: ResolvedApp): Record<string, string> {
    return { ...r.labels, ...selectorLabels(r), "app.kubernetes.io/managed-by": "pulumi" };
}

/** The default probe: HTTP GET on the health path through the named container port. */
function httpProbe(r: ResolvedApp, initialDelaySeconds: number, periodSeconds: number): Probe {
    return { httpGet: { path: r.healthPath, port: "http" }, initialDelaySeconds, periodSeconds, failureThreshold: 3 };
}

/**
 * The Deployment spec: non-root, read-only root filesystem (emptyDir for the writable paths), every
 * capability dropped, no privilege escalation, RuntimeDefault seccomp, no service-account token.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
export function deploymentSpec(r: ResolvedApp): k8s.types.input.apps.v1.DeploymentSpec {
    const volumes = r.writablePaths.map((_, i) => ({ name: `writable-${i}`, emptyDir: {} }));
    const env = Object.entries(r.env).map(([name, value]) => ({ name, value }));
    const container: k8s.types.input.core.v1.Container = {
        name: r.name,
        image: r.image,
        ports: [{ name: "http", containerPort: r.containerPort, protocol: "TCP" }],
        resources: { requests: { ...r.resources.requests }, limits: { ...r.resources.limits } },
        readinessProbe: r.readinessProbe ?? httpProbe(r, 5, 10),
        livenessProbe: r.livenessProbe ?? httpProbe(r, 10, 20),
        securityContext: {
            runAsNonRoot: true,
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
        },
        ...(env.length > 0 ? { env } : {}),
        ...(volumes.length > 0
            ? { volumeMounts: r.writablePaths.map((mountPath, i) => ({ name: `writable-${i}`, mountPath })) }
            : {}),
    };
    const podSecurityContext: k8s.types.input.core.v1.PodSecurityContext = {
        runAsNonRoot: true,
        seccompProfile: { type: "RuntimeDefault" },
        ...(r.runAsUser !== undefined ? { runAsUser: r.runAsUser, runAsGroup: r.runAsUser, fsGroup: r.runAsUser } : {}),
    };
    return {
        replicas: r.replicas,
        selector: { matchLabels: selectorLabels(r) },
        template: {
            metadata: { labels: appLabels(r) },
            spec: {
                automountServiceAccountToken: false,
                securityContext: podSecurityContext,
                containers: [container],
                ...(volumes.length > 0 ? { volumes } : {}),
                ...(r.imagePullSecrets.length > 0
                    ? { imagePullSecrets: r.imagePullSecrets.map((name) => ({ name })) }
                    : {}),
            },
        },
    };
}

/** The Service spec: `servicePort` -> the container port, LoadBalancer or ClusterIP by exposure. */
export function serviceSpec(r: ResolvedApp): k8s.types.input.core.v1.ServiceSpec {
    return {
        type: r.exposure.type === "loadBalancer" ? "LoadBalancer" : "ClusterIP",
        selector: selectorLabels(r),
        ports: [{ name: "http", port: r.servicePort, targetPort: r.containerPort, protocol: "TCP" }],
    };
}

/** The Ingress spec for an `ingress` exposure: every path of the host to the Service. */
export function ingressSpec(
    r: ResolvedApp,
    e: Extract<AppExposure, { type: "ingress" }>,
): k8s.types.input.networking.v1.IngressSpec {
    return {
        ingressClassName: e.className,
        rules: [
            {
                host: e.host,
                http: {
                    paths: [
                        {
                            path: "/",
                            pathType: "Prefix",
                            backend: { service: { name: r.name, port: { number: r.servicePort } } },
                        },
                    ],
                },
            },
        ],
        ...(e.tlsSecretName !== undefined ? { tls: [{ hosts: [e.host], secretName: e.tlsSecretName }] } : {}),
    };
}

/**
 * The HTTPRoute spec for an `httpRoute` exposure (`gateway.networking.k8s.io/v1`).
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#httproutespec
 */
export function httpRouteSpec(r: ResolvedApp, e: Extract<AppExposure, { type: "httpRoute" }>): Record<string, unknown> {
    const parentRef: Record<string, pulumi.Input<string>> = { name: e.gateway.name };
    if (e.gateway.namespace !== undefined) parentRef.namespace = e.gateway.namespace;
    if (e.gateway.sectionName !== undefined) parentRef.sectionName = e.gateway.sectionName;
    return {
        parentRefs: [parentRef],
        hostnames: [e.host],
        rules: [
            {
                matches: [{ path: { type: "PathPrefix", value: "/" } }],
                backendRefs: [{ name: r.name, port: r.servicePort }],
            },
        ],
    };
}
