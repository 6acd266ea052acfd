/**
 * Every pinned version and named default of the package, in one place. Chart and manifest versions are
 * exact; bump them here (and in CHANGELOG.md) and nowhere else.
 */

/** Kubernetes minors the GitLab chart 10.x supports (1.32 deprecated, 1.31 unsupported). */
export const SUPPORTED_KUBERNETES_VERSIONS = ["1.33", "1.34", "1.35"] as const;

/** A Kubernetes minor version inside the supported window. */
export type KubernetesVersion = (typeof SUPPORTED_KUBERNETES_VERSIONS)[number];

// ---------------------------------------------------------------------------------------------------
// GitLab (components/gitlab): chart, routing CRDs, sizing, workload labels.
// ---------------------------------------------------------------------------------------------------

/**
 * The GitLab chart version: newest 10.x verified (chart CHANGELOG, 10.2.3 of 2026-08-13; 10.2.x ships
 * GitLab 19.2.x). Bump together with {@link GATEWAY_API_CRDS_VERSION}.
 * @see https://gitlab.com/gitlab-org/charts/gitlab/-/blob/master/CHANGELOG.md
 */
export const GITLAB_CHART_VERSION = "10.2.3";

/** The GitLab chart's Helm repository. */
export const GITLAB_CHART_REPOSITORY = "https://charts.gitlab.io/";

/** The chart's name in {@link GITLAB_CHART_REPOSITORY}. */
export const GITLAB_CHART_NAME = "gitlab";

/**
 * How long Pulumi waits for the GitLab release, in seconds. A first install runs the shared-secrets and
 * migrations jobs and takes 5-10 minutes, far beyond Helm's 300 s default.
 */
export const GITLAB_RELEASE_TIMEOUT_SECONDS = 1200;

/** The namespace GitLab is installed into. */
export const GITLAB_DEFAULT_NAMESPACE = "gitlab";

/** The Helm release name; the chart derives object names (`<release>-webservice-default`, ...) from it. */
export const GITLAB_DEFAULT_RELEASE_NAME = "gitlab";

/**
 * Gateway API CRDs installed before the chart. Chart 10.2.x bundles Envoy Gateway v1.8.2 (CHANGELOG
 * 10.2.0), built on Gateway API v1.5.1 (envoyproxy/gateway v1.8.2 go.mod), and renders the gitlab-shell
 * `TCPRoute` as `gateway.networking.k8s.io/v1alpha2`, which only the experimental channel of v1.5.x
 * serves. Chart 10.3+ (Envoy Gateway 1.9) needs v1.6.1, where TCPRoute v1 is in the standard channel.
 * @see https://github.com/kubernetes-sigs/gateway-api/releases/tag/v1.5.1
 */
export const GATEWAY_API_CRDS_VERSION = "v1.5.1";

/**
 * The Envoy Gateway CRDs (`gateway.envoyproxy.io`), applied by the stack before GitLab: the chart's bundled
 * Envoy Gateway ships them in its `crds/` directory (chart 9.10.0: `charts/gateway-helm/crds/generated`),
 * which Helm installs once and never upgrades. Envoy Gateway's own `gateway-crds-helm` chart renders them
 * as templates, so upgrading this release upgrades them. Chart 10.2.x bundles Envoy Gateway v1.8.2.
 * @see https://gateway.envoyproxy.io/docs/install/gateway-crds-helm-api
 */
export const ENVOY_GATEWAY_CRDS_CHART = "oci://docker.io/envoyproxy/gateway-crds-helm";

/** The Envoy Gateway version of {@link ENVOY_GATEWAY_CRDS_CHART}: the one chart {@link GITLAB_CHART_VERSION} bundles. */
export const ENVOY_GATEWAY_CRDS_VERSION = "v1.8.2";

/** The Gateway API release channel matching {@link GATEWAY_API_CRDS_VERSION} for the pinned chart. */
export const GATEWAY_API_CRDS_CHANNEL = "experimental";

/** The pinned Gateway API CRD bundle, as published with the upstream release. */
export const GATEWAY_API_CRDS_URL = `https://github.com/kubernetes-sigs/gateway-api/releases/download/${GATEWAY_API_CRDS_VERSION}/${GATEWAY_API_CRDS_CHANNEL}-install.yaml`;

/**
 * The node label that places GitLab's workloads on their node pools (GitLab Environment Toolkit's Cloud
 * Native Hybrid layout): node pools carry `workload: <value>`, the chart selects them by nodeSelector.
 */
export const WORKLOAD_LABEL_KEY = "workload";

/** Values of {@link WORKLOAD_LABEL_KEY}, one per node pool. */
export const WORKLOAD_LABELS = {
    webservice: "webservice",
    sidekiq: "sidekiq",
    gitaly: "gitaly",
    supporting: "supporting",
} as const;

/** GitLab size presets: `dev` (one small pod each, no node pools) and the reference sizes S, M, L. */
export const GITLAB_SIZES = ["dev", "s", "m", "l"] as const;
/** One of {@link GITLAB_SIZES}. */
export type GitLabSize = (typeof GITLAB_SIZES)[number];

/** Replicas and resources of one autoscaled GitLab workload. */
export interface GitLabWorkloadSize {
    readonly minReplicas: number;
    readonly maxReplicas: number;
    readonly requests: { readonly cpu: string; readonly memory: string };
    /** Memory limit; absent for `dev` (chart default: none). */
    readonly memoryLimit?: string;
}

