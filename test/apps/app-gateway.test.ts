import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import { parse } from "yaml";
import { AppGateway } from "../../components/apps/app-gateway";
import { buildDns01Policy, gatewaySpec } from "../../components/apps/gateway";
import { parseImage } from "../../components/apps/image";
import { InvalidArgsError } from "../../components/errors";
import { argProblems } from "../helpers/problems";
import { record, ROOT } from "../helpers/pulumi";

const oidc = {
    providerArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/ABC",
    issuer: "oidc.eks.eu-central-1.amazonaws.com/id/ABC",
};
const route53 = {
    type: "route53",
    email: "ops@example.com",
    hostedZoneId: "Z0123456789ABC",
    oidc,
    region: "eu-central-1",
    certManager: { namespace: "gitlab", serviceAccountName: "gitlab-certmanager" },
} as const;

describe("AppGateway", () => {
    it("declares a wildcard HTTPS listener per domain that admits routes only from labelled namespaces", () => {
        const spec = gatewaySpec("gitlab-gw", ["apps.example.com", "review.example.com"], "apps-wildcard-tls");
        assert.equal(spec.gatewayClassName, "gitlab-gw");
        assert.deepEqual(
            spec.listeners.map((l) => [l.name, l.hostname, l.port, l.protocol]),
            [
                ["https-0", "*.apps.example.com", 443, "HTTPS"],
                ["https-1", "*.review.example.com", 443, "HTTPS"],
            ],
        );
        assert.deepEqual(spec.listeners[0].allowedRoutes.namespaces, {
            from: "Selector",
            selector: { matchLabels: { "gitlab-platform/app-routes": "true" } },
        });
        assert.deepEqual(spec.listeners[1].tls.certificateRefs, [{ kind: "Secret", name: "apps-wildcard-tls" }]);
    });

    it("with route53: a DNS-01 Issuer whose role may write TXT records of one zone, and a wildcard Certificate", async () => {
        const rec = await record(
            () => new AppGateway("apps", { domains: ["apps.example.com", "review.example.com"], tls: route53 }),
        );
        const component = rec.one("gitlab-platform:apps:AppGateway", "apps");
        assert.deepEqual(rec.childrenOf(component), [
            "aws:iam/role:Role/apps-dns01",
            "aws:iam/rolePolicy:RolePolicy/apps-dns01",
            "kubernetes:cert-manager.io/v1:Certificate/apps-certificate",
            "kubernetes:cert-manager.io/v1:Issuer/apps-issuer",
            "kubernetes:core/v1:Namespace/apps-namespace",
            "kubernetes:core/v1:ServiceAccount/apps-dns01",
            "kubernetes:gateway.networking.k8s.io/v1:Gateway/apps-gateway",
            "kubernetes:rbac.authorization.k8s.io/v1:Role/apps-dns01-token",
            "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding/apps-dns01-token",
        ]);
        const issuer = rec.one("kubernetes:cert-manager.io/v1:Issuer");
        const solver = (issuer.inputs.spec as { acme: { solvers: { dns01: { route53: Record<string, unknown> } }[] } })
            .acme.solvers[0].dns01.route53;
        assert.equal(solver.hostedZoneID, "Z0123456789ABC");
        assert.deepEqual(solver.auth, { kubernetes: { serviceAccountRef: { name: "apps-dns01" } } });
        const cert = rec.one("kubernetes:cert-manager.io/v1:Certificate");
        assert.deepEqual((cert.inputs.spec as { dnsNames: string[] }).dnsNames, [
            "*.apps.example.com",
            "*.review.example.com",
        ]);
        assert.ok(cert.dependsOn.includes(issuer.urn));
        const binding = rec.one("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding");
        assert.deepEqual(binding.inputs.subjects, [
            { kind: "ServiceAccount", name: "gitlab-certmanager", namespace: "gitlab" },
        ]);
        const trust = JSON.parse(String(rec.one("aws:iam/role:Role").inputs.assumeRolePolicy)) as {
            Statement: { Condition: { StringEquals: Record<string, string> } }[];
        };
        assert.deepEqual(trust.Statement[0].Condition.StringEquals, {
            "oidc.eks.eu-central-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:app-gateway:apps-dns01",
        });
        const policy = buildDns01Policy("aws", "Z0123456789ABC");
        assert.deepEqual(
            policy.Statement.map((s) => s.Resource),
            ["arn:aws:route53:::hostedzone/Z0123456789ABC", "arn:aws:route53:::change/*"],
        );
    });

    it("with an existing Secret: no issuer and no certificate", async () => {
        const rec = await record(
            () =>
                new AppGateway("apps", { domains: ["apps.example.com"], tls: { type: "secret", secretName: "wild" } }),
        );
        assert.equal(rec.ofType("kubernetes:cert-manager.io/v1:Certificate").length, 0);
        const gw = rec.one("kubernetes:gateway.networking.k8s.io/v1:Gateway");
        assert.deepEqual((gw.inputs.spec as { listeners: { tls: unknown }[] }).listeners[0].tls, {
            mode: "Terminate",
            certificateRefs: [{ kind: "Secret", name: "wild" }],
        });
    });

    it("refuses bad domains and names, every one, before registering anything", async () => {
        assert.deepEqual(
            argProblems(
                () =>
                    new AppGateway("apps", {
                        domains: ["*.apps.example.com", "x.example.com", "x.example.com"],
                        namespace: "App_Gateway",
                        tls: { ...route53, email: "nobody" },
                    }),
            ),
            [
                'domains[0]: "*.apps.example.com" is not a DNS name (expected the domain the apps live under, e.g. apps.example.com, without "*.")',
                'domains[2]: "x.example.com" is listed twice (expected each domain once)',
                'namespace: "App_Gateway" is not a DNS label (expected e.g. apps)',
                'tls.email: "nobody" is not an e-mail address (expected the ACME account\'s address)',
            ],
        );
        let caught: unknown;
        const rec = await record(() => {
            try {
                new AppGateway("apps", { domains: [], tls: { type: "selfSigned" } });
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
});

/**
 * The example apps of the committed stacks pull from public registries, pinned, and never from the
 * registry a platform stack creates (`registry.<gitlab domain>`): the first up cannot wait for an image
 * nobody has pushed, and the prod status page must answer when GitLab is down.
 */
describe("example app images", () => {
    const PUBLIC_REGISTRIES = ["docker.io", "registry.k8s.io", "quay.io", "public.ecr.aws", "mcr.microsoft.com"];
    const stackImages = (stack: string): string[] => {
        const doc = parse(fs.readFileSync(`${ROOT}/Pulumi.${stack}.yaml`, "utf8")) as {
            config: Record<string, unknown>;
        };
        const apps = (doc.config["gitlab-platform:apps"] ?? []) as { image: string }[];
        const review = (doc.config["gitlab-platform:reviewApps"] ?? { apps: [] }) as { apps: { image: string }[] };
        return [...apps, ...review.apps].map((a) => a.image);
    };

    /** Problems of one image reference: not on an allowed public registry, or not pinned. */
    const imageProblems = (image: string): string[] => {
        const ref = parseImage(image);
        const registry = ref.repository.split("/")[0];
        const problems: string[] = [];
        if (!PUBLIC_REGISTRIES.includes(registry))
            problems.push(`${image}: registry ${registry} is not a known public one`);
        if (ref.digest === undefined && !/^\d+\.\d+\.\d+/.test(ref.tag ?? ""))
            problems.push(`${image}: neither a digest nor an exact version tag`);
        return problems;
    };

    for (const stack of ["dev-workloads", "prod-workloads"])
        it(`${stack}: public, pinned, not from the registry the platform stack creates`, () => {
            const images = stackImages(stack);
            assert.ok(images.length > 0);
            assert.deepEqual(images.flatMap(imageProblems), []);
        });

    it("refuses the old placeholders and the stack's own registry", () => {
        assert.equal(imageProblems("ghcr.io/gitlab-platform-example/status-page:2.3.1").length, 1);
        assert.equal(imageProblems("ghcr.io/gitlab-platform-example/web:0a1b2c3d").length, 2);
        assert.equal(imageProblems("registry.gitlab-platform.example/apps/web:1.0.0").length, 1);
        assert.equal(imageProblems("docker.io/nginxinc/nginx-unprivileged:1.30-alpine").length, 1);
    });
});
