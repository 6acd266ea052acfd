export { AwsAlarms, buildAlarmSpecs, validateAlarmSubscribers, type AlarmSpec, type AlarmSubscribers, type AwsAlarmsArgs } from "./aws-alarms";
