import { strict as assert } from "node:assert";
import { gatewayTlsIssuer } from "../../policy/gateway-tls";
import { plan } from "../helpers/pulumi";
import { findings, resource } from "./support";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const CLUSTER_ISSUER = "kubernetes:cert-manager.io/v1:ClusterIssuer";

const release = (values: Record<string, unknown>) =>
    resource(RELEASE, { chart: "gitlab", version: "10.2.3", values }, { name: "gitlab-release" });
const certManager = (enableGatewayAPI: unknown = true) => ({
    installCertmanager: true,
    certmanager: { config: { enableGatewayAPI } },
});
const dns01Values = (issuer = "gitlab-gitlab-acme-dns01") => ({
    global: { gatewayApi: { enabled: true, configureCertmanager: false } },
    ...certManager(),
    gatewayApiResources: { gateway: { annotations: { "cert-manager.io/cluster-issuer": issuer } } },
});
const clusterIssuer = (name: string, solvers: unknown[]) =>
    resource(
        CLUSTER_ISSUER,
        { apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", metadata: { name }, spec: { acme: { solvers } } },
        { name: `${name}-cr` },
    );
const DNS01 = [{ dns01: { route53: { region: "eu-central-1", hostedZoneID: "Z0PRODZONE000000000" } } }];

describe("policy gateway-tls-issuer", () => {
    it("passes the chart's HTTP-01 Gateway issuer with cert-manager reading Gateways", async () => {
        assert.deepEqual(
            await findings(gatewayTlsIssuer, [
                release({ global: { gatewayApi: { enabled: true, configureCertmanager: true } }, ...certManager() }),
            ]),
            [],
        );
    });

    it("passes a DNS-01 ClusterIssuer the stack declares and the Gateway names", async () => {
        assert.deepEqual(
            await findings(gatewayTlsIssuer, [
                release(dns01Values()),
                clusterIssuer("gitlab-gitlab-acme-dns01", DNS01),
            ]),
            [],
        );
    });

    it("passes listeners on the user's own certificate, and NGINX releases", async () => {
        const ref = { tls: { mode: "Terminate", certificateRefs: [{ name: "wildcard-tls" }] } };
        assert.deepEqual(
            await findings(gatewayTlsIssuer, [
                release({
                    global: { gatewayApi: { enabled: true, configureCertmanager: false } },
                    installCertmanager: false,
                    gatewayApiResources: {
                        gateway: { listeners: { "gitlab-web": ref, "registry-web": ref, "kas-web": ref } },
                    },
                }),
            ]),
            [],
        );
        assert.deepEqual(
            await findings(gatewayTlsIssuer, [release({ global: { gatewayApi: { enabled: false } } })]),
            [],
        );
    });

    it("refuses cert-manager issuing for the Gateway without Gateway API enabled", async () => {
        assert.deepEqual(
            await findings(gatewayTlsIssuer, [
                release({ global: { gatewayApi: { configureCertmanager: true } }, ...certManager(false) }),
            ]),
            [
                "gitlab-release: values certmanager.config.enableGatewayAPI: is false while cert-manager issues the Gateway's certificates (expected true: cert-manager reads Gateways only then)",
            ],
        );
    });

    it("refuses a Gateway naming an issuer the stack does not declare, or one that only solves through an Ingress", async () => {
        assert.deepEqual(await findings(gatewayTlsIssuer, [release(dns01Values("missing"))]), [
            "gitlab-release: values gatewayApiResources.gateway.annotations: ClusterIssuer missing is not declared by this stack (expected the ClusterIssuer the Gateway names)",
        ]);
        assert.deepEqual(
            await findings(gatewayTlsIssuer, [
                release(dns01Values("ingress-only")),
                clusterIssuer("ingress-only", [{ http01: { ingress: { class: "nginx" } } }]),
            ]),
            [
                "gitlab-release: ClusterIssuer ingress-only: solves only HTTP-01 through an Ingress, which no Gateway serves (expected a dns01 solver or http01.gatewayHTTPRoute)",
            ],
        );
    });

    it("refuses a Gateway whose listeners have neither an issuer nor a certificate", async () => {
        assert.deepEqual(
            await findings(gatewayTlsIssuer, [
                release({ global: { gatewayApi: { enabled: true, configureCertmanager: false } }, ...certManager() }),
            ]),
            [
                "gitlab-release: values gatewayApiResources.gateway: no issuer for the listeners gitlab-web, registry-web, kas-web (global.gatewayApi.configureCertmanager is not true, no cert-manager.io issuer annotation) and not every listener references a certificate Secret (expected one of them)",
            ],
        );
    });

    it("passes the prod plan (Route 53 DNS-01) and the dev plan (HTTP-01)", async () => {
        for (const stack of ["prod", "dev"]) {
            const p = await plan(stack);
            assert.deepEqual(await findings(gatewayTlsIssuer, p.recorded.resources), [], stack);
        }
    });
});
