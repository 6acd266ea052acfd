import * as pulumi from "@pulumi/pulumi";
import { type Problem, assertValid, joinPath } from "../errors";
import { issueProblems, parseArgs } from "../internal/spec-kit";
import { GITLAB_BUCKET_TYPES, type GitLabBucketType, type GitLabDataServices } from "./connection";
import { bucketNameProblem, hostnameProblem, portProblem } from "./naming";
import { bucketTypeSlug, gitlabBucketNames } from "./aws-naming";
import { awsRegionProblem } from "../network/aws-network";
import { existingDataServicesSpec, type ResolvedExistingDataSettings } from "./spec";

/**
 * GitLab's external services when they already exist (a managed database, a Redis service, buckets made
 * elsewhere): endpoints from configuration, checked and turned into the {@link GitLabDataServices}
 * interface. Nothing is declared, so this is a pure function, not a component.
 */

/** An existing PostgreSQL server (17 for chart 10.x). */
export interface ExistingPostgresSettings {
    /** Host name or IPv4 address, without scheme or port. */
    host: string;
    /**
     * TCP port.
     * @default 5432 (`POSTGRES_DEFAULT_PORT`)
     */
    port?: number;
    /**
     * Database GitLab owns.
     * @default "gitlabhq_production" (`POSTGRES_DEFAULT_DATABASE`)
     * @see https://docs.gitlab.com/charts/advanced/external-db/
     */
    database?: string;
    /** The database user. */
    username: string;
}

/** An existing Redis (6+) server. */
export interface ExistingRedisSettings {
    /** Host name or IPv4 address, without scheme or port. */
    host: string;
    /**
     * TCP port.
     * @default 6379 (`REDIS_DEFAULT_PORT`)
     */
    port?: number;
    /**
     * TLS in transit (`rediss://`); the server certificate must chain to a public CA.
     * @default false - plain TCP, as a bare Redis listens
     * @see https://docs.gitlab.com/charts/charts/globals/#specify-secure-redis-scheme-ssl
     */
    tls?: boolean;
}

/** Existing object storage: one bucket per GitLab object type. */
export interface ExistingObjectStorageSettings {
    /** `aws` (S3 or an S3-compatible service) or `google` (Cloud Storage). */
    provider: "aws" | "google";
    /** AWS region (`eu-central-1`) or Google location (`europe-west1`). */
    region: string;
    /**
     * Google project of the buckets; required for `google`.
     * @default - none; not used for `aws`
     */
    googleProject?: string;
    /**
     * Endpoint of an S3-compatible service (MinIO, Ceph); not with an IAM role (STS needs AWS's own endpoints).
     * @default - AWS's regional endpoint
     */
    endpoint?: string;
    /**
     * Derives every bucket not named in `buckets` as `<prefix>-<type>` with the type in kebab case
     * (`<prefix>-external-diffs`, `<prefix>-tmp`).
     * @default - none; then `buckets` must name every type
     */
    bucketPrefix?: string;
    /**
     * Bucket names per type; they win over `bucketPrefix`.
     * @default {} - every bucket derived from `bucketPrefix`
     */
    buckets?: Partial<Record<GitLabBucketType, string>>;
    /**
     * IAM role ARN (IRSA) for AWS, or the Google service account e-mail bound by Workload Identity; used
     * when no access keys are given.
     * @default - the node's ambient identity when no keys are given
     */
    roleArn?: string;
}

/** Everything about the existing services except credentials. */
export interface ExistingDataSettings {
    postgres: ExistingPostgresSettings;
    redis: ExistingRedisSettings;
    objectStorage: ExistingObjectStorageSettings;
}

/** Credentials of the existing services; every value is secret. */
export interface ExistingDataCredentials {
    /** PostgreSQL password of `postgres.username`. */
    postgresPassword: pulumi.Output<string>;
    /**
     * Redis AUTH password or token.
     * @default - none; the server has no AUTH
     */
    redisPassword?: pulumi.Output<string>;
    /**
     * Static object-storage access key id (with `objectStorageSecretAccessKey`).
     * @default - none; the IAM role (`objectStorage.roleArn`) or the node identity is used
     */
    objectStorageAccessKeyId?: pulumi.Output<string>;
    /**
     * Static object-storage secret key (with `objectStorageAccessKeyId`).
     * @default - none
     */
    objectStorageSecretAccessKey?: pulumi.Output<string>;
}

/** Arguments of {@link existingDataServices}. */
export interface ExistingDataServicesArgs extends ExistingDataSettings {
    /** The passwords and keys of the services, as secrets. */
    credentials: ExistingDataCredentials;
}

/** Bucket names per type: explicit names first, then `<prefix>-<suffix>`; undefined where neither. */
export function resolveBucketNames(
    os: Pick<ExistingObjectStorageSettings, "bucketPrefix" | "buckets">,
): Partial<Record<GitLabBucketType, string>> {
    const derived: Partial<Record<GitLabBucketType, string>> =
        os.bucketPrefix !== undefined ? gitlabBucketNames(os.bucketPrefix) : {};
    return { ...derived, ...Object.fromEntries(Object.entries(os.buckets ?? {}).filter(([, v]) => v !== undefined)) };
}

