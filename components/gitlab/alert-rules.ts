/**
 * Alert rules for the GitLab chart's bundled Prometheus (`prometheus.serverFiles."alerting_rules.yml"`,
 * which the chart's prometheus subchart loads as a rule file: `rule_files: [/etc/config/alerting_rules.yml]`,
 * checked in chart 9.10.0's prometheus values; 10.x keeps the subchart and its `serverFiles`).
 *
 * Why the bundled Prometheus and not Prometheus Operator rules: the chart already scrapes every GitLab pod
 * that carries `gitlab.com/prometheus_scrape` (its `kubernetes-pods` job, pod labels mapped to metric
 * labels, so `app` names the component), and a PrometheusRule needs the Operator's CRDs, which the stack
 * does not install. GitLab publishes no rule set for the cloud native chart; these follow the signals its
 * docs name for a self-managed instance (component up, Gitaly concurrency limiting, Sidekiq queue latency,
 * Workhorse errors, Redis client exceptions; docs.gitlab.com/administration/monitoring/prometheus/gitlab_metrics
 * and the Gitaly monitoring page) plus certificate expiry from cert-manager. PostgreSQL and Redis
 * themselves are watched from outside by the CloudWatch alarms (components/monitoring).
 *
 * The chart ships its Prometheus with Alertmanager off (`prometheus.alertmanager.enabled: false`). Given an
 * SNS topic (on AWS, the CloudWatch alarms' topic), the stack turns it on and routes every firing and
 * resolved alert to that topic (alertmanager-values.ts); without one (no AWS data services), firing alerts
 * only show in Prometheus' `/alerts` page and API.
 * @see https://docs.gitlab.com/administration/gitaly/monitoring/
 */

/** One Prometheus alerting rule. */
export interface AlertRule {
    readonly alert: string;
    readonly expr: string;
    readonly for: string;
    readonly labels: { readonly severity: "critical" | "warning" };
    readonly annotations: { readonly summary: string };
}

/** How long a certificate may have left before the expiry alert fires (cert-manager renews at 30 days). */
const CERT_EXPIRY_WARNING_DAYS = 14;

/** The rule file: one group of GitLab rules. Pure. */
export function buildGitLabAlertRules(): { groups: { name: string; rules: AlertRule[] }[] } {
    const rules: AlertRule[] = [
        {
            alert: "GitLabComponentDown",
            expr: 'up{job="kubernetes-pods"} == 0',
            for: "5m",
            labels: { severity: "warning" },
            annotations: { summary: "{{ $labels.app }} pod {{ $labels.kubernetes_pod_name }} does not answer scrapes" },
        },
        {
            alert: "GitalyDown",
            expr: 'up{app="gitaly"} == 0',
            for: "2m",
            labels: { severity: "critical" },
            annotations: {
                summary:
                    "Gitaly {{ $labels.kubernetes_pod_name }} is down: the repositories on its storage are unavailable",
            },
        },
        {
            alert: "GitLabWebserviceUnavailable",
            expr: 'absent(up{app="webservice"} == 1)',
            for: "5m",
            labels: { severity: "critical" },
            annotations: { summary: "No webservice pod answers: GitLab's web UI, API and HTTPS git are down" },
        },
        {
            alert: "GitLabWorkhorseErrors",
            expr:
                'sum(rate(gitlab_workhorse_http_requests_total{code=~"5.."}[5m])) / ' +
                "sum(rate(gitlab_workhorse_http_requests_total[5m])) > 0.05",
            for: "10m",
            labels: { severity: "warning" },
            annotations: { summary: "More than 5% of GitLab's HTTP requests end in a 5xx" },
        },
        {
            alert: "GitalyConcurrencyLimited",
            expr: 'sum by (kubernetes_pod_name) (rate(grpc_server_handled_total{app="gitaly",grpc_code="ResourceExhausted"}[5m])) > 0',
            for: "10m",
            labels: { severity: "warning" },
            annotations: { summary: "Gitaly {{ $labels.kubernetes_pod_name }} refuses requests over its limits" },
        },
        {
            alert: "SidekiqQueueLatencyHigh",
            expr: "max by (name) (sidekiq_queue_latency_seconds) > 300",
            for: "10m",
            labels: { severity: "warning" },
            annotations: { summary: "Sidekiq queue {{ $labels.name }} waits more than 5 minutes" },
        },
        {
            alert: "GitLabRedisErrors",
            expr: "sum by (storage) (rate(gitlab_redis_client_exceptions_total[5m])) > 1",
            for: "10m",
            labels: { severity: "critical" },
            annotations: { summary: "GitLab cannot talk to Redis ({{ $labels.storage }}): client exceptions" },
        },
        {
            alert: "GitLabCertificateExpiring",
            expr: `certmanager_certificate_expiration_timestamp_seconds - time() < ${CERT_EXPIRY_WARNING_DAYS} * 86400`,
            for: "1h",
            labels: { severity: "critical" },
            annotations: {
                summary: `Certificate {{ $labels.namespace }}/{{ $labels.name }} expires within ${CERT_EXPIRY_WARNING_DAYS} days: cert-manager did not renew it`,
            },
        },
    ];
    return { groups: [{ name: "gitlab", rules }] };
}

/** Pod annotations that put cert-manager's metrics (port 9402) into the chart's `kubernetes-pods` job. */
export const CERT_MANAGER_SCRAPE_ANNOTATIONS = {
    "gitlab.com/prometheus_scrape": "true",
    "gitlab.com/prometheus_port": "9402",
} as const;