/** Gitaly as the reference architecture runs it: fixed pods, request = limit (Guaranteed QoS), dedicated nodes. */
export interface GitalySize {
    /** StatefulSet pods, one storage each (`default`, `storage1`, ...), one per dedicated node. */
    readonly pods: number;
    /** CPU and memory per pod, requested and limited alike. */
    readonly cpu: string;
    readonly memory: string;
}

/** The reference architecture's external services on AWS (its "AWS Equivalent" column, one generation newer, Graviton). */
export interface ExternalServicesSize {
    /** RDS instance class of PostgreSQL. */
    readonly postgresInstanceClass: string;
    /** ElastiCache node type of each Redis (cache and persistent). */
    readonly redisNodeType: string;
}

/** Webservice (Puma workers per pod) and Sidekiq sizing of one preset. */
export interface GitLabSizePreset {
    readonly webservice: GitLabWorkloadSize & { readonly workerProcesses: number };
    readonly sidekiq: GitLabWorkloadSize;
    /** Whether workloads are pinned to node pools labelled {@link WORKLOAD_LABEL_KEY}. */
    readonly nodePools: boolean;
    /** Envoy proxy replicas of the gateway (one per zone for the reference sizes: a zone may fail). */
    readonly gatewayReplicas: number;
    /**
     * Replicas of the chart's bundled Alertmanager when it is on (a gossip cluster spread over zones with a
     * PDB when more than one: the alerts of a zone's outage still reach the topic).
     */
    readonly alertmanagerReplicas: number;
    /** Gitaly pods; absent for `dev` (one pod at chart defaults). */
    readonly gitaly?: GitalySize;
    /** PostgreSQL and Redis classes; absent for `dev`. */
    readonly external?: ExternalServicesSize;
}

/**
 * Sizes after GitLab's "Cloud Native First" reference architecture (beta; external PostgreSQL, Redis and
 * object storage): S <= 100 RPS, M <= 200 RPS, L <= 500 RPS. Every number comes from the size's tables
 * ("Kubernetes components", "Pod scaling configuration", "External services"; page checked at gitlabhq
 * `doc/administration/reference_architectures/cloud_native_first.md`, December 2026): Webservice pods 2 vCPU,
 * 3 GB request, 4 GB limit, 2 Puma workers, S 12-18 / M 28-42 / L 56-84 pods; Sidekiq pods 900m vCPU,
 * 2 GB request, 4 GB limit, S 8-12 / M 16-24 / L 32-48; Gitaly and the external services as commented
 * per size. The RA names m6i/r6i (and c6i) examples and allows newer generations and Graviton: the
 * classes here are the same vCPU and memory one generation on. `dev` keeps the chart's own per-pod
 * requests with a single replica.
 * @see https://docs.gitlab.com/administration/reference_architectures/cloud_native_first/
 */
export const GITLAB_SIZE_PRESETS: Readonly<Record<GitLabSize, GitLabSizePreset>> = {
    dev: {
        webservice: { minReplicas: 1, maxReplicas: 2, workerProcesses: 2, requests: { cpu: "300m", memory: "2.5G" } },
        sidekiq: { minReplicas: 1, maxReplicas: 1, requests: { cpu: "900m", memory: "2G" } },
        nodePools: false,
        gatewayReplicas: 1,
        alertmanagerReplicas: 1,
    },
    s: {
        webservice: {
            minReplicas: 12,
            maxReplicas: 18,
            workerProcesses: 2,
            requests: { cpu: "2", memory: "3G" },
            memoryLimit: "4G",
        },
        sidekiq: { minReplicas: 8, maxReplicas: 12, requests: { cpu: "900m", memory: "2G" }, memoryLimit: "4G" },
        nodePools: true,
        gatewayReplicas: 3,
        alertmanagerReplicas: 2,
        // "Small (S)" > Kubernetes components: Gitaly 7 vCPU, 30 GB (request and limit), 3 pods.
        gitaly: { pods: 3, cpu: "7", memory: "30G" },
        // "Small (S)" > External services: PostgreSQL 8 vCPU, 32 GB (m6i.2xlarge); each Redis 2 vCPU, 8 GB (m6i.large).
        external: { postgresInstanceClass: "db.m7g.2xlarge", redisNodeType: "cache.m7g.large" },
    },
    m: {
        webservice: {
            minReplicas: 28,
            maxReplicas: 42,
            workerProcesses: 2,
            requests: { cpu: "2", memory: "3G" },
            memoryLimit: "4G",
        },
        sidekiq: { minReplicas: 16, maxReplicas: 24, requests: { cpu: "900m", memory: "2G" }, memoryLimit: "4G" },
        nodePools: true,
        gatewayReplicas: 3,
        alertmanagerReplicas: 2,
        // "Medium (M)" > Kubernetes components: Gitaly 15 vCPU, 62 GB (request and limit), 3 pods.
        gitaly: { pods: 3, cpu: "15", memory: "62G" },
        // "Medium (M)" > External services: PostgreSQL 16 vCPU, 64 GB (m6i.4xlarge); each Redis 2 vCPU, 8 GB (m6i.large).
        external: { postgresInstanceClass: "db.m7g.4xlarge", redisNodeType: "cache.m7g.large" },
    },
    l: {
        webservice: {
            minReplicas: 56,
            maxReplicas: 84,
            workerProcesses: 2,
            requests: { cpu: "2", memory: "3G" },
            memoryLimit: "4G",
        },
        sidekiq: { minReplicas: 32, maxReplicas: 48, requests: { cpu: "900m", memory: "2G" }, memoryLimit: "4G" },
        nodePools: true,
        gatewayReplicas: 3,
        alertmanagerReplicas: 2,
        // "Large (L)" > Kubernetes components: Gitaly 31 vCPU, 126 GB (request and limit), 3 pods.
        gitaly: { pods: 3, cpu: "31", memory: "126G" },
        // "Large (L)" > External services: PostgreSQL 32 vCPU, 128 GB (m6i.8xlarge); each Redis 2 vCPU, 16 GB (r6i.large).
        external: { postgresInstanceClass: "db.m7g.8xlarge", redisNodeType: "cache.r7g.large" },
    },
};