const GOOGLE_LOCATION = /^[a-z]+(-[a-z]+\d*)?$|^[A-Z0-9-]+$/;

/** The rules of the settings (no credentials); the stack's `data` key runs them too. Pure. */
export function validateExistingDataSettings(s: ResolvedExistingDataSettings): Problem[] {
    const problems: Problem[] = [];
    const host = (field: string, value: string | undefined) => {
        const p =
            value === undefined || value === ""
                ? "missing (expected a DNS name or IPv4 address)"
                : hostnameProblem(value);
        if (p) problems.push({ path: `${field}`, message: `${p}` });
    };
    const port = (field: string, value: number) => {
        const p = portProblem(value);
        if (p) problems.push({ path: field, message: p });
    };
    host("postgres.host", s.postgres.host);
    port("postgres.port", s.postgres.port);
    if (!s.postgres.username)
        problems.push({
            path: "postgres.username",
            message: "missing (expected the database user GitLab connects as)",
        });
    if (!/^[A-Za-z_][A-Za-z0-9_$]{0,62}$/.test(s.postgres.database)) {
        problems.push({
            path: "postgres.database",
            message: "not a PostgreSQL identifier (expected letters, digits and _, at most 63 characters)",
        });
    }
    host("redis.host", s.redis.host);
    port("redis.port", s.redis.port);

    const os = s.objectStorage;
    if (os.provider === "aws" && awsRegionProblem(os.region ?? "") !== undefined)
        problems.push({ path: "objectStorage.region", message: "not an AWS region (expected e.g. eu-central-1)" });
    if (os.provider === "google" && !GOOGLE_LOCATION.test(os.region ?? ""))
        problems.push({
            path: "objectStorage.region",
            message: "not a Google Cloud Storage location (expected e.g. europe-west1 or EU)",
        });
    if (os.provider === "google" && !os.googleProject)
        problems.push({
            path: "objectStorage.googleProject",
            message: "missing (expected the Google project id of the buckets)",
        });
    if (os.provider === "google" && os.endpoint !== undefined)
        problems.push({
            path: "objectStorage.endpoint",
            message: "set with provider google (expected an endpoint only for S3-compatible services)",
        });
    if (os.endpoint !== undefined && !/^https?:\/\/[^\s/]+(:\d+)?\/?$/.test(os.endpoint)) {
        problems.push({ path: "objectStorage.endpoint", message: "not a base URL (expected https://host[:port])" });
    }
    if (os.endpoint !== undefined && os.roleArn !== undefined) {
        problems.push({
            path: "objectStorage.endpoint",
            message: "set with roleArn (expected no endpoint with an IAM role: STS needs AWS's own endpoints)",
        });
    }
    if (
        os.provider === "aws" &&
        os.roleArn !== undefined &&
        !/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/.test(os.roleArn)
    ) {
        problems.push({
            path: "objectStorage.roleArn",
            message: "not an IAM role ARN (expected arn:aws:iam::<account>:role/<name>)",
        });
    }
    if (
        os.provider === "google" &&
        os.roleArn !== undefined &&
        !/^[a-z][a-z0-9-]{4,28}[a-z0-9]@[a-z0-9.-]+\.iam\.gserviceaccount\.com$/.test(os.roleArn)
    ) {
        problems.push({
            path: "objectStorage.roleArn",
            message: "not a Google service account e-mail (expected <name>@<project>.iam.gserviceaccount.com)",
        });
    }
    if (os.bucketPrefix !== undefined && os.bucketPrefix === "")
        problems.push({
            path: "objectStorage.bucketPrefix",
            message: "must not be empty (expected a prefix such as acme-gitlab)",
        });

    const names = resolveBucketNames(os);
    const seen = new Map<string, GitLabBucketType>();
    let prefixReported = false;
    for (const type of GITLAB_BUCKET_TYPES) {
        const name = names[type];
        const field = os.buckets?.[type] !== undefined ? `objectStorage.buckets.${type}` : "objectStorage.bucketPrefix";
        if (name === undefined) {
            problems.push({
                path: `objectStorage.buckets.${type}`,
                message: `missing (expected a bucket name, or objectStorage.bucketPrefix to derive <prefix>-${bucketTypeSlug(type)})`,
            });
            continue;
        }
        const p = bucketNameProblem(name, os.provider);
        // A bad prefix spoils every derived name alike: report it once, with the first derived name.
        if (p && !(field === "objectStorage.bucketPrefix" && prefixReported))
            problems.push({ path: `${field}`, message: `bucket ${name} ${p}` });
        if (p && field === "objectStorage.bucketPrefix") prefixReported = true;
        const other = seen.get(name);
        if (other)
            problems.push({
                path: `objectStorage.buckets.${type}`,
                message: `same bucket as ${other} (expected one bucket per type)`,
            });
        else seen.set(name, type);
    }
    return [...new Set(problems)];
}

