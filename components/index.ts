/**
 * The package's public API, as an explicit list: the components, their `*Args` and the types those
 * name, the errors they throw, and the pinned defaults (as the `defaults` namespace). Internals are not
 * exported: the GitLab API plumbing (HTTP, retries, providers), the AWS policy builders, the values and
 * manifest builders, and the specs and validation helpers (components/internal/). See docs/stability.md.
 */
import * as defaults from "./defaults";

export { defaults };
export type { AgentTokenSlot, EksWorkload, KubernetesVersion } from "./defaults";
export { InvalidArgsError, type Problem } from "./errors";

// The cluster, and on AWS its network.
export { KubernetesCluster, type ExistingClusterArgs, type KubernetesClusterArgs } from "./cluster/kubernetes-cluster";
export type { EksClusterArgs, EksNodeGroupSpec, NodeCapacity, OidcIdentity } from "./cluster/eks-config";
export {
    AwsNetwork,
    type AwsNetworkArgs,
    type AwsNetworkRef,
    type CreatedVpcArgs,
    type ExistingVpcArgs,
} from "./network/aws-network";
// The EKS cluster's parts: public because their type tokens are part of every EKS stack's URNs.
export { EksControlPlane, type EksControlPlaneArgs } from "./cluster/eks-control-plane";
export { EksNodeGroup, type EksNodeGroupArgs } from "./cluster/eks-node-group";
export { EksWorkloadAddons, type EksWorkloadAddonsArgs } from "./cluster/eks-addons";
export { ClusterAutoscaler, type ClusterAutoscalerArgs } from "./cluster/cluster-autoscaler";
// DNS and signals on AWS.
export { Route53Dns, type HostedZoneArgs, type Route53DnsArgs } from "./dns/route53-dns";
export { AcmeDns01Issuer, acmeDns01IssuerName, type AcmeDns01IssuerArgs } from "./dns/acme-dns01";
export {
    AwsAlarms,
    type AlarmSubscribers,
    type AlertmanagerRoleArgs,
    type AwsAlarmsArgs,
} from "./monitoring/aws-alarms";

// 3. GitLab runs on Kubernetes: its external services, then the official chart.
export { AwsDataServices, type AwsDataServicesArgs } from "./data/aws-data-services";
// The AWS data services' parts: public because their type tokens are part of every AWS stack's URNs.
export { AwsBuckets, type AwsBucketsArgs, type AwsObjectStorageSettings } from "./data/aws-buckets";
export { AwsPostgres, type AwsPostgresArgs, type AwsPostgresSettings } from "./data/aws-postgres";
export { AwsRedis, type AwsRedisArgs, type AwsRedisSettings } from "./data/aws-redis";
export { AwsGitalyBackups, type AwsGitalyBackupSettings, type AwsGitalyBackupsArgs } from "./data/aws-gitaly-backups";
export { defaultNamePrefix } from "./data/aws-naming";
export {
    existingDataServices,
    type ExistingDataCredentials,
    type ExistingDataServicesArgs,
    type ExistingDataSettings,
    type ExistingObjectStorageSettings,
    type ExistingPostgresSettings,
    type ExistingRedisSettings,
} from "./data/existing";
export {
    GITLAB_BUCKET_TYPES,
    type GitLabBucketType,
    type GitLabDataServices,
    type ObjectStorageAuth,
    type ObjectStorageConnection,
    type PostgresConnection,
    type RedisConnection,
} from "./data/connection";
export { GitLab, type GitLabArgs, type GitLabTlsArgs } from "./gitlab/gitlab";
export type { AlertmanagerSnsArgs } from "./gitlab/alertmanager-values";
export { RailsSecrets, type RailsSecretsArgs, type RailsSecretValues } from "./gitlab/rails-secrets";
export type { GitLabBackupArgs } from "./gitlab/backups";
export {
    GITLAB_EDITIONS,
    GITLAB_ROUTINGS,
    type GitLabEdition,
    type GitLabRouting,
    type GitLabSettings,
} from "./gitlab/settings";

// 1. GitLab deploys to Kubernetes: the agent, Flux and its syncs, apps and review apps.
export { GitLabAgent, type GitLabAgentArgs } from "./agent/gitlab-agent";
export type {
    AgentAccessArgs,
    AgentFluxArgs,
    CiAccessArgs,
    CiAccessAs,
    CiAccessEntry,
    ImpersonationExtra,
    UserAccessArgs,
} from "./agent/access";
export { Flux, type FluxArgs } from "./flux/flux";
export { OciSync, type OciSyncArgs, type OciSyncKustomization } from "./flux/oci-sync";
export type { FluxComponent, OciRef, OciVerify } from "./flux/manifests";
export type { TokenRotation } from "./flux/rotation";
export { App, type AppArgs } from "./apps/app";
export type { AppExposure, AppResources, GatewayRef } from "./apps/manifests";
export { AppGateway, type AppGatewayArgs, type AppGatewayRef, type AppGatewayTls } from "./apps/app-gateway";
export { ReviewApp, type ContainerQuantities, type ReviewAppArgs, type ReviewRoute } from "./apps/review-app";
export { reviewNamespaceName, reviewSlug } from "./apps/naming";

// 2. Kubernetes runs GitLab's runners.
export { GitLabRunner, type GitLabRunnerArgs, type RunnerCacheArgs, type RunnerScope } from "./runner/gitlab-runner";
export type { ContainerResources } from "./runner/config-toml";

// GitLab API resources (named as in @pulumi/gitlab), and the errors their providers raise.
export { ClusterAgent, type ClusterAgentArgs } from "./gitlab-api/cluster-agent";
export { ClusterAgentToken, type ClusterAgentTokenArgs } from "./gitlab-api/cluster-agent-token";
export { UserRunner, type RunnerType, type UserRunnerArgs } from "./gitlab-api/user-runner";
export {
    ProjectDeployToken,
    type DeployTokenScopeName,
    type ProjectDeployTokenArgs,
} from "./gitlab-api/project-deploy-token";
export { RepositoryFile, type RepositoryFileArgs } from "./gitlab-api/repository-file";
export { ProjectVariable, type ProjectVariableArgs } from "./gitlab-api/project-variable";
export { Group, type GroupArgs } from "./gitlab-api/group";
export { Project, type ProjectArgs } from "./gitlab-api/project";
export { ApplicationSettings, type ApplicationSettingsArgs } from "./gitlab-api/application-settings";
export { GitLabObjects, type GitLabObjectsArgs } from "./gitlab-api/gitlab-objects";
export { AlreadyExistsError, type VisibilityLevel } from "./gitlab-api/namespace-kit";
export { GitLabApiError } from "./gitlab-api/http";
export { GitLabConnectionError } from "./gitlab-api/connection";
export type { ProviderSettings } from "./gitlab-api/provider-kit";
export type { RetryPolicy } from "./gitlab-api/retry";
