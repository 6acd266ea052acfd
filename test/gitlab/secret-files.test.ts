import { strict as assert } from "node:assert";
import { parse } from "yaml";
import {
    fogConnection,
    registryStorageConfig,
    s3cmdConfig,
    type StorageFileInputs,
} from "../../components/gitlab/secret-files";

const keys = { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "example-secret" };
const aws: StorageFileInputs = { provider: "aws", region: "eu-central-1" };
const google: StorageFileInputs = { provider: "google", region: "europe-west1", googleProject: "acme-prod" };

describe("credential files", () => {
    const cases: Array<{ name: string; inputs: StorageFileInputs; fog: object; registry: object; s3cmd: string }> = [
        {
            name: "AWS with static keys",
            inputs: { ...aws, keys },
            fog: {
                provider: "AWS",
                region: "eu-central-1",
                aws_access_key_id: "AKIAEXAMPLE",
                aws_secret_access_key: "example-secret",
            },
            registry: {
                s3: {
                    bucket: "acme-registry",
                    region: "eu-central-1",
                    v4auth: true,
                    accesskey: "AKIAEXAMPLE",
                    secretkey: "example-secret",
                },
            },
            s3cmd: "[default]\naccess_key = AKIAEXAMPLE\nsecret_key = example-secret\nbucket_location = eu-central-1\n",
        },
        {
            name: "AWS with an IAM role (IRSA)",
            inputs: aws,
            fog: { provider: "AWS", region: "eu-central-1", use_iam_profile: true },
            registry: { s3: { bucket: "acme-registry", region: "eu-central-1", v4auth: true } },
            s3cmd: "[default]\nbucket_location = eu-central-1\n",
        },
        {
            name: "an S3-compatible endpoint",
            inputs: { ...aws, keys, endpoint: "http://minio.minio.svc:9000" },
            fog: {
                provider: "AWS",
                region: "eu-central-1",
                aws_access_key_id: "AKIAEXAMPLE",
                aws_secret_access_key: "example-secret",
                endpoint: "http://minio.minio.svc:9000",
                path_style: true,
            },
            registry: {
                s3: {
                    bucket: "acme-registry",
                    region: "eu-central-1",
                    v4auth: true,
                    accesskey: "AKIAEXAMPLE",
                    secretkey: "example-secret",
                    regionendpoint: "http://minio.minio.svc:9000",
                },
            },
            s3cmd: "[default]\naccess_key = AKIAEXAMPLE\nsecret_key = example-secret\nbucket_location = eu-central-1\nhost_base = minio.minio.svc:9000\nhost_bucket = minio.minio.svc:9000\nuse_https = False\n",
        },
        {
            name: "Google with Workload Identity",
            inputs: google,
            fog: {
                provider: "Google",
                google_project: "acme-prod",
                google_client_email: null,
                google_json_key_string: null,
            },
            registry: { gcs: { bucket: "acme-registry" } },
            s3cmd: "[default]\nbucket_location = europe-west1\n",
        },
    ];
    for (const c of cases) {
        it(`renders ${c.name}`, () => {
            assert.deepEqual(parse(fogConnection(c.inputs)), c.fog);
            assert.deepEqual(parse(registryStorageConfig(c.inputs, "acme-registry")), c.registry);
            assert.equal(s3cmdConfig(c.inputs), c.s3cmd);
        });
    }
});
