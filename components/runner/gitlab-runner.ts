import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ObjectStorageAuth } from "../data/connection";
import {
    GITLAB_CHART_REPOSITORY,
    GITLAB_RUNNER_CHART_NAME,
    GITLAB_RUNNER_CHART_VERSION,
    RUNNER_NODE_POOL,
} from "../defaults";
import { assertValid } from "../errors";
import { UserRunner } from "../gitlab-api/user-runner";
import { buildRunnerConfigToml, type CacheToml, type ContainerResources } from "./config-toml";
import { parseArgs } from "../internal/spec-kit";
import { resolveRunner, runnerArgsSpec, runnerRules, type ResolvedRunner } from "./spec";
import { buildJobNetworkPolicy } from "./job-network-policy";
import { buildRunnerValues } from "./values";

/**
 * Which jobs the runner serves: every project of the instance (administrators only), one group and its
 * projects, or one project. Maps to `runner_type` `instance_type` / `group_type` / `project_type`.
 */
export type RunnerScope =
    | { type: "instance" }
    | {
          type: "group";
          /** Numeric ID of the group (Owner role needed). */
          groupId: pulumi.Input<number>;
      }
    | {
          type: "project";
          /** Numeric ID of the project (Maintainer role needed). */
          projectId: pulumi.Input<number>;
      };

/**
 * The distributed cache in the stack's object storage. S3 (or S3-compatible) with the manager pod's IAM
 * role (IRSA) or static keys kept in a Secret (`runners.cache.secretName`), or GCS with workload
 * identity or a credentials file kept in a Secret.
 * @see https://docs.gitlab.com/runner/install/kubernetes_helm_chart_configuration/#configure-the-cache
 */
export type RunnerCacheArgs =
    | {
          /** S3 or an S3-compatible service. */
          type: "s3";
          /** The bucket's name. */
          bucket: pulumi.Input<string>;
          /** The bucket's region. */
          region: string;
          /** `host[:port]` of an S3-compatible service. @default - AWS S3 */
          endpoint?: string;
          /** Key prefix. @default - the component name */
          path?: string;
          /** IAM role of the manager's service account (IRSA; `roleArn` annotates it), or static keys. */
          auth: ObjectStorageAuth;
      }
    | {
          /** Google Cloud Storage. */
          type: "gcs";
          /** The bucket's name. */
          bucket: pulumi.Input<string>;
          /** Key prefix. @default - the component name */
          path?: string;
          /** Workload identity (a Google service account e-mail annotates the manager's), or a JSON key file, secret. */
          auth:
              | { type: "workloadIdentity"; serviceAccount: pulumi.Input<string> }
              | { type: "credentialsFile"; credentials: pulumi.Output<string> };
      };

/**
 * Arguments of {@link GitLabRunner}. Runner properties (tags, locked, access level, timeout) live on the
 * runner object in GitLab; the chart only gets its token.
 * @see https://docs.gitlab.com/api/users/#create-a-runner-linked-to-a-user
 */
