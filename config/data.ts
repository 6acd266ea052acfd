import { z } from "zod";
import { GITLAB_BUCKET_TYPES } from "../components/data/connection";
import type { ExistingDataSettings } from "../components/data/existing";
import { awsDataSchema } from "./aws";

/** Bucket names per type, all optional (a prefix derives the rest). */
const bucketsSchema = z.strictObject(
    Object.fromEntries(GITLAB_BUCKET_TYPES.map((t) => [t, z.string().optional()])) as Record<
        (typeof GITLAB_BUCKET_TYPES)[number],
        z.ZodOptional<z.ZodString>
    >,
);

/**
 * `data` with `type: existing`: PostgreSQL, Redis and object storage that already exist. Passwords and
 * keys are separate secret keys (postgresPassword, redisPassword, objectStorageAccessKeyId,
 * objectStorageSecretAccessKey). Types here; the rules are the component's `validateExistingDataSettings`.
 */
export const existingDataSchema = z.strictObject({
    type: z.literal("existing"),
    postgres: z.strictObject({
        host: z.string(),
        port: z.number().optional(),
        database: z.string().optional(),
        username: z.string(),
    }),
    redis: z.strictObject({
        host: z.string(),
        port: z.number().optional(),
        tls: z.boolean().optional(),
    }),
    objectStorage: z.strictObject({
        provider: z.enum(["aws", "google"]),
        region: z.string(),
        googleProject: z.string().optional(),
        endpoint: z.string().optional(),
        bucketPrefix: z.string().optional(),
        buckets: bucketsSchema.optional(),
        roleArn: z.string().optional(),
    }),
}) satisfies z.ZodType<unknown, ExistingDataSettings & { type: "existing" }>;

/** The `data` key: where GitLab's external services come from. */
export const dataSchema = z.discriminatedUnion("type", [existingDataSchema, awsDataSchema]);
