/**
 * The alarms component's spec: every setting of {@link AwsAlarmsArgs} once, with its shape and default
 * (the zod schemas), so a misspelled or missing key is refused before anything is declared. The
 * documentation is the JSDoc of `AwsAlarmsArgs`; `satisfies` makes the compiler prove the schemas
 * accept nothing the interface does not. The stack spec (config/monitoring.ts) picks
 * {@link alarmSubscribersSpec} for `alarms`; the rules are {@link awsAlarmsRules}.
 */
import { z } from "zod";
import { oidcIdentitySpec } from "../cluster/spec";
import type { Problem } from "../errors";
import { input } from "../internal/spec-kit";
import { isDnsLabel, isEmail } from "../internal/validation";
import { awsRegionProblem } from "../network/aws-network";
import type { AlarmSubscribers, AwsAlarmsArgs } from "./aws-alarms";

/** Who hears the alarms: the topic's subscribers. */
export const alarmSubscribersSpec = z.strictObject({
    emails: z.array(z.string()).default([]),
    httpsEndpoints: z.array(z.string()).default([]),
}) satisfies z.ZodType<unknown, AlarmSubscribers>;

/** The component's whole args: the subscribers, what the alarms watch, and the in-cluster Alertmanager. */
export const awsAlarmsArgsSpec = alarmSubscribersSpec.extend({
    namePrefix: z.string().min(1),
    postgresInstanceId: input(z.string().min(1)),
    postgresAllocatedStorageGiB: z.number().positive(),
    redisReplicationGroupId: input(z.string().min(1)),
    redisNodeCount: z.int().min(1),
    alertmanager: z
        .strictObject({ oidc: oidcIdentitySpec, namespace: z.string(), releaseName: z.string(), region: z.string() })
        .optional(),
    gatewayLoadBalancerHostname: input(z.string().optional()).optional(),
}) satisfies z.ZodType<unknown, AwsAlarmsArgs>;

/** {@link AwsAlarmsArgs} with every default applied. */
export type ResolvedAwsAlarms = z.output<typeof awsAlarmsArgsSpec>;

/** Problems of the subscribers, paths below `alarms`. Pure. */
export function validateAlarmSubscribers(s: AlarmSubscribers): Problem[] {
    const problems: Problem[] = [];
    (s.emails ?? []).forEach((e, i) => {
        if (!isEmail(e))
            problems.push({
                path: `emails[${i}]`,
                message: `not an e-mail address (expected e.g. oncall@example.com)`,
            });
    });
    (s.httpsEndpoints ?? []).forEach((u, i) => {
        if (!/^https:\/\/[^\s/]+(\/\S*)?$/.test(u))
            problems.push({
                path: `httpsEndpoints[${i}]`,
                message: `not an https URL (expected e.g. https://events.example.com/hook)`,
            });
    });
    return problems;
}

/** The rules of the parsed args: the subscribers', and the Alertmanager's namespace, release and region. Pure. */
export function awsAlarmsRules(a: ResolvedAwsAlarms): Problem[] {
    const problems = validateAlarmSubscribers(a);
    const am = a.alertmanager;
    if (am === undefined) return problems;
    if (!isDnsLabel(am.namespace))
        problems.push({
            path: "alertmanager.namespace",
            message: "not a namespace name (expected GitLab's namespace, a lower-case DNS label)",
        });
    if (!isDnsLabel(am.releaseName, 53))
        problems.push({
            path: "alertmanager.releaseName",
            message: "not a Helm release name (expected GitLab's release name, a DNS label of at most 53 characters)",
        });
    const region = awsRegionProblem(am.region);
    if (region) problems.push({ path: "alertmanager.region", message: region });
    return problems;
}
