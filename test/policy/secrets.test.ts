import { strict as assert } from "node:assert";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { k8sConfigMapNoCredentials, k8sSecretDataSecret } from "../../policy/secrets";
import { record } from "../helpers/pulumi";
import { messages, resource } from "./support";

const SECRET = "kubernetes:core/v1:Secret";
const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";

describe("policy k8s-secret-data-secret", () => {
    it("passes a Secret declared with @pulumi/kubernetes, whose data the SDK marks secret", async () => {
        const rec = await record(
            () => {
                new k8s.core.v1.Secret("db", {
                    metadata: { name: "db" },
                    stringData: { password: "from-config" },
                    data: { ca: "LS0t" },
                });
            },
            { preview: true },
        );
        const secret = rec.one(SECRET);
        assert.equal(secret.inputs.stringData, "[secret]");
        assert.deepEqual(await messages(k8sSecretDataSecret, secret), []);
    });

    it("refuses, entry by entry, Secret data that reaches the engine in plain text", async () => {
        const plain = resource(SECRET, {
            metadata: { name: "db" },
            stringData: { password: "p4ss", host: "[secret]" },
            data: { "tls.key": "LS0t" },
        });
        assert.deepEqual(await messages(k8sSecretDataSecret, plain), [
            'data["tls.key"]: not marked secret (expected pulumi.secret(...) values)',
            "stringData.password: not marked secret (expected pulumi.secret(...) values)",
        ]);
    });

    it("accepts fields the engine reports in additionalSecretOutputs, which is how the CLI shows secret-marked data", async () => {
        const plain = resource(SECRET, { metadata: { name: "db" }, stringData: { password: "decrypted-by-the-cli" } });
        assert.deepEqual(
            await messages(k8sSecretDataSecret, plain, {}, (req) =>
                req.getOptions()!.setAdditionalsecretoutputsList(["data", "stringData"]),
            ),
            [],
        );
    });
});

describe("policy k8s-configmap-no-credentials", () => {
    it("passes a ConfigMap of plain settings", async () => {
        const cm = resource(CONFIG_MAP, {
            metadata: { name: "web" },
            data: { LOG_LEVEL: "info", "nginx.conf": "server { listen 8080; }", SECRET_NAME: "web-db" },
        });
        assert.deepEqual(await messages(k8sConfigMapNoCredentials, cm), []);
    });

    it("names credentials by key, token formats inside files, and secret values", async () => {
        const rec = await record(
            () => {
                new k8s.core.v1.ConfigMap("web", {
                    metadata: { name: "web" },
                    data: {
                        DB_PASSWORD: "p4ss",
                        "config.toml": 'token = "glrt-t1_AbCdEfGhIjKlMnOpQrSt"',
                        API_URL: pulumi.secret("https://user:pw@api"),
                    },
                });
            },
            { preview: true },
        );
        assert.deepEqual(await messages(k8sConfigMapNoCredentials, rec.one(CONFIG_MAP)), [
            "data.API_URL: a secret value in a ConfigMap (expected it in a Secret)",
            "data.DB_PASSWORD: a credential in a ConfigMap (expected it in a Secret)",
            'data["config.toml"]: contains a GitLab runner token (glrt-) (expected it in a Secret)',
        ]);
    });
});
