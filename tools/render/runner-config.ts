/**
 * The runner's `config.toml` template (`runners.config` of the gitlab-runner chart) must parse and use only
 * keys the runner knows. Known keys below are the TOML tags of gitlab-runner's `common/config.go`
 * (RunnerSettings, KubernetesConfig) and `cache/cacheconfig` as documented in docs.gitlab.com/runner
 * configuration/advanced-configuration (runner 18.x/19.x). Struct-valued kubernetes keys (security
 * contexts, volumes, affinity, pod_spec) and free-form maps (node_selector, pod_labels, ...) are not
 * inspected further.
 */
import { parse } from "smol-toml";
import type { Finding } from "./findings";

const RUNNER_KEYS = new Set([
    "name",
    "url",
    "id",
    "token",
    "token_obtained_at",
    "token_expires_at",
    "tls-ca-file",
    "tls-cert-file",
    "tls-key-file",
    "limit",
    "executor",
    "builds_dir",
    "cache_dir",
    "clone_url",
    "environment",
    "request_concurrency",
    "output_limit",
    "shell",
    "pre_get_sources_script",
    "post_get_sources_script",
    "pre_build_script",
    "post_build_script",
    "debug_trace_disabled",
    "custom_build_dir",
    "referees",
    "unhealthy_requests_limit",
    "unhealthy_interval",
    "job_status_final_update_retry_limit",
    "feature_flags",
    "cache",
    "kubernetes",
    "labels",
    "monitoring",
]);
const KUBERNETES_KEYS = new Set([
    "host",
    "context",
    "cert_file",
    "key_file",
    "ca_file",
    "bearer_token",
    "bearer_token_overwrite_allowed",
    "image",
    "namespace",
    "namespace_overwrite_allowed",
    "namespace_per_job",
    "privileged",
    "allow_privilege_escalation",
    "runtime_class_name",
    "cpu_limit",
    "cpu_limit_overwrite_max_allowed",
    "cpu_request",
    "cpu_request_overwrite_max_allowed",
    "memory_limit",
    "memory_limit_overwrite_max_allowed",
    "memory_request",
    "memory_request_overwrite_max_allowed",
    "ephemeral_storage_limit",
    "ephemeral_storage_limit_overwrite_max_allowed",
    "ephemeral_storage_request",
    "ephemeral_storage_request_overwrite_max_allowed",
    "service_cpu_limit",
    "service_cpu_limit_overwrite_max_allowed",
    "service_cpu_request",
    "service_cpu_request_overwrite_max_allowed",
    "service_memory_limit",
    "service_memory_limit_overwrite_max_allowed",
    "service_memory_request",
    "service_memory_request_overwrite_max_allowed",
    "service_ephemeral_storage_limit",
    "service_ephemeral_storage_limit_overwrite_max_allowed",
    "service_ephemeral_storage_request",
    "service_ephemeral_storage_request_overwrite_max_allowed",
    "helper_cpu_limit",
    "helper_cpu_limit_overwrite_max_allowed",
    "helper_cpu_request",
    "helper_cpu_request_overwrite_max_allowed",
    "helper_memory_limit",
    "helper_memory_limit_overwrite_max_allowed",
    "helper_memory_request",
    "helper_memory_request_overwrite_max_allowed",
    "helper_ephemeral_storage_limit",
    "helper_ephemeral_storage_limit_overwrite_max_allowed",
    "helper_ephemeral_storage_request",
    "helper_ephemeral_storage_request_overwrite_max_allowed",
    "allowed_images",
    "allowed_pull_policies",
    "allowed_services",
    "allowed_users",
    "allowed_groups",
    "pull_policy",
    "node_selector",
    "node_selector_overwrite_allowed",
    "node_tolerations",
    "node_tolerations_overwrite_allowed",
    "affinity",
    "image_pull_secrets",
    "use_service_account_image_pull_secrets",
    "helper_image",
    "helper_image_flavor",
    "helper_image_autoset_arch_and_os",
    "termination_grace_period_seconds",
    "pod_termination_grace_period_seconds",
    "cleanup_grace_period_seconds",
    "cleanup_resources_timeout",
    "poll_interval",
    "poll_timeout",
    "resource_availability_check_max_attempts",
    "pod_labels",
    "pod_labels_overwrite_allowed",
    "scheduler_name",
    "service_account",
    "service_account_overwrite_allowed",
    "pod_annotations",
    "pod_annotations_overwrite_allowed",
    "pod_security_context",
    "init_permissions_container_security_context",
    "build_container_security_context",
    "helper_container_security_context",
    "service_container_security_context",
    "volumes",
    "services",
    "cap_add",
    "cap_drop",
    "dns_policy",
    "dns_config",
    "host_aliases",
    "priority_class_name",
    "pod_spec",
    "logs_base_dir",
    "scripts_base_dir",
    "print_pod_warning_events",
    "automount_service_account_token",
    "retry_limit",
    "retry_limits",
    "retry_backoff_max",
    "request_retry_limit",
    "request_retry_backoff_max",
    "request_retry_limits",
    "pod_ip_override",
    "container_lifecycle",
    "node_ip_override",
    "hostname_override",
]);
const CACHE_KEYS = new Set(["Type", "Path", "Shared", "MaxUploadedArchiveSize", "s3", "gcs", "azure"]);
const S3_KEYS = new Set([
    "ServerAddress",
    "AccessKey",
    "SecretKey",
    "SessionToken",
    "BucketName",
    "BucketLocation",
    "Insecure",
    "AuthenticationType",
    "ServerSideEncryption",
    "ServerSideEncryptionKeyID",
    "DualStack",
    "PathStyle",
    "Accelerate",
    "RoleARN",
    "UploadRoleARN",
]);
const GCS_KEYS = new Set(["CredentialsFile", "AccessID", "PrivateKey", "BucketName"]);
const AZURE_KEYS = new Set(["AccountName", "AccountKey", "ContainerName", "StorageDomain"]);