/**
 * Request and backend timeout of GitLab's web routes. `0s` disables Envoy's whole-request timeout, as the
 * chart itself does for `ssh-upload-pack`/`ssh-receive-pack`: a clone, LFS object or artifact takes as
 * long as its size and the client's link need. Stalled streams still end on Envoy's idle timeouts.
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#httproutetimeouts
 */
export const GITLAB_ROUTE_TIMEOUT = "0s";

/**
 * Annotations of the Envoy Service on EKS: a Network Load Balancer (not a Classic ELB), internet-facing
 * (the default without the `-internal` annotation), cross-zone, so a zone without a healthy proxy still gets traffic through the others. Read by the AWS
 * cloud controller (cloud-provider-aws `reconcileLBAttributes` sets `load_balancing.cross_zone.enabled`
 * from the cross-zone annotation for NLBs); no AWS Load Balancer Controller needed. Checked against
 * cloud-provider-aws v1.33.0 and v1.35.2 (the EKS minors {@link SUPPORTED_KUBERNETES_VERSIONS}): it reads
 * this cross-zone annotation and no `aws-load-balancer-attributes` or `aws-load-balancer-name` (those are
 * the AWS Load Balancer Controller's); it names the NLB from the Service's UID.
 * @see https://github.com/kubernetes/cloud-provider-aws/blob/master/pkg/providers/v1/aws_loadbalancer.go
 */
export const AWS_NLB_SERVICE_ANNOTATIONS = {
    "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
    "service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled": "true",
} as const;

/** Default PostgreSQL port and database name of GitLab's external database. */
export const POSTGRES_DEFAULT_PORT = 5432;
export const POSTGRES_DEFAULT_DATABASE = "gitlabhq_production";

/** Default Redis port. */
export const REDIS_DEFAULT_PORT = 6379;

/**
 * Pod Security Standard enforced on GitLab's namespace: `baseline` forbids privileged pods, host
 * namespaces and hostPath volumes, none of which the chart's workloads use.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
export const GITLAB_POD_SECURITY_LEVEL = "baseline";

/** Length of the generated initial root password (letters and digits). */
export const GITLAB_ROOT_PASSWORD_LENGTH = 32;

// ---------------------------------------------------------------------------------------------------
// Flux (components/flux): operator chart, Flux distribution, OCI sync, deploy-token rotation.
// ---------------------------------------------------------------------------------------------------

/** The Flux Operator chart, published as an OCI artifact. @see https://fluxoperator.dev/docs/guides/install/ */
export const FLUX_OPERATOR_CHART = "oci://ghcr.io/controlplaneio-fluxcd/charts/flux-operator";

/**
 * The Flux Operator chart version. The chart version has equalled the operator version in every release
 * (controlplaneio-fluxcd/charts); operator v0.58.1 (2026-08-19) embeds the Flux v2.9.4 manifests
 * (flux-operator `config/data/flux/v2.9.4`). The chart tag 0.58.1 itself is UNVERIFIED: check with
 * `helm show chart oci://ghcr.io/controlplaneio-fluxcd/charts/flux-operator --version 0.58.1`.
 */
export const FLUX_OPERATOR_CHART_VERSION = "0.58.1";

/** The exact Flux distribution the FluxInstance installs (fluxcd/flux2 tag v2.9.4, 2026-08-07). */
export const FLUX_VERSION = "2.9.4";

/** Where the Flux controller images come from (upstream distribution). */
export const FLUX_REGISTRY = "ghcr.io/fluxcd";

/** The namespace of the operator, the FluxInstance and, by default, every source and Kustomization. */
export const FLUX_NAMESPACE = "flux-system";

/** How long Pulumi waits for the operator release and for the FluxInstance to become Ready, in seconds. */
export const FLUX_INSTALL_TIMEOUT_SECONDS = 600;

/** How often an OCIRepository polls the registry (the GitLab tutorial's value). */
export const OCI_SYNC_SOURCE_INTERVAL = "1m";

/** How often a Kustomization re-applies (drift correction; a new artifact triggers it at once anyway). */
export const OCI_SYNC_KUSTOMIZATION_INTERVAL = "10m";

/** The docker-registry Secret holding the deploy token (the name GitLab's Flux tutorial uses). */
export const REGISTRY_AUTH_SECRET_NAME = "gitlab-registry-auth";

/** A new registry deploy token is minted every this many days (one generation per period). */
export const DEPLOY_TOKEN_ROTATION_PERIOD_DAYS = 30;