export interface GitLabRunnerArgs {
    /** GitLab's URL, e.g. `https://gitlab.example.com/`. */
    gitlabUrl: pulumi.Input<string>;
    /** Instance, group or project runner. */
    scope: RunnerScope;
    /** Description shown in GitLab. @default - the component name */
    description?: string;
    /** Job tags the runner picks. @default [] */
    tags?: string[];
    /** Whether it picks untagged jobs. @default - true without tags, false with tags */
    runUntagged?: boolean;
    /** Locked to its current projects. @default true ({@link RUNNER_DEFAULT_LOCKED}) */
    locked?: boolean;
    /** Registered but picking no jobs. @default false */
    paused?: boolean;
    /** `ref_protected`: only jobs of protected branches and tags. @default "not_protected" */
    accessLevel?: "not_protected" | "ref_protected";
    /** Longest job, in seconds (at least 600). @default - the project's or job's own timeout */
    maximumTimeout?: number;
    /**
     * Namespace of the manager and its job pods (Pod Security `baseline`, `privileged` when privileged).
     * @default - `gitlab-runner-<name>`: one per runner, so a privileged runner never shares one
     */
    namespace?: string;
    /** Create {@link namespace}; `false` when it exists. @default true */
    createNamespace?: boolean;
    /** Jobs run at once (chart `concurrent`), at least 1. @default 10 ({@link RUNNER_DEFAULT_CONCURRENT}) */
    concurrent?: number;
    /** Image of jobs that name none. @default "alpine:3.22" ({@link RUNNER_DEFAULT_JOB_IMAGE}) */
    jobImage?: string;
    /** Privileged job containers (Docker-in-Docker). @default false */
    privileged?: boolean;
    /** Requests and limits per container kind, over {@link RUNNER_DEFAULT_RESOURCES}. @default RUNNER_DEFAULT_RESOURCES */
    resources?: {
        build?: Partial<ContainerResources>;
        helper?: Partial<ContainerResources>;
        service?: Partial<ContainerResources>;
    };
    /**
     * Fence job pods in with a NetworkPolicy ({@link buildJobNetworkPolicy}): cluster DNS and the internet
     * only, nothing private or link-local (databases, GitLab's pods, the metadata service), no ingress.
     * Enforced where the cluster enforces NetworkPolicy (on EKS: the VPC CNI agent this package turns on).
     * @default true
     */
    isolateJobs?: boolean;
    /** Run job pods on the `runners` node pool ({@link RUNNER_NODE_POOL}). @default true */
    useRunnerNodePool?: boolean;
    /** Distributed cache. @default - none (each job starts cold) */
    cache?: RunnerCacheArgs;
    /** More `[runners.feature_flags]`; `FF_DISABLE_AUTOMATIC_TOKEN_ROTATION` is always true. @default {} */
    featureFlags?: Record<string, boolean>;
}

/**
 * A GitLab runner on Kubernetes: the runner object created through the API (its token owned by
 * Pulumi), the token in a Secret, and the pinned `gitlab-runner` chart with the kubernetes executor and
 * namespaced RBAC. Several per stack: each has its own token, Secret, namespace and release.
 */
export class GitLabRunner extends pulumi.ComponentResource {
    /** The runner's ID in GitLab. */
    public readonly runnerId: pulumi.Output<string>;
    /** Namespace of the manager and its jobs. */
    public readonly namespace: string;
    /** The manager's service account: with {@link namespace}, the subject of an IRSA role for the cache. */
    public readonly serviceAccountName: string;