function isMap(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date);
}

/** Unknown keys of a runner config.toml fragment, as dotted paths; throws on a TOML syntax error. */
export function unknownRunnerKeys(toml: string): string[] {
    const doc = parse(toml) as Record<string, unknown>;
    const out: string[] = [];
    const check = (obj: unknown, known: ReadonlySet<string>, at: string) => {
        if (!isMap(obj)) return;
        for (const k of Object.keys(obj)) if (!known.has(k)) out.push(`${at}.${k}`);
    };
    for (const k of Object.keys(doc)) if (k !== "runners") out.push(k); // global keys belong to the chart's own values
    const runners = Array.isArray(doc.runners) ? doc.runners : [];
    runners.forEach((r: unknown, i) => {
        const at = `runners[${i}]`;
        check(r, RUNNER_KEYS, at);
        if (!isMap(r)) return;
        check(r.kubernetes, KUBERNETES_KEYS, `${at}.kubernetes`);
        check(r.cache, CACHE_KEYS, `${at}.cache`);
        if (isMap(r.cache)) {
            check(r.cache.s3, S3_KEYS, `${at}.cache.s3`);
            check(r.cache.gcs, GCS_KEYS, `${at}.cache.gcs`);
            check(r.cache.azure, AZURE_KEYS, `${at}.cache.azure`);
        }
        if (isMap(r.feature_flags))
            for (const f of Object.keys(r.feature_flags))
                if (!/^FF_[A-Z0-9_]+$/.test(f)) out.push(`${at}.feature_flags.${f}`);
    });
    return out;
}

/** Findings for the `runners.config` value of a gitlab-runner release. */
export function runnerConfigFindings(release: string, values: unknown): Finding[] {
    const toml = isMap(values) && isMap(values.runners) ? values.runners.config : undefined;
    if (typeof toml !== "string") return [];
    const object = "values runners.config";
    try {
        return unknownRunnerKeys(toml).map((key) => ({
            severity: "error" as const,
            check: "runner-config",
            release,
            object,
            message: `config.toml key ${key} is not a gitlab-runner setting`,
            fix: "correct the key in components/runner/config-toml.ts (runner TOML tags are case-sensitive)",
        }));
    } catch (err) {
        return [
            {
                severity: "error",
                check: "runner-config",
                release,
                object,
                message: `config.toml does not parse: ${(err as Error).message.split("\n")[0]}`,
                fix: "fix the TOML the runner component builds",
            },
        ];
    }
}
