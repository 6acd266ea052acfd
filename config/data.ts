/**
 * The `data` key: where GitLab's external services come from, picked from the data services' spec
 * (components/data/spec.ts). `type: existing`: PostgreSQL, Redis and object storage that already exist;
 * their passwords and keys are separate secret keys (postgresPassword, redisPassword,
 * objectStorageAccessKeyId, objectStorageSecretAccessKey). `type: aws`: config/aws.ts.
 */
import { z } from "zod";
import { existingDataSettingsSpec } from "../components/data/spec";
import { awsDataSchema } from "./aws";

export const existingDataSchema = existingDataSettingsSpec.extend({ type: z.literal("existing") });

/** The `data` key: where GitLab's external services come from. */
export const dataSchema = z.discriminatedUnion("type", [existingDataSchema, awsDataSchema]);

/** A `data` variant's settings without the discriminator, as the data services' specs take them. */
export function dataArgs<D extends { type: string }>(d: D): Omit<D, "type"> {
    const { type: _type, ...settings } = d;
    return settings;
}
