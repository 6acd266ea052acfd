import { strict as assert } from "node:assert";
import { unknownCheckingProxy } from "@pulumi/policy";
import { findCredentials, isCredentialKey, tokenKind } from "../../policy/lib/credentials";
import { chartName } from "../../policy/lib/types";
import { plainProps, renderPath } from "../../policy/lib/values";

/** The sentinel the engine sends for an unknown string (what @pulumi/policy's proxy turns into UnknownValueError). */
const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

describe("policy lib: plain properties", () => {
    it("copies proxied properties, reading unknown values as [unknown] instead of throwing", () => {
        const props = unknownCheckingProxy({
            spec: { type: "LoadBalancer", clusterIP: UNKNOWN_SENTINEL, ports: [{ port: 80 }, UNKNOWN_SENTINEL] },
        });
        assert.throws(() => (props.spec as { clusterIP: string }).clusterIP, /can't be known during preview/);
        assert.deepEqual(plainProps(props), {
            spec: { type: "LoadBalancer", clusterIP: "[unknown]", ports: [{ port: 80 }, "[unknown]"] },
        });
    });

    it("names fields as messages do: dotted keys, list indexes, odd keys quoted", () => {
        const table: [(string | number)[], string][] = [
            [["spec", "template", "spec", "containers", 0, "image"], "spec.template.spec.containers[0].image"],
            [["values", "certmanager-issuer", "email"], "values.certmanager-issuer.email"],
            [
                ["metadata", "annotations", "eks.amazonaws.com/role-arn"],
                'metadata.annotations["eks.amazonaws.com/role-arn"]',
            ],
            [["data", "config.toml"], 'data["config.toml"]'],
        ];
        for (const [path, rendered] of table) assert.equal(renderPath(path), rendered);
    });

    it("recognises the chart of a release however it is named", () => {
        const table: [string, string][] = [
            ["gitlab", "gitlab"],
            ["gitlab/gitlab-runner", "gitlab-runner"],
            ["oci://registry.example.com/charts/gitlab-agent:2.20.0", "gitlab-agent"],
        ];
        for (const [chart, name] of table) assert.equal(chartName({ chart }), name);
    });
});

describe("policy lib: credentials", () => {
    it("treats credential-named keys as credentials and Secret references as references", () => {
        const credentials = [
            "password",
            "initialRootPassword",
            "runnerToken",
            "runner-registration-token",
            "secret_access_key",
            "accessKey",
            "apiKey",
            "privateKey",
            "client_secret",
        ];
        const references = [
            "secret",
            "secretName",
            "existingSecret",
            "key",
            "tokenSecret",
            "passwordSecretRef",
            "accessKeyId",
            "tokenTTL",
            "email",
        ];
        assert.deepEqual(
            credentials.filter((k) => !isCredentialKey(k)),
            [],
        );
        assert.deepEqual(
            references.filter((k) => isCredentialKey(k)),
            [],
        );
    });

    it("recognises documented token formats anywhere in a text, and nothing else", () => {
        const table: [string, string | undefined][] = [
            ["glpat-AbCdEfGhIjKlMnOpQrSt", "a GitLab access token (glpat-)"],
            ['token = "glrt-t1_AbCdEfGhIjKlMnOpQrSt"', "a GitLab runner token (glrt-)"],
            ["gldt-AbCdEfGhIjKlMnOpQrSt", "a GitLab deploy token (gldt-)"],
            ["key: AKIAIOSFODNN7EXAMPLE", "an AWS access key ID (AKIA/ASIA)"],
            ["-----BEGIN OPENSSH PRIVATE KEY-----\nabc", "a private key"],
            ["glpat-short", undefined],
            ["https://gitlab.example.com", undefined],
        ];
        for (const [text, kind] of table) assert.equal(tokenKind(text), kind, text);
    });

    it("reports findings by path and kind, never by value", () => {
        const tree = {
            auth: { password: "p4ss", secret: "gitlab-redis", key: "password" },
            note: "glpat-AbCdEfGhIjKlMnOpQrSt",
            hidden: "[secret]",
            later: "[unknown]",
            token: "",
        };
        assert.deepEqual(findCredentials(tree, { secretMarker: true }), [
            { path: ["auth", "password"], kind: "key" },
            { path: ["note"], kind: "token", token: "a GitLab access token (glpat-)" },
            { path: ["hidden"], kind: "secret" },
        ]);
    });
});