/** Each deploy token expires this many days after its period starts: two periods, so the previous stays valid. */
export const DEPLOY_TOKEN_VALIDITY_DAYS = 60;

// ---------------------------------------------------------------------------------------------------
// Apps and review apps (components/apps).
// ---------------------------------------------------------------------------------------------------

/** The port the application container listens on (unprivileged images such as nginx-unprivileged). */
export const APP_CONTAINER_PORT = 8080;

/** The Service port in front of the container. */
export const APP_SERVICE_PORT = 80;

/** Replicas of an App. */
export const APP_REPLICAS = 1;

/** Per-container requests and limits of an App. */
export const APP_RESOURCES = {
    requests: { cpu: "50m", memory: "64Mi" },
    limits: { cpu: "500m", memory: "256Mi" },
} as const;

/** The HTTP path both probes request. */
export const APP_HEALTH_PATH = "/";

/** Paths mounted as emptyDir because the root filesystem is read-only. */
export const APP_WRITABLE_PATHS = ["/tmp"] as const;

/**
 * The namespace label an {@link AppGateway}'s listeners admit HTTPRoutes from
 * (`allowedRoutes.namespaces.from: Selector`): review namespaces and the workloads stack's `namespaces`
 * carry it; any other namespace cannot claim an app host.
 */
export const APP_ROUTES_LABEL = "gitlab-platform/app-routes";

/** Namespace of the app Gateway, its certificates and its issuer. */
export const APP_GATEWAY_NAMESPACE = "app-gateway";

/**
 * The GatewayClass of the Envoy Gateway the GitLab chart installs (`global.gatewayApi.class.name`,
 * default `gitlab-gw`, checked against chart 9.10.0 `values.yaml` and `templates/gatewayclass.yaml`).
 * Its `parametersRef` is the chart's EnvoyProxy, so an app Gateway of this class gets the same proxy
 * replicas, PodDisruptionBudget, zone spread and load balancer annotations as GitLab's.
 */
export const GITLAB_GATEWAY_CLASS = "gitlab-gw";

/** Prefix of every review-app namespace. */
export const REVIEW_NAMESPACE_PREFIX = "review-";

/** Longest review slug: `review-<slug>` stays a 63-character DNS label. */
export const REVIEW_SLUG_MAX_LENGTH = 63 - REVIEW_NAMESPACE_PREFIX.length;

/** The label every review-app namespace carries, for cleanup (`kubectl get ns -l gitlab-platform/review-app=true`). */
export const REVIEW_APP_LABEL = "gitlab-platform/review-app";

/** The label carrying the review slug. */
export const REVIEW_SLUG_LABEL = "gitlab-platform/review-slug";

/**
 * What one review namespace may use in total. No LoadBalancer or NodePort Services (cost and exposure):
 * review apps are reached through the shared ingress or gateway.
 */
export const REVIEW_QUOTA = {
    "requests.cpu": "1",
    "requests.memory": "1Gi",
    "limits.cpu": "2",
    "limits.memory": "2Gi",
    pods: "10",
    "services.loadbalancers": "0",
    "services.nodeports": "0",
    persistentvolumeclaims: "0",
} as const;

/** Per-container defaults and ceiling inside a review namespace (applied to containers that set none). */
export const REVIEW_CONTAINER_LIMITS = {
    defaultRequest: { cpu: "50m", memory: "64Mi" },
    default: { cpu: "500m", memory: "256Mi" },
    max: { cpu: "1", memory: "1Gi" },
} as const;

// ---------------------------------------------------------------------------------------------------
// GitLab API dynamic resources (components/gitlab-api): client bounds and resource defaults. Defined
// beside the providers because a dynamic provider is serialized with every module value its code
// touches: reading this file from provider code would ship all of its constants into each provider.
// ---------------------------------------------------------------------------------------------------

export * from "./gitlab-api/defaults";

// ---------------------------------------------------------------------------------------------------
// GitLab agent (components/agent) and GitLab runners (components/runner).
// ---------------------------------------------------------------------------------------------------

/** The agent chart's name in {@link GITLAB_CHART_REPOSITORY}. */
export const GITLAB_AGENT_CHART_NAME = "gitlab-agent";

/**
 * The agent chart version: the newest found in stored material is 2.29.0 (its templates and values are
 * analysed in a third-party review of the chart, github.com/Ro-Fo/Gitlab-agent-helm docs). 2.28.0 ships
 * agentk v19.1.0 (a third-party `helm list` of 2026-08), one chart minor per GitLab minor, so 2.29.0
 * ships agentk 19.2.x, matching the GitLab 19.2 chart. UNVERIFIED: exact date and appVersion; check with
 * `helm search repo gitlab/gitlab-agent -l`.
 * @see https://gitlab.com/gitlab-org/charts/gitlab-agent/-/tags
 */
export const GITLAB_AGENT_CHART_VERSION = "2.29.0";

/** The runner chart's name in {@link GITLAB_CHART_REPOSITORY}. */
export const GITLAB_RUNNER_CHART_NAME = "gitlab-runner";

/**
 * The runner chart version: 0.91.0 ships Runner 19.2 (GitLab chart CHANGELOG 10.2.1 bumps its bundled
 * runner chart to 0.91.0), matching {@link GITLAB_CHART_VERSION}.
 * @see https://gitlab.com/gitlab-org/charts/gitlab-runner/-/blob/main/CHANGELOG.md
 */
export const GITLAB_RUNNER_CHART_VERSION = "0.91.0";

