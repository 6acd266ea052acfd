import { strict as assert } from "node:assert";
import { App } from "../../components/apps/app";
import { appArgsSpec, appRules, resolveApp } from "../../components/apps/spec";
import { InvalidArgsError } from "../../components/errors";
import { record } from "../helpers/pulumi";
import { validateAll } from "../helpers/schema";
import { lines } from "../helpers/problems";

const IMAGE = "docker.io/nginxinc/nginx-unprivileged:1.30.4-alpine";

/** The rules of App args as the component applies them: parsed (defaults), resolved, checked. */
const rulesOf = (name: string, args: unknown) => {
    const { namespace: _, ...settings } = appArgsSpec.parse(args);
    return lines(appRules(resolveApp(name, settings)));
};

describe("App", () => {
    it("declares the seed's app: a hardened Deployment and a LoadBalancer Service on 80 -> 8080", async () => {
        const rec = await record(() => new App("nginx-example", { image: IMAGE, exposure: { type: "loadBalancer" } }));
        const component = rec.one("gitlab-platform:apps:App", "nginx-example");
        assert.deepEqual(rec.childrenOf(component), [
            "kubernetes:apps/v1:Deployment/nginx-example-deployment",
            "kubernetes:core/v1:Service/nginx-example-service",
        ]);

        const labels = { "app.kubernetes.io/name": "nginx-example", "app.kubernetes.io/managed-by": "pulumi" };
        const deployment = rec.one("kubernetes:apps/v1:Deployment");
        assert.deepEqual(deployment.inputs.metadata, { name: "nginx-example", namespace: "default", labels });
        assert.deepEqual(deployment.inputs.spec, {
            replicas: 1,
            selector: { matchLabels: { "app.kubernetes.io/name": "nginx-example" } },
            template: {
                metadata: { labels },
                spec: {
                    automountServiceAccountToken: false,
                    securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
                    containers: [
                        {
                            name: "nginx-example",
                            image: IMAGE,
                            ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }],
                            resources: {
                                requests: { cpu: "50m", memory: "64Mi" },
                                limits: { cpu: "500m", memory: "256Mi" },
                            },
                            readinessProbe: {
                                httpGet: { path: "/", port: "http" },
                                initialDelaySeconds: 5,
                                periodSeconds: 10,
                                failureThreshold: 3,
                            },
                            livenessProbe: {
                                httpGet: { path: "/", port: "http" },
                                initialDelaySeconds: 10,
                                periodSeconds: 20,
                                failureThreshold: 3,
                            },
                            securityContext: {
                                runAsNonRoot: true,
                                readOnlyRootFilesystem: true,
                                allowPrivilegeEscalation: false,
                                capabilities: { drop: ["ALL"] },
                                seccompProfile: { type: "RuntimeDefault" },
                            },
                            volumeMounts: [{ name: "writable-0", mountPath: "/tmp" }],
                        },
                    ],
                    volumes: [{ name: "writable-0", emptyDir: {} }],
                },
            },
        });

        const service = rec.one("kubernetes:core/v1:Service");
        assert.deepEqual(service.inputs.spec, {
            type: "LoadBalancer",
            selector: { "app.kubernetes.io/name": "nginx-example" },
            ports: [{ name: "http", port: 80, targetPort: 8080, protocol: "TCP" }],
        });
        assert.equal(await validateAll(rec.resources), 2);
    });

    it("defaults to a ClusterIP Service and nothing public", async () => {
        const rec = await record(() => new App("api", { image: IMAGE, namespace: "team-a" }));
        assert.equal((rec.one("kubernetes:core/v1:Service").inputs.spec as { type: string }).type, "ClusterIP");
        assert.equal(rec.ofType("kubernetes:networking.k8s.io/v1:Ingress").length, 0);
        assert.equal(
            (rec.one("kubernetes:apps/v1:Deployment").inputs.metadata as { namespace: string }).namespace,
            "team-a",
        );
    });

    it("routes a host through an Ingress with TLS, after the Service", async () => {
        const rec = await record(
            () =>
                new App("web", {
                    image: IMAGE,
                    replicas: 2,
                    runAsUser: 101,
                    env: { LOG_LEVEL: "info" },
                    imagePullSecrets: ["registry-auth"],
                    resources: { limits: { memory: "512Mi" } },
                    exposure: {
                        type: "ingress",
                        host: "web.example.com",
                        className: "nginx",
                        tlsSecretName: "web-tls",
                    },
                }),
        );
        const component = rec.one("gitlab-platform:apps:App", "web");
        assert.deepEqual(rec.childrenOf(component), [
            "kubernetes:apps/v1:Deployment/web-deployment",
            "kubernetes:core/v1:Service/web-service",
            "kubernetes:networking.k8s.io/v1:Ingress/web-ingress",
        ]);
        const ingress = rec.one("kubernetes:networking.k8s.io/v1:Ingress");
        assert.deepEqual(ingress.inputs.spec, {
            ingressClassName: "nginx",
            rules: [
                {
                    host: "web.example.com",
                    http: {
                        paths: [
                            {
                                path: "/",
                                pathType: "Prefix",
                                backend: { service: { name: "web", port: { number: 80 } } },
                            },
                        ],
                    },
                },
            ],
            tls: [{ hosts: ["web.example.com"], secretName: "web-tls" }],
        });
        assert.ok(ingress.dependsOn.includes(rec.one("kubernetes:core/v1:Service").urn));

        const pod = (
            rec.one("kubernetes:apps/v1:Deployment").inputs.spec as { template: { spec: Record<string, unknown> } }
        ).template.spec;
        assert.deepEqual(pod.securityContext, {
            runAsNonRoot: true,
            seccompProfile: { type: "RuntimeDefault" },
            runAsUser: 101,
            runAsGroup: 101,
            fsGroup: 101,
        });
        assert.deepEqual(pod.imagePullSecrets, [{ name: "registry-auth" }]);
        const container = (pod.containers as Record<string, unknown>[])[0];
        assert.deepEqual(container.env, [{ name: "LOG_LEVEL", value: "info" }]);
        assert.deepEqual(container.resources, {
            requests: { cpu: "50m", memory: "64Mi" },
            limits: { cpu: "500m", memory: "512Mi" },
        });
        assert.equal(await validateAll(rec.resources), 3);
    });

    it("routes a host through a Gateway API HTTPRoute", async () => {
        const rec = await record(
            () =>
                new App("web", {
                    image: IMAGE,
                    exposure: {
                        type: "httpRoute",
                        host: "web.example.com",
                        gateway: { name: "gitlab-gw", namespace: "gitlab", sectionName: "https" },
                    },
                }),
        );
        const route = rec.one("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", "web-route");
        assert.deepEqual(route.inputs.spec, {
            parentRefs: [{ name: "gitlab-gw", namespace: "gitlab", sectionName: "https" }],
            hostnames: ["web.example.com"],
            rules: [
                { matches: [{ path: { type: "PathPrefix", value: "/" } }], backendRefs: [{ name: "web", port: 80 }] },
            ],
        });
        // No schema package covers Gateway API; the built-in kinds are validated.
        assert.equal(await validateAll(rec.resources.filter((r) => r !== route)), 2);
    });

    it("rejects untagged and :latest images, bad ports, paths and names before declaring anything", async () => {
        assert.deepEqual(
            rulesOf("Web_App", {
                image: "nginx",
                containerPort: 70000,
                replicas: -1,
                healthPath: "healthz",
                resources: { limits: { memory: "512MB" } },
                exposure: { type: "ingress", host: "not a host", className: "Not A Class" },
            }),
            [
                'image: "nginx" has neither a tag nor a digest (expected repository:tag or repository@sha256:<digest>, e.g. "nginx:1.2.3")',
                'name: "Web_App" is not a DNS-1035 label (expected a lowercase letter first, then letters, digits or "-", at most 63)',
                "replicas: -1 is not a whole number >= 0 (expected e.g. 2)",
                "containerPort: 70000 is not a port (expected 1-65535)",
                'healthPath: "healthz" is not an absolute path (expected e.g. "/healthz")',
                'resources.limits.memory: "512MB" is not a Kubernetes quantity (expected e.g. 500m, 2, 512Mi, 4Gi, 1e3)',
                'exposure.host: "not a host" is not a DNS name (expected e.g. "app.example.com")',
                'exposure.className: "Not A Class" is not an IngressClass name (expected the name of an IngressClass a controller serves, e.g. nginx)',
            ],
        );
        assert.deepEqual(rulesOf("web", { image: "nginx:latest", allowLatest: true }), []);
        await assert.rejects(
            record(() => new App("web", { image: "nginx:latest" })),
            (err: unknown) =>
                err instanceof InvalidArgsError &&
                err.component === "App" &&
                /moving tag "latest"/.test(err.problems[0].message),
        );
    });

    it("refuses a class-less Ingress, naming the key, before registering anything", async () => {
        let caught: unknown;
        const rec = await record(() => {
            try {
                new App("web", { image: IMAGE, exposure: { type: "ingress", host: "web.example.com" } as never });
            } catch (err) {
                caught = err;
            }
        });
        assert.ok(caught instanceof InvalidArgsError);
        assert.deepEqual(lines(caught.problems), ["exposure.className: missing required key (expected string)"]);
        assert.deepEqual(
            rec.resources.map((r) => r.type).filter((t) => t !== "pulumi:pulumi:Stack"),
            [],
        );
    });

    it("refuses a misspelled setting with a suggestion, and a CPU that is no Kubernetes quantity", () => {
        assert.throws(
            () => new App("web", { image: IMAGE, replica: 2 } as never),
            (err: unknown) =>
                err instanceof InvalidArgsError &&
                lines(err.problems).join() === 'replica: unknown key (did you mean "replicas"?)',
        );
        assert.throws(
            () => new App("web", { image: IMAGE, resources: { limits: { cpu: "1 core" } } }),
            (err: unknown) =>
                err instanceof InvalidArgsError &&
                lines(err.problems).join() ===
                    'resources.limits.cpu: "1 core" is not a Kubernetes quantity (expected e.g. 500m, 2, 512Mi, 4Gi, 1e3)',
        );
    });
});
