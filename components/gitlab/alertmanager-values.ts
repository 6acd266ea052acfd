/**
 * The GitLab chart's bundled Alertmanager (`prometheus.alertmanager`, the prometheus-community
 * `alertmanager` chart the `prometheus` subchart depends on): on when the stack has an SNS topic to route
 * the in-cluster alerts (alert-rules.ts) to, off otherwise (the chart's own default). Its only receiver
 * publishes to the topic through `sns_configs`; credentials come from an IRSA role on its service
 * account (`AwsAlarms.alertmanager`), so the values hold no secret.
 *
 * Checked against chart 9.10.0, which bundles prometheus 27.52.0 with alertmanager chart 1.30.0
 * (Alertmanager v0.30.0), and the alertmanager chart 1.42.0 (Alertmanager v0.34.0) on
 * prometheus-community/helm-charts main: the keys used here (`enabled`, `config`, `serviceAccount.name`,
 * `serviceAccount.annotations`, `persistence.enabled`, `securityContext`, `nodeSelector`, `replicaCount`,
 * `topologySpreadConstraints`, `podDisruptionBudget`) are the same in both. Alertmanager's SNS notifier (notify/sns, v0.30.0) loads the AWS SDK's default credential chain
 * when `sigv4` names no keys, which reads the web identity token the EKS pod identity webhook mounts.
 * The prometheus chart adds the `alerting:` block to Prometheus' configuration itself whenever
 * `alertmanager.enabled` is true (its templates/cm.yaml), so Prometheus finds this Alertmanager: through
 * `kubernetes_sd_configs` with `role: pod`, i.e. every replica, as Alertmanager's high availability expects.
 *
 * More than one replica (the sizes with node pools, `alertmanagerReplicas` of the size preset): the
 * alertmanager chart 1.30.0 forms the gossip cluster by itself when `replicaCount` > 1: each pod gets
 * `--cluster.listen-address`, `--cluster.advertise-address` and one `--cluster.peer` per replica
 * (`<fullname>-<i>.<fullname>-headless:9094`, templates/statefulset.yaml), and the headless Service gains the
 * cluster ports (templates/services.yaml). Alertmanager re-resolves its peers periodically, so a replica that
 * starts before the other's DNS name exists joins it later. The replicas share silences and the
 * notification log, so each alert is notified once; spread across zones, with a PodDisruptionBudget
 * (`podDisruptionBudget`, rendered as given by templates/pdb.yaml) so a drain keeps one running.
 * @see https://prometheus.io/docs/alerting/latest/configuration/#sns_config
 * @see https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html
 */
import type * as pulumi from "@pulumi/pulumi";

/** Where the bundled Alertmanager sends GitLab's in-cluster alerts: an SNS topic, through an IRSA role. */
export interface AlertmanagerSnsArgs {
    /** The SNS topic's ARN (`AwsAlarms.topicArn`): the one the CloudWatch alarms notify. */
    topicArn: pulumi.Input<string>;
    /** The topic's AWS region: the SigV4 signing region and the SNS endpoint. */
    region: string;
    /**
     * The IAM role Alertmanager's service account assumes (IRSA): `sns:Publish` on the topic and data keys
     * of the topic's KMS key, nothing else (`AwsAlarms.alertmanager.roleArn`).
     */
    roleArn: pulumi.Input<string>;
}

/** Alertmanager's service account, named explicitly so the IRSA trust policy can name it: `<release>-alertmanager`. */
export function alertmanagerServiceAccount(releaseName: string): string {
    return `${releaseName}-alertmanager`;
}

/**
 * The notification subject: SNS refuses subjects over 100 ASCII characters and Alertmanager does not
 * shorten them (its default subject lists every group label), so it names only the status and the alert.
 */
const ALERTMANAGER_SNS_SUBJECT = "[{{ .Status | toUpper }}] GitLab: {{ .GroupLabels.alertname }}";

/**
 * Alertmanager's configuration: every alert to the SNS topic, grouped per alert name, resolved
 * notifications too, repeated every 4 hours while firing (the same cadence for every severity: the
 * topic's subscribers decide who is woken). Pure.
 */
function buildAlertmanagerConfig(t: Pick<AlertmanagerSnsArgs, "topicArn" | "region">): Record<string, unknown> {
    return {
        route: {
            receiver: "sns",
            group_by: ["alertname"],
            group_wait: "30s",
            group_interval: "5m",
            repeat_interval: "4h",
        },
        receivers: [
            {
                name: "sns",
                sns_configs: [
                    {
                        topic_arn: t.topicArn,
                        sigv4: { region: t.region },
                        subject: ALERTMANAGER_SNS_SUBJECT,
                        send_resolved: true,
                    },
                ],
            },
        ],
    };
}

/**
 * The labels the alertmanager chart selects its pods by (`alertmanager.selectorLabels`: the chart's name and
 * the release's, chart 1.30.0 templates/_helpers.tpl; the GitLab chart sets no `nameOverride`).
 */
function alertmanagerPodLabels(releaseName: string): Record<string, string> {
    return { "app.kubernetes.io/name": "alertmanager", "app.kubernetes.io/instance": releaseName };
}

/**
 * The replica count and, with more than one, the zone spread and the PodDisruptionBudget. The spread is
 * `DoNotSchedule`: with no volume nothing else pins a replica, and only zones with eligible nodes count
 * as domains, so a pool that lives in one zone still schedules both. Pure.
 */
function alertmanagerAvailability(replicas: number, releaseName: string): Record<string, unknown> {
    if (replicas <= 1) return { replicaCount: 1 };
    return {
        replicaCount: replicas,
        topologySpreadConstraints: [
            {
                maxSkew: 1,
                topologyKey: "topology.kubernetes.io/zone",
                whenUnsatisfiable: "DoNotSchedule",
                labelSelector: { matchLabels: alertmanagerPodLabels(releaseName) },
            },
        ],
        podDisruptionBudget: { minAvailable: replicas - 1 },
    };
}

/**
 * The `prometheus.alertmanager` values: off without a topic; with one, `replicas` replicas (one for `dev`,
 * a zone-spread cluster with a PDB otherwise) whose only receiver is the topic, on the IRSA role. No
 * persistent volume: Alertmanager keeps only silences and its notification log, which the replicas of a
 * cluster share, so a restart at worst repeats a notification or drops a silence, while a zonal EBS
 * volume would pin a replica to its zone and keep alerts from being sent during that zone's outage, when
 * they matter most. Pure.
 */
export function buildAlertmanagerValues(
    target: AlertmanagerSnsArgs | undefined,
    releaseName: string,
    placement: Record<string, unknown>,
    replicas: number,
): Record<string, unknown> {
    if (target === undefined) return { enabled: false };
    return {
        enabled: true,
        ...alertmanagerAvailability(replicas, releaseName),
        serviceAccount: {
            create: true,
            name: alertmanagerServiceAccount(releaseName),
            annotations: { "eks.amazonaws.com/role-arn": target.roleArn },
        },
        persistence: { enabled: false },
        // The chart runs it as nobody (65534); closed as the chart's own Prometheus server container is.
        securityContext: {
            runAsUser: 65534,
            runAsGroup: 65534,
            runAsNonRoot: true,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
        },
        ...placement,
        config: buildAlertmanagerConfig(target),
    };
}