/** Namespace and Helm release name of the agent. */
export const AGENT_DEFAULT_NAMESPACE = "gitlab-agent";
export const AGENT_RELEASE_NAME = "gitlab-agent";

/** agentk replicas (the chart's default; two replicas elect a leader). */
export const AGENT_DEFAULT_REPLICAS = 2;

/** The branch the agent configuration file is committed to: GitLab reads it from the default branch. */
export const AGENT_DEFAULT_CONFIG_BRANCH = "main";

/** The two token slots of blue/green rotation: GitLab allows at most two active tokens per agent. */
export const AGENT_TOKEN_SLOTS = ["blue", "green"] as const;
/** One of {@link AGENT_TOKEN_SLOTS}. */
export type AgentTokenSlot = (typeof AGENT_TOKEN_SLOTS)[number];

/** The slot whose token the agent uses unless told otherwise. */
export const AGENT_DEFAULT_TOKEN_SLOT: AgentTokenSlot = "blue";

/** The built-in ClusterRole bound per namespace where the agent (or a CI job identity) gets full access. */
export const AGENT_NAMESPACE_CLUSTER_ROLE = "admin";

/** ClusterRoles environment templates may bind (GitLab's default template binds `admin`). */
export const AGENT_RESOURCE_MANAGEMENT_ROLES = ["admin"] as const;

/** Runners get a namespace each by default, `gitlab-runner-<name>`, so a privileged runner never shares one. */
export const RUNNER_NAMESPACE_PREFIX = "gitlab-runner-";

/** Jobs one runner manager runs at once (the chart's default). */
export const RUNNER_DEFAULT_CONCURRENT = 10;

/** Image of jobs that name none (Alpine 3.22, supported until 2027-05). */
export const RUNNER_DEFAULT_JOB_IMAGE = "alpine:3.22";

/** Requests and limits of job pod containers: build, helper (clone, cache, artifacts) and services. */
export const RUNNER_DEFAULT_RESOURCES = {
    build: { cpuRequest: "500m", cpuLimit: "2", memoryRequest: "1Gi", memoryLimit: "4Gi" },
    helper: { cpuRequest: "100m", cpuLimit: "500m", memoryRequest: "128Mi", memoryLimit: "512Mi" },
    service: { cpuRequest: "250m", cpuLimit: "1", memoryRequest: "256Mi", memoryLimit: "1Gi" },
} as const;

/**
 * The runners node pool: labelled `workload: runners` (same key as the GitLab pools) and tainted
 * `workload=runners:NoSchedule`, so only job pods land there and the autoscaler can empty it.
 */
export const RUNNER_NODE_POOL = {
    labelKey: WORKLOAD_LABEL_KEY,
    labelValue: "runners",
    taintEffect: "NoSchedule",
} as const;

/** Tainted node pools (`workload=<pool>:NoSchedule`): runners for job pods, gitaly for Gitaly alone (the RA's exclusive placement). */
export const TAINTED_NODE_POOLS: readonly string[] = [RUNNER_NODE_POOL.labelValue, "gitaly"];

/** The label every CI job pod carries (`pod_labels`), which the jobs' NetworkPolicy selects. */
export const RUNNER_JOB_LABEL = { key: "gitlab-platform/ci-job", value: "true" } as const;

/**
 * Where CI job pods may never connect: every private range (the VPC, its RDS and ElastiCache, GitLab's
 * pods, the API server), carrier-grade NAT (EKS custom pod networking) and link-local (the instance
 * metadata service 169.254.169.254, the EKS Pod Identity agent 169.254.170.23).
 */
export const RUNNER_JOB_DENIED_EGRESS_CIDRS = [
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "100.64.0.0/10",
    "169.254.0.0/16",
] as const;

/** Runner object defaults in GitLab: locked to its project, runs jobs of any ref. */
export const RUNNER_DEFAULT_LOCKED = true;
export const RUNNER_DEFAULT_ACCESS_LEVEL = "not_protected";

/** GitLab refuses a runner `maximum_timeout` below 10 minutes (the provider's own check). */
export { RUNNER_MIN_MAXIMUM_TIMEOUT as RUNNER_MIN_MAXIMUM_TIMEOUT_SECONDS } from "./gitlab-api/user-runner";

// ---------------------------------------------------------------------------------------------------
// AWS (components/network, components/cluster eks path, components/data/aws-*): EKS node pools, the
// instance-type table, network layout, RDS, ElastiCache, S3 and IRSA defaults.
// ---------------------------------------------------------------------------------------------------

/** One EKS managed node group per workload (GitLab Environment Toolkit's Cloud Native Hybrid layout). */
export const EKS_WORKLOADS = [
    WORKLOAD_LABELS.webservice,
    WORKLOAD_LABELS.sidekiq,
    WORKLOAD_LABELS.gitaly,
    WORKLOAD_LABELS.supporting,
    RUNNER_NODE_POOL.labelValue,
] as const;
/** One of {@link EKS_WORKLOADS}. */
export type EksWorkload = (typeof EKS_WORKLOADS)[number];

/**
 * The untainted node groups GitLab's Rails and supporting pods run on; they carry the data-clients group.
 * The gitaly group is tainted for Gitaly alone (it reaches neither database nor Redis), the runners
 * group for job pods only.
 */