    constructor(name: string, args: GitLabRunnerArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before the component registers: bad args declare nothing.
        const { gitlabUrl, ...settings } = parseArgs("GitLabRunner", runnerArgsSpec, args);
        const r = resolveRunner(name, settings);
        assertValid("GitLabRunner", runnerRules(r));
        super("gitlab-platform:runner:GitLabRunner", name, {}, opts);
        this.namespace = r.namespace;
        this.serviceAccountName = r.serviceAccountName;

        const runner = new UserRunner(
            `${name}-runner`,
            {
                runnerType: `${r.scope.type}_type` as const,
                ...(r.scope.type === "group" ? { groupId: r.scope.groupId } : {}),
                ...(r.scope.type === "project" ? { projectId: r.scope.projectId } : {}),
                description: r.description,
                tagLists: r.tags,
                untagged: r.runUntagged,
                locked: r.locked,
                paused: r.paused,
                accessLevel: r.accessLevel,
                ...(r.maximumTimeout !== undefined ? { maximumTimeout: r.maximumTimeout } : {}),
            },
            // Component dependsOn is not inherited by children: the API call waits for it explicitly.
            { parent: this, dependsOn: opts?.dependsOn },
        );
        const ns = r.createNamespace
            ? new k8s.core.v1.Namespace(
                  `${name}-namespace`,
                  {
                      metadata: {
                          name: r.namespace,
                          labels: {
                              "app.kubernetes.io/managed-by": "pulumi",
                              "pod-security.kubernetes.io/enforce": r.privileged ? "privileged" : "baseline",
                          },
                      },
                  },
                  { parent: this },
              )
            : undefined;
        const namespace = ns ? ns.metadata.name : pulumi.output(r.namespace);
        const tokenSecret = new k8s.core.v1.Secret(
            `${name}-token`,
            {
                metadata: { name: `${r.releaseName}-runner-token`, namespace },
                type: "Opaque",
                // The chart mounts both keys; registration tokens are not used (runner creation workflow).
                stringData: { "runner-token": pulumi.secret(runner.token), "runner-registration-token": "" },
            },
            { parent: this },
        );
        if (r.isolateJobs) {
            const policy = buildJobNetworkPolicy(r.releaseName);
            new k8s.networking.v1.NetworkPolicy(
                `${name}-jobs`,
                { metadata: { ...policy.metadata, namespace }, spec: policy.spec },
                { parent: this },
            );
        }
        const cache = this.declareCache(name, r, namespace);
        new k8s.helm.v3.Release(
            `${name}-release`,
            {
                name: r.releaseName,
                chart: GITLAB_RUNNER_CHART_NAME,
                version: GITLAB_RUNNER_CHART_VERSION,
                repositoryOpts: { repo: GITLAB_CHART_REPOSITORY },
                namespace,
                values: buildRunnerValues({
                    gitlabUrl,
                    concurrent: r.concurrent,
                    tokenSecretName: tokenSecret.metadata.name,
                    configToml: cache.toml,
                    serviceAccountName: r.serviceAccountName,
                    cacheSecretName: cache.secretName,
                    serviceAccountAnnotations: cache.annotations,
                }),
            },
            { parent: this },
        );

        this.runnerId = runner.id;
        this.registerOutputs({ runnerId: this.runnerId, namespace: this.namespace });
    }

    /** The cache credentials Secret (static credentials only), workload identity annotations and the TOML. */
    private declareCache(name: string, r: ResolvedRunner, namespace: pulumi.Input<string>) {
        const toml = (cache?: CacheToml) =>
            buildRunnerConfigToml({
                jobNamespace: r.namespace,
                jobImage: r.jobImage,
                privileged: r.privileged,
                resources: r.resources,
                nodePool: r.useRunnerNodePool ? RUNNER_NODE_POOL : undefined,
                cache,
                featureFlags: r.featureFlags,
            });
        const c = r.cache;
        if (!c) return { toml: pulumi.output(toml()) };
        const path = c.path ?? r.releaseName;
        const secretData: Record<string, pulumi.Output<string>> | undefined =
            c.type === "s3" && c.auth.type === "accessKey"
                ? { accesskey: pulumi.secret(c.auth.accessKeyId), secretkey: pulumi.secret(c.auth.secretAccessKey) }
                : c.type === "gcs" && c.auth.type === "credentialsFile"
                  ? { "gcs-application-credentials-file": pulumi.secret(c.auth.credentials) }
                  : undefined;
        const secret = secretData
            ? new k8s.core.v1.Secret(
                  `${name}-cache-credentials`,
                  {
                      metadata: { name: `${r.releaseName}-cache-credentials`, namespace },
                      type: "Opaque",
                      stringData: secretData,
                  },
                  { parent: this },
              )
            : undefined;
        const annotations: Record<string, pulumi.Input<string>> | undefined =
            c.type === "s3" && c.auth.type === "iamRole" && c.auth.roleArn !== undefined
                ? { "eks.amazonaws.com/role-arn": c.auth.roleArn }
                : c.type === "gcs" && c.auth.type === "workloadIdentity"
                  ? { "iam.gke.io/gcp-service-account": c.auth.serviceAccount }
                  : undefined;
        const tomlOut = pulumi.output(c.bucket).apply((bucket) =>
            toml(
                c.type === "s3"
                    ? {
                          type: "s3",
                          bucket,
                          region: c.region,
                          endpoint: c.endpoint,
                          path,
                          authenticationType: c.auth.type === "iamRole" ? "iam" : "access-key",
                      }
                    : { type: "gcs", bucket, path },
            ),
        );
        return { toml: tomlOut, secretName: secret?.metadata.name, annotations };
    }
}
