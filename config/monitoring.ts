/**
 * The `alarms` key: who hears the CloudWatch alarms of GitLab's AWS services (the SNS topic's
 * subscribers). Shape here, checked against the component's `AlarmSubscribers` by `satisfies`; the rules
 * are the component's `validateAlarmSubscribers`.
 */
import { z } from "zod";
import type { AlarmSubscribers } from "../components/monitoring/aws-alarms";

export const alarmsSchema = z.strictObject({
    /** E-mail addresses; each confirms once. */
    emails: z.array(z.string()).optional(),
    /** HTTPS webhooks; each confirms once. */
    httpsEndpoints: z.array(z.string()).optional(),
}) satisfies z.ZodType<AlarmSubscribers, AlarmSubscribers>;

export type AlarmsConfig = z.output<typeof alarmsSchema>;