export const EKS_GITLAB_WORKLOADS: readonly EksWorkload[] = [
    WORKLOAD_LABELS.webservice,
    WORKLOAD_LABELS.sidekiq,
    WORKLOAD_LABELS.supporting,
];

/** vCPUs, memory and CPU architecture of an EC2 instance type (AWS instance-type specifications). */
export interface InstanceTypeFacts {
    readonly vcpu: number;
    readonly memoryGiB: number;
    readonly arch: "x86_64" | "arm64";
}

/**
 * The instance types node groups may use, with the facts capacity checks need. General purpose (m),
 * compute (c) and memory (r) optimised, Intel 7th gen and Graviton3; no burstable types.
 * @see https://docs.aws.amazon.com/ec2/latest/instancetypes/gp.html
 */
export const EKS_INSTANCE_TYPES: Readonly<Record<string, InstanceTypeFacts>> = {
    "m7i.large": { vcpu: 2, memoryGiB: 8, arch: "x86_64" },
    "m7i.xlarge": { vcpu: 4, memoryGiB: 16, arch: "x86_64" },
    "m7i.2xlarge": { vcpu: 8, memoryGiB: 32, arch: "x86_64" },
    "m7i.4xlarge": { vcpu: 16, memoryGiB: 64, arch: "x86_64" },
    "c7i.large": { vcpu: 2, memoryGiB: 4, arch: "x86_64" },
    "c7i.xlarge": { vcpu: 4, memoryGiB: 8, arch: "x86_64" },
    "c7i.2xlarge": { vcpu: 8, memoryGiB: 16, arch: "x86_64" },
    "c7i.4xlarge": { vcpu: 16, memoryGiB: 32, arch: "x86_64" },
    "r7i.large": { vcpu: 2, memoryGiB: 16, arch: "x86_64" },
    "r7i.xlarge": { vcpu: 4, memoryGiB: 32, arch: "x86_64" },
    "r7i.2xlarge": { vcpu: 8, memoryGiB: 64, arch: "x86_64" },
    "m7g.large": { vcpu: 2, memoryGiB: 8, arch: "arm64" },
    "m7g.xlarge": { vcpu: 4, memoryGiB: 16, arch: "arm64" },
    "m7g.2xlarge": { vcpu: 8, memoryGiB: 32, arch: "arm64" },
    "c7g.xlarge": { vcpu: 4, memoryGiB: 8, arch: "arm64" },
    "c7g.2xlarge": { vcpu: 8, memoryGiB: 16, arch: "arm64" },
};

/** The EKS-optimised Amazon Linux 2023 AMI per architecture (AL2 AMIs end with Kubernetes 1.32). */
export const EKS_AMI_TYPES = { x86_64: "AL2023_x86_64_STANDARD", arm64: "AL2023_ARM_64_STANDARD" } as const;

/** A node group's shape as the defaults state it. */
export interface EksNodeGroupDefaults {
    readonly instanceTypes: readonly string[];
    readonly minSize: number;
    readonly maxSize: number;
}

/**
 * Node groups of GitLab's Cloud Native First "S" ("Small (S)" > Kubernetes components, "Example Node
 * Configuration", AWS column): Webservice 6 x c6i.2xlarge (here 3-5 x c7i.4xlarge: the same 48 vCPU at
 * 3 and room for 18 pods at 5), Sidekiq 3 x m6i.xlarge (here 2-4 x m7i.2xlarge), Gitaly 3 x m6i.2xlarge
 * (here exactly 3 x m7i.2xlarge, one per zone, tainted for Gitaly alone), Supporting 3 x c6i.xlarge (12
 * vCPU, 48 GB: here 3 x m7i.xlarge, same vCPU, more memory for cert-manager, Envoy, exporters); runners
 * scale from zero.
 */
export const EKS_DEFAULT_NODE_GROUPS: Readonly<Record<EksWorkload, EksNodeGroupDefaults>> = {
    webservice: { instanceTypes: ["c7i.4xlarge"], minSize: 3, maxSize: 5 },
    sidekiq: { instanceTypes: ["m7i.2xlarge"], minSize: 2, maxSize: 4 },
    gitaly: { instanceTypes: ["m7i.2xlarge"], minSize: 3, maxSize: 3 },
    supporting: { instanceTypes: ["m7i.xlarge"], minSize: 3, maxSize: 4 },
    runners: { instanceTypes: ["c7i.2xlarge"], minSize: 0, maxSize: 10 },
};

/**
 * Configuration of the `vpc-cni` EKS add-on: its network policy agent on, so NetworkPolicy objects (the
 * runner job pods' egress policy) are enforced; without it the API accepts them and nothing happens.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy-configure.html
 */
export const VPC_CNI_CONFIGURATION = { enableNetworkPolicy: "true" } as const;

/** The cluster autoscaler's Helm repository and chart. */
export const CLUSTER_AUTOSCALER_CHART_REPOSITORY = "https://kubernetes.github.io/autoscaler";
export const CLUSTER_AUTOSCALER_CHART_NAME = "cluster-autoscaler";

/**
 * The cluster autoscaler chart: 9.59.0 (2026-07-21, tag `cluster-autoscaler-chart-9.59.0` of
 * kubernetes/autoscaler, appVersion 1.35.0). The autoscaler's minor must equal the cluster's, so the image
 * tag is set per minor ({@link CLUSTER_AUTOSCALER_IMAGE_TAGS}).
 * @see https://github.com/kubernetes/autoscaler/tree/master/charts/cluster-autoscaler
 */
