import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { reviewSlug } from "../../components/apps/naming";
import { ReviewApp } from "../../components/apps/review-app";
import { reviewAppArgsSpec, reviewAppRules } from "../../components/apps/spec";
import { InvalidArgsError } from "../../components/errors";
import { record } from "../helpers/pulumi";
import { validateAll } from "../helpers/schema";
import { argProblems, lines } from "../helpers/problems";

const IMAGE = "registry.example.com/g/shop:0a1b2c3d";
const INGRESS = { type: "ingress", className: "nginx" } as const;

describe("ReviewApp", () => {
    it("declares a labelled namespace, quota, limits and the App at <slug>.<domain>", async () => {
        const branch = "feature/Checkout-Ünïcode";
        const slug = reviewSlug(branch);
        let app: ReviewApp | undefined;
        const rec = await record(() => {
            app = new ReviewApp("shop", {
                branch,
                domain: "review.example.com",
                app: { image: IMAGE },
                route: INGRESS,
            });
        });
        const component = rec.one("gitlab-platform:apps:ReviewApp", "shop");
        assert.deepEqual(rec.childrenOf(component), [
            "gitlab-platform:apps:App/shop-app",
            "kubernetes:core/v1:LimitRange/shop-limits",
            "kubernetes:core/v1:Namespace/shop-namespace",
            "kubernetes:core/v1:ResourceQuota/shop-quota",
        ]);
        assert.equal(app?.namespace, `review-${slug}`);
        assert.equal(app?.url, `http://${slug}.review.example.com`);

        const ns = rec.one("kubernetes:core/v1:Namespace");
        assert.deepEqual(ns.inputs.metadata, {
            name: `review-${slug}`,
            labels: {
                "gitlab-platform/review-app": "true",
                "gitlab-platform/review-slug": slug,
                "app.kubernetes.io/managed-by": "pulumi",
                "pod-security.kubernetes.io/enforce": "restricted",
                "gitlab-platform/app-routes": "true",
            },
            annotations: { "gitlab-platform/branch": branch },
        });
        const quota = rec.one("kubernetes:core/v1:ResourceQuota");
        assert.deepEqual(quota.inputs, {
            apiVersion: "v1",
            kind: "ResourceQuota",
            metadata: { name: "review-app", namespace: `review-${slug}` },
            spec: {
                hard: {
                    "limits.cpu": "2",
                    "limits.memory": "2Gi",
                    persistentvolumeclaims: "0",
                    pods: "10",
                    "requests.cpu": "1",
                    "requests.memory": "1Gi",
                    "services.loadbalancers": "0",
                    "services.nodeports": "0",
                },
            },
        });
        const limits = rec.one("kubernetes:core/v1:LimitRange");
        assert.deepEqual(limits.inputs.spec, {
            limits: [
                {
                    type: "Container",
                    defaultRequest: { cpu: "50m", memory: "64Mi" },
                    default: { cpu: "500m", memory: "256Mi" },
                    max: { cpu: "1", memory: "1Gi" },
                },
            ],
        });

        const ingress = rec.one("kubernetes:networking.k8s.io/v1:Ingress", "shop-app-ingress");
        assert.equal(
            (ingress.inputs.spec as { rules: { host: string }[] }).rules[0].host,
            `${slug}.review.example.com`,
        );
        assert.equal((ingress.inputs.metadata as { namespace: string }).namespace, `review-${slug}`);

        // The App's first objects wait for the quota and limits, so its pods are admitted with them.
        const deployment = rec.one("kubernetes:apps/v1:Deployment", "shop-app-deployment");
        for (const dep of [quota.urn, limits.urn, ns.urn]) assert.ok(deployment.dependsOn.includes(dep), dep);
        assert.equal(await validateAll(rec.resources), 6);
    });

    it("creates the pull secret from registry credentials, as a secret, and uses it", async () => {
        const rec = await record(
            () =>
                new ReviewApp("shop", {
                    branch: "main",
                    domain: "review.example.com",
                    app: { image: IMAGE, name: "shop" },
                    pullSecret: {
                        server: "registry.example.com",
                        username: "gitlab-deploy-token",
                        password: pulumi.secret("gldt-x"),
                    },
                    quota: { pods: "4" },
                    route: { type: "httpRoute", gateway: { name: "gitlab-gw", namespace: "gitlab" } },
                }),
        );
        const secret = rec.one("kubernetes:core/v1:Secret", "shop-registry-auth");
        // The provider marks all of stringData secret; the value never reaches the plan.
        assert.deepEqual(secret.inputs, {
            apiVersion: "v1",
            kind: "Secret",
            metadata: { name: "registry-auth", namespace: "review-main" },
            type: "kubernetes.io/dockerconfigjson",
            stringData: "[secret]",
        });
        const pod = (
            rec.one("kubernetes:apps/v1:Deployment").inputs.spec as {
                template: { spec: { imagePullSecrets: unknown } };
            }
        ).template.spec;
        assert.deepEqual(pod.imagePullSecrets, [{ name: "registry-auth" }]);
        assert.ok(rec.one("kubernetes:apps/v1:Deployment").dependsOn.includes(secret.urn));
        assert.equal(
            (rec.one("kubernetes:core/v1:ResourceQuota").inputs.spec as { hard: { pods: string } }).hard.pods,
            "4",
        );
        const route = rec.one("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute");
        assert.deepEqual((route.inputs.spec as { hostnames: string[] }).hostnames, ["main.review.example.com"]);
        assert.equal(await validateAll(rec.resources.filter((r) => r !== route)), 6);
    });

    it("names every problem, the App's included", () => {
        assert.deepEqual(
            lines(
                reviewAppRules(
                    reviewAppArgsSpec.parse({
                        branch: " ",
                        domain: "Review_Domain",
                        app: { image: "shop" },
                        route: { type: "ingress", className: "Bad Class" },
                        quota: { "requests.cpu": "lots" },
                        containerLimits: { max: { memory: "1 GB" } },
                    }),
                    "shop",
                ),
            ),
            [
                "branch: is empty (expected the branch name, e.g. $CI_COMMIT_REF_NAME)",
                'domain: "Review_Domain" is not a DNS name (expected e.g. "review.example.com")',
                'quota.requests.cpu: "lots" is not a Kubernetes quantity (expected e.g. 500m, 2, 512Mi, 4Gi, 1e3)',
                'containerLimits.max.memory: "1 GB" is not a Kubernetes quantity (expected e.g. 500m, 2, 512Mi, 4Gi, 1e3)',
                'route.className: "Bad Class" is not an IngressClass name (expected the name of an IngressClass a controller serves, e.g. nginx)',
                'app.image: "shop" has neither a tag nor a digest (expected repository:tag or repository@sha256:<digest>, e.g. "shop:1.2.3")',
            ],
        );
    });

    it("refuses bad args before registering anything (not even the component)", async () => {
        let caught: unknown;
        const rec = await record(() => {
            try {
                new ReviewApp("shop", {
                    branch: "main",
                    domain: "review.example.com",
                    app: { image: "shop" },
                    route: INGRESS,
                });
            } catch (err) {
                caught = err;
            }
        });
        assert.ok(caught instanceof InvalidArgsError);
        assert.deepEqual(
            rec.resources.map((r) => r.type).filter((t) => t !== "pulumi:pulumi:Stack"),
            [],
        );
    });

    it("has no default route: a class-less Ingress is served by nobody", () => {
        assert.deepEqual(
            argProblems(
                () =>
                    new ReviewApp("shop", {
                        branch: "main",
                        domain: "review.example.com",
                        app: { image: IMAGE },
                    } as never),
            ),
            ["route: missing required key (expected object)"],
        );
        assert.deepEqual(
            argProblems(() => new ReviewApp("shop", undefined as never)),
            ["no arguments (expected the ReviewAppArgs object)"],
        );
    });
});