/** Which credentials are present (by their config key names). */
export type CredentialPresence = Record<keyof ExistingDataCredentials, boolean>;

/**
 * Checks which credentials go together. Problems about a credential start with its key
 * (`objectStorageSecretAccessKey: ...`), problems about a setting with its path (`objectStorage.roleArn: ...`).
 */
export function credentialProblems(
    present: CredentialPresence,
    s: ExistingDataSettings,
    where: CredentialPaths,
): Problem[] {
    const secret = (key: keyof CredentialPresence) => joinPath(where.credentials, key);
    const setting = (path: string) => joinPath(where.settings, path);
    const problems: Problem[] = [];
    if (!present.postgresPassword)
        problems.push({
            path: secret("postgresPassword"),
            message: "missing (expected the PostgreSQL password as a secret)",
        });
    const hasId = present.objectStorageAccessKeyId;
    const hasKey = present.objectStorageSecretAccessKey;
    if (hasId !== hasKey) {
        problems.push({
            path: secret(hasId ? "objectStorageSecretAccessKey" : "objectStorageAccessKeyId"),
            message: "missing (expected both access key id and secret access key, or neither)",
        });
    }
    if ((hasId || hasKey) && s.objectStorage?.roleArn !== undefined) {
        problems.push({
            path: setting("objectStorage.roleArn"),
            message: "set together with access keys (expected either an IAM role or static keys)",
        });
    }
    if (!hasId && !hasKey && s.objectStorage?.endpoint !== undefined && s.objectStorage.roleArn === undefined) {
        problems.push({
            path: secret("objectStorageAccessKeyId"),
            message: "missing (expected static keys with an S3-compatible endpoint, which has no IAM roles)",
        });
    }
    if ((hasId || hasKey) && s.objectStorage?.provider === "google") {
        problems.push({
            path: secret("objectStorageAccessKeyId"),
            message:
                "static keys with provider google (expected Workload Identity: roleArn or the node's service account)",
        });
    }
    return problems;
}

/** Where credential problems point: the secrets' parent path, and the settings' parent path. */
export interface CredentialPaths {
    readonly credentials: string;
    readonly settings: string;
}

/** The arguments parsed by their spec: every default applied. */
type ParsedExistingDataServicesArgs = ReturnType<typeof existingDataServicesSpec.parse>;

/** The rules of settings and credentials together; credential problems read `credentials.<key>: ...`. Pure. */
function existingDataRules(a: ParsedExistingDataServicesArgs): Problem[] {
    const present = {
        postgresPassword: true,
        redisPassword: a.credentials.redisPassword !== undefined,
        objectStorageAccessKeyId: a.credentials.objectStorageAccessKeyId !== undefined,
        objectStorageSecretAccessKey: a.credentials.objectStorageSecretAccessKey !== undefined,
    };
    return [
        ...validateExistingDataSettings(a),
        ...credentialProblems(present, a, { credentials: "credentials", settings: "" }),
    ];
}

/** Every problem of the arguments (their shape first, then the rules), none when they pass. Pure. */
export function validateExistingDataServices(args: ExistingDataServicesArgs): Problem[] {
    const parsed = existingDataServicesSpec.safeParse(args, { reportInput: true });
    return parsed.success ? existingDataRules(parsed.data) : issueProblems(parsed.error, existingDataServicesSpec);
}

/**
 * Turns existing endpoints into the connection interface GitLab consumes, with defaults applied.
 * @throws InvalidArgsError listing every problem (also for a missing args object).
 */
export function existingDataServices(args: ExistingDataServicesArgs): GitLabDataServices {
    const a = parseArgs("ExistingDataServices", existingDataServicesSpec, args);
    assertValid("ExistingDataServices", existingDataRules(a));
    const os = a.objectStorage;
    const c = a.credentials;
    const buckets = resolveBucketNames(os);
    return {
        postgres: {
            host: a.postgres.host,
            port: a.postgres.port,
            database: a.postgres.database,
            username: a.postgres.username,
            password: pulumi.secret(c.postgresPassword),
        },
        redis: {
            host: a.redis.host,
            port: a.redis.port,
            tls: a.redis.tls,
            ...(c.redisPassword !== undefined ? { password: pulumi.secret(c.redisPassword) } : {}),
        },
        objectStorage: {
            provider: os.provider,
            region: os.region,
            ...(os.googleProject !== undefined ? { googleProject: os.googleProject } : {}),
            ...(os.endpoint !== undefined ? { endpoint: os.endpoint } : {}),
            // Every type has a name here: the rules refuse a missing one.
            buckets: buckets as Record<GitLabBucketType, string>,
            auth:
                c.objectStorageAccessKeyId !== undefined && c.objectStorageSecretAccessKey !== undefined
                    ? {
                          type: "accessKey",
                          accessKeyId: pulumi.secret(c.objectStorageAccessKeyId),
                          secretAccessKey: pulumi.secret(c.objectStorageSecretAccessKey),
                      }
                    : { type: "iamRole", ...(os.roleArn !== undefined ? { roleArn: os.roleArn } : {}) },
        },
    };
}
