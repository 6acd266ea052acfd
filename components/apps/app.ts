import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { assertValid } from "../errors";
import { parseArgs } from "../internal/spec-kit";
import { appLabels, deploymentSpec, httpRouteSpec, ingressSpec, serviceSpec, type AppExposure } from "./manifests";
import { appArgsSpec, appNamespaceRules, appRules, resolveApp } from "./spec";

/** Arguments of {@link App}. */
export interface AppArgs {
    /**
     * Image with an exact tag or a digest, e.g. `registry.example.com/group/app:1.4.2`.
     * @see https://kubernetes.io/docs/concepts/containers/images/#image-names
     */
    image: string;
    /**
     * Accept the moving tag `latest` (what runs then changes without a deployment).
     * @default false
     */
    allowLatest?: boolean;
    /**
     * Name of the Deployment, Service and route; a DNS-1035 label.
     * @default - the component's name
     */
    name?: string;
    /**
     * Namespace of every object.
     * @default "default"
     */
    namespace?: pulumi.Input<string>;
    /** Pod replicas. @default 1 (`APP_REPLICAS`) */
    replicas?: number;
    /** Port the container listens on (non-root: prefer an unprivileged port). @default 8080 */
    containerPort?: number;
    /** Port of the Service. @default 80 */
    servicePort?: number;
    /**
     * Container requests and limits, merged field by field over the defaults.
     * @default {requests: {cpu: "50m", memory: "64Mi"}, limits: {cpu: "500m", memory: "256Mi"}} (`APP_RESOURCES`)
     * @see https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
     */
    resources?: { requests?: { cpu?: string; memory?: string }; limits?: { cpu?: string; memory?: string } };
    /** Path the default probes request. @default "/" */
    healthPath?: string;
    /**
     * Readiness probe.
     * @default - HTTP GET `healthPath` on the container port after 5 s, every 10 s
     * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
     */
    readinessProbe?: k8s.types.input.core.v1.Probe;
    /** Liveness probe. @default - HTTP GET `healthPath` on the container port after 10 s, every 20 s */
    livenessProbe?: k8s.types.input.core.v1.Probe;
    /** Plain environment variables (no secrets: mount those from Secrets in your own manifests). @default {} */
    env?: Record<string, string>;
    /** Paths given an emptyDir, since the root filesystem is read-only. @default ["/tmp"] */
    writablePaths?: string[];
    /**
     * UID (and GID, fsGroup) to run as.
     * @default - the image's USER, which must then be numeric and not 0 (runAsNonRoot is always set)
     */
    runAsUser?: number;
    /** Secrets of type `kubernetes.io/dockerconfigjson` used to pull the image. @default [] */
    imagePullSecrets?: string[];
    /** Extra labels on every object and pod. @default {} */
    labels?: Record<string, string>;
    /**
     * How the App is reached. `httpRoute` (Gateway API: an HTTPRoute on a Gateway such as an
     * {@link AppGateway}) or `ingress` (an Ingress of a named IngressClass) give it a host;
     * `loadBalancer` is a public Service of its own (on AWS, give it NLB annotations such as
     * `AWS_NLB_SERVICE_ANNOTATIONS`, or the in-tree controller makes a Classic ELB).
     * @default {type: "clusterIP"} - nothing public unless asked for
     */
    exposure?: AppExposure;
}

/**
 * One stateless HTTP application: a hardened Deployment, its Service, and optionally an Ingress or
 * HTTPRoute. Rejects images without a tag or digest (and `:latest` unless allowed) before declaring anything.
 */
export class App extends pulumi.ComponentResource {
    /** Name of the Deployment and Service. */
    public readonly name: string;
    /** The Service. */
    public readonly service: k8s.core.v1.Service;
    /** The App's address when it has a host: `https://` with Ingress TLS or an HTTPRoute (the Gateway terminates TLS), else `http://`. */
    public readonly url?: string;

    constructor(name: string, args: AppArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before the component registers: bad args declare nothing.
        const { namespace, ...settings } = parseArgs("App", appArgsSpec, args);
        const r = resolveApp(name, settings);
        assertValid("App", [...appNamespaceRules(namespace), ...appRules(r)]);
        super("gitlab-platform:apps:App", name, {}, opts);
        this.name = r.name;
        const metadata = { name: r.name, namespace: namespace ?? "default", labels: appLabels(r) };
        // A component's dependsOn does not hold back its children: forward it to the first objects.
        const first = { parent: this, dependsOn: opts?.dependsOn };

        new k8s.apps.v1.Deployment(`${name}-deployment`, { metadata, spec: deploymentSpec(r) }, first);
        const e = r.exposure;
        const serviceMetadata =
            e.type === "loadBalancer" && e.annotations ? { ...metadata, annotations: e.annotations } : metadata;
        this.service = new k8s.core.v1.Service(
            `${name}-service`,
            { metadata: serviceMetadata, spec: serviceSpec(r) },
            first,
        );

        if (e.type === "ingress") {
            const ingressMetadata = e.annotations ? { ...metadata, annotations: e.annotations } : metadata;
            new k8s.networking.v1.Ingress(
                `${name}-ingress`,
                { metadata: ingressMetadata, spec: ingressSpec(r, e) },
                { parent: this, dependsOn: [this.service] },
            );
            this.url = `${e.tlsSecretName !== undefined ? "https" : "http"}://${e.host}`;
        } else if (e.type === "httpRoute") {
            new k8s.apiextensions.CustomResource(
                `${name}-route`,
                { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", metadata, spec: httpRouteSpec(r, e) },
                { parent: this, dependsOn: [this.service] },
            );
            this.url = `https://${e.host}`;
        }
        this.registerOutputs(this.url === undefined ? { name: this.name } : { name: this.name, url: this.url });
    }
}
