/**
 * The `alarms` key: who hears the CloudWatch alarms of GitLab's AWS services (the SNS topic's
 * subscribers). The shape and defaults are the component's own `alarmSubscribersSpec`, the rules its
 * `validateAlarmSubscribers`.
 */
import type { z } from "zod";
import { alarmSubscribersSpec } from "../components/monitoring/spec";

export const alarmsSchema = alarmSubscribersSpec;

export type AlarmsConfig = z.output<typeof alarmsSchema>;