export const CLUSTER_AUTOSCALER_CHART_VERSION = "9.59.0";

/** Newest cluster autoscaler patch per Kubernetes minor (kubernetes/autoscaler tags `cluster-autoscaler-1.3x.y`, checked 2026-08-22). */
export const CLUSTER_AUTOSCALER_IMAGE_TAGS: Readonly<Record<KubernetesVersion, string>> = {
    "1.33": "v1.33.6",
    "1.34": "v1.34.5",
    "1.35": "v1.35.2",
};

/** Namespace and service account of the cluster autoscaler (its IRSA subject). */
export const CLUSTER_AUTOSCALER_NAMESPACE = "kube-system";
export const CLUSTER_AUTOSCALER_SERVICE_ACCOUNT = "cluster-autoscaler";

/**
 * external-dns, which publishes Route 53 records for the hosts the Gateway's routes name: chart 1.21.1
 * (tag `external-dns-helm-chart-1.21.1` of kubernetes-sigs/external-dns, 2026-04-30, app v0.21.0).
 * @see https://github.com/kubernetes-sigs/external-dns/tree/master/charts/external-dns
 */
export const EXTERNAL_DNS_CHART_REPOSITORY = "https://kubernetes-sigs.github.io/external-dns/";
export const EXTERNAL_DNS_CHART_NAME = "external-dns";
export const EXTERNAL_DNS_CHART_VERSION = "1.21.1";

/** Namespace and service account of external-dns (its IRSA subject). */
export const EXTERNAL_DNS_NAMESPACE = "external-dns";
export const EXTERNAL_DNS_SERVICE_ACCOUNT = "external-dns";

/**
 * What external-dns reads: the Gateway API routes (GitLab's web, registry and KAS HTTPRoutes, the
 * gitlab-shell TCPRoute, and every app's HTTPRoute), so each host the stack serves gets its record.
 */
export const EXTERNAL_DNS_SOURCES = ["gateway-httproute", "gateway-tcproute"] as const;

/**
 * Let's Encrypt's production ACME directory (the chart's own `certmanager-issuer.server` default), used by
 * the DNS-01 ClusterIssuer the stack declares when it owns the domain's Route 53 zone.
 */
export const ACME_SERVER = "https://acme-v02.api.letsencrypt.org/directory";

/** Root volume of every node, GiB (gp3, encrypted). Images of GitLab's components are large. */
export const EKS_NODE_DISK_SIZE_GIB = 100;

/** Control plane log types sent to CloudWatch. */
export const EKS_CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator"] as const;

/** Retention of the control plane log group, days (EKS leaves it at "never expire" otherwise). */
export const EKS_LOG_RETENTION_DAYS = 90;

/** GitLab's documented minimum for the default chart: 8 vCPU and 30 GB of memory. */
export const GITLAB_MIN_CLUSTER_VCPU = 8;
export const GITLAB_MIN_CLUSTER_MEMORY_GB = 30;

/** The default VPC range of a created network. */
export const AWS_VPC_DEFAULT_CIDR = "10.0.0.0/16";

/** NAT gateways: one per availability zone (survives a zone outage; about 33 USD a month each plus traffic). */
export const AWS_NAT_GATEWAYS_DEFAULT = "perAz";

/** PostgreSQL major on RDS (chart 10.x requires 17); RDS picks the newest minor and upgrades it. */
export const RDS_POSTGRES_ENGINE_VERSION = "17";
export const RDS_POSTGRES_PARAMETER_FAMILY = "postgres17";

/** RDS instance class: Graviton, 2 vCPU / 8 GiB, the size of GitLab's 2-3k user reference database. */
export const RDS_DEFAULT_INSTANCE_CLASS = "db.m7g.large";

/** RDS storage (gp3), GiB, and the ceiling storage autoscaling may grow it to. */
export const RDS_DEFAULT_ALLOCATED_STORAGE_GIB = 100;
export const RDS_DEFAULT_MAX_ALLOCATED_STORAGE_GIB = 1000;

/** Days RDS keeps automated backups (point-in-time recovery window); at least {@link RDS_MIN_BACKUP_RETENTION_DAYS}. */
export const RDS_DEFAULT_BACKUP_RETENTION_DAYS = 14;
export const RDS_MIN_BACKUP_RETENTION_DAYS = 7;

/** The database's master user, which GitLab uses. */
export const RDS_DEFAULT_USERNAME = "gitlab";

/** Redis OSS engine on ElastiCache: 7.1 is the newest Redis OSS release there. */
export const ELASTICACHE_REDIS_ENGINE_VERSION = "7.1";

/** The parameter group family of {@link ELASTICACHE_REDIS_ENGINE_VERSION}. */
export const ELASTICACHE_REDIS_PARAMETER_FAMILY = "redis7";

/** What a GitLab Redis instance holds: everything (`combined`), only the cache, or the rest (`persistent`). */
export const REDIS_ROLES = ["combined", "persistent", "cache"] as const;
/** One of {@link REDIS_ROLES}. */
export type RedisRole = (typeof REDIS_ROLES)[number];

/**
 * `maxmemory-policy` per role. ElastiCache's default group (`default.redis7`) uses `volatile-lru`, which
 * evicts Sidekiq jobs and sessions that carry a TTL; GitLab requires `noeviction` wherever persistent
 * data lives, and a cache-only instance may evict least-recently-used keys.
 * (GitLab Environment Toolkit issue 833: "Configure no eviction policy for combined and permanent Redis").
 * @see https://gitlab.com/gitlab-org/gitlab-environment-toolkit/-/issues/833
 * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html
 */
