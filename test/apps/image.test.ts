import { strict as assert } from "node:assert";
import { parseImage, validateImage } from "../../components/apps/image";
import { lines } from "../helpers/problems";

const DIGEST = `sha256:${"0123456789abcdef".repeat(4)}`;

describe("image references", () => {
    it("splits repository, tag and digest, a registry port not being a tag", () => {
        const table: [string, ReturnType<typeof parseImage>][] = [
            ["nginx", { repository: "nginx", digest: undefined }],
            [
                "nginxinc/nginx-unprivileged:1.29.3",
                { repository: "nginxinc/nginx-unprivileged", tag: "1.29.3", digest: undefined },
            ],
            ["registry.example.com:5050/g/app", { repository: "registry.example.com:5050/g/app", digest: undefined }],
            [
                "registry.example.com:5050/g/app:0a1b2c3d",
                { repository: "registry.example.com:5050/g/app", tag: "0a1b2c3d", digest: undefined },
            ],
            [`registry.example.com/g/app@${DIGEST}`, { repository: "registry.example.com/g/app", digest: DIGEST }],
            [`app:1.0@${DIGEST}`, { repository: "app", tag: "1.0", digest: DIGEST }],
        ];
        for (const [image, want] of table) assert.deepStrictEqual(parseImage(image), want, image);
    });

    it("accepts exact tags and digests", () => {
        for (const image of [
            "nginxinc/nginx-unprivileged:1.29.3",
            `app@${DIGEST}`,
            "registry.example.com:5050/g/app:0a1b2c3d",
            `app:latest@${DIGEST}`,
        ]) {
            assert.deepStrictEqual(lines(validateImage(image, false)), [], image);
        }
    });

    it("rejects untagged images, :latest unless allowed, and malformed parts", () => {
        const table: [string, boolean, string[]][] = [
            [
                "nginx",
                false,
                [
                    'image: "nginx" has neither a tag nor a digest (expected repository:tag or repository@sha256:<digest>, e.g. "nginx:1.2.3")',
                ],
            ],
            [
                "registry.example.com:5050/g/app",
                false,
                [
                    'image: "registry.example.com:5050/g/app" has neither a tag nor a digest (expected repository:tag or repository@sha256:<digest>, e.g. "registry.example.com:5050/g/app:1.2.3")',
                ],
            ],
            [
                "nginx:latest",
                false,
                [
                    'image: "nginx:latest" uses the moving tag "latest" (expected an exact tag or a digest; set allowLatest: true to accept it)',
                ],
            ],
            ["nginx:latest", true, []],
            [
                "app@sha256:abc",
                false,
                [
                    'image: digest "sha256:abc" is not a sha256 digest (expected sha256: and 64 lowercase hex characters)',
                ],
            ],
            ["app:-bad", false, ['image: tag "-bad" is not a valid tag (expected [A-Za-z0-9_][A-Za-z0-9_.-]{0,127})']],
            [
                "",
                false,
                ['image: "" is not an image reference (expected repository:tag or repository@sha256:<digest>)'],
            ],
            [
                "my app:1",
                false,
                ['image: "my app:1" is not an image reference (expected repository:tag or repository@sha256:<digest>)'],
            ],
        ];
        for (const [image, allowLatest, want] of table)
            assert.deepStrictEqual(lines(validateImage(image, allowLatest)), want, image);
    });
});
