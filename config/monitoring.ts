import { z } from "zod";
import { validateAlarmSubscribers, type AlarmSubscribers } from "../components/monitoring/aws-alarms";
import { addProblems } from "./gitlab";

/**
 * The `alarms` key: who hears the CloudWatch alarms of GitLab's AWS services (the SNS topic's
 * subscribers). Types here; the rules are the component's `validateAlarmSubscribers`.
 */
export const alarmsSchema = z
    .strictObject({
        /** E-mail addresses; each confirms once. */
        emails: z.array(z.string()).optional(),
        /** HTTPS webhooks; each confirms once. */
        httpsEndpoints: z.array(z.string()).optional(),
    })
    .superRefine((s, ctx) => addProblems(ctx, validateAlarmSubscribers(s as AlarmSubscribers).map((p) => p.replace(/^alarms\./, ""))));

export type AlarmsConfig = z.output<typeof alarmsSchema>;