export const REDIS_MAXMEMORY_POLICIES: Readonly<Record<RedisRole, string>> = {
    combined: "noeviction",
    persistent: "noeviction",
    cache: "allkeys-lru",
};

/** ElastiCache node type and node count (a primary and one replica in another zone). */
export const ELASTICACHE_DEFAULT_NODE_TYPE = "cache.m7g.large";
export const ELASTICACHE_DEFAULT_NODE_COUNT = 2;

/** Days ElastiCache keeps daily snapshots. */
export const ELASTICACHE_SNAPSHOT_RETENTION_DAYS = 7;

/** Lifecycle of the buckets: tmp objects, noncurrent versions and unfinished multipart uploads expire. */
export const S3_TMP_EXPIRATION_DAYS = 7;
export const S3_NONCURRENT_VERSION_EXPIRATION_DAYS = 30;
export const S3_ABORT_MULTIPART_DAYS = 7;

/** Waiting period before a deleted KMS key is gone (the maximum AWS allows). */
export const KMS_DELETION_WINDOW_DAYS = 30;

/**
 * The chart components that reach object storage and get the IRSA role: their chart-created service
 * accounts are named `<release>-<component>` (`gitlab.serviceAccount.name` falls back to the fullname).
 * GitLab's IAM-roles guide annotates migrations too, so it is trusted as well.
 * @see https://docs.gitlab.com/charts/advanced/external-object-storage/aws-iam-roles/
 */
export const GITLAB_OBJECT_STORAGE_COMPONENTS = ["webservice", "sidekiq", "toolbox", "registry", "migrations"] as const;

// ---------------------------------------------------------------------------------------------------
// Day 2 (components/gitlab rails secrets, backups, upgrades; components/monitoring): what a restore,
// an upgrade and an alarm rely on.
// ---------------------------------------------------------------------------------------------------

/** The Rails environment of the chart's `secrets.yml` (`shared-secrets.env`, chart default). */
export const GITLAB_RAILS_ENV = "production";

/** The key of GitLab's rails Secret holding `secrets.yml` (chart 9.10 mounts `secrets.yml` from it). */
export const GITLAB_RAILS_SECRETS_KEY = "secrets.yml";

/**
 * When the toolbox's `backup-utility` CronJob runs (cluster time zone), writing to the backups bucket.
 * The chart's own default time, with the cron enabled (the chart leaves it off).
 * @see https://docs.gitlab.com/charts/backup-restore/backup/#cron-based-backup
 */
export const GITLAB_BACKUP_SCHEDULE = "0 1 * * *";

/**
 * Size of the generic ephemeral volume the backup job stages repositories and the tarball on (the node's
 * own disk is too small for a real instance's repositories). Raise it with the repositories' size.
 */
export const GITLAB_BACKUP_VOLUME_SIZE = "100Gi";

/** When AWS Backup snapshots Gitaly's volumes (UTC): daily at 03:00, after the toolbox backup. */
export const GITALY_SNAPSHOT_SCHEDULE = "cron(0 3 * * ? *)";

/** Days Gitaly snapshots are kept: the RDS point-in-time window, so both restore to the same day. */
export const GITALY_SNAPSHOT_RETENTION_DAYS = 14;

/** What one GitLab chart version installs and needs. */
export interface GitLabChartRelease {
    /** The GitLab version the chart ships (`appVersion`). */
    readonly gitlab: string;
    /** The oldest PostgreSQL major version the release supports. */
    readonly minPostgresMajor: number;
}

/**
 * The chart versions this package can deploy and the GitLab version each ships: the one table upgrades
 * are checked against (`gitlab.chartVersion` must be a key). Chart `M.m.p` ships GitLab `M+9.m.p` (chart
 * version mappings; 9.10.0's `appVersion` is v18.10.0, read from the package in /work/shared/charts).
 * GitLab 18 needs PostgreSQL 16, GitLab 19 (chart 10.x) PostgreSQL 17. 9.11.0 (GitLab 18.11, the last
 * 18.x required stop) is listed so that 9.10 stacks have a path to 10.x; its package was not at hand.
 * @see https://docs.gitlab.com/charts/installation/version_mappings/
 * @see https://docs.gitlab.com/install/requirements/#postgresql
 */
export const GITLAB_CHART_RELEASES: Readonly<Record<string, GitLabChartRelease>> = {
    "9.10.0": { gitlab: "18.10.0", minPostgresMajor: 16 },
    "9.11.0": { gitlab: "18.11.0", minPostgresMajor: 16 },
    "10.2.3": { gitlab: "19.2.3", minPostgresMajor: 17 },
};

/**
 * Alarm thresholds (components/monitoring). Connections: `max_connections` of db.m7g.large (8 GiB) is
 * about 900 (RDS default `LEAST(DBInstanceClassMemory/9531392, 5000)`), so 600 leaves headroom to react.
 */
export const ALARM_THRESHOLDS = {
    postgresCpuPercent: 80,
    postgresFreeStorageFraction: 0.1,
    postgresConnections: 600,
    postgresReplicaLagSeconds: 60,
    redisMemoryPercent: 80,
    redisReplicationLagSeconds: 30,
} as const;
