/**
 * THE reviewed table of impact, one entry per resource type this program declares, one rule per input
 * property: what a replacement or deletion loses, which inputs force a replacement, which in-place changes
 * restart, fail over or roll something, and which are safe. A type or property not in this table is shown
 * as "impact unknown", never as safe: add it here, with its source, when the program starts to declare it.
 *
 * Sources, checked December 2026 (cited per entry as `[key]`):
 * - [aws]  @pulumi/aws 7.48.0 (the pinned version; it bridges terraform-provider-aws, whose schema marks the
 *          inputs that force a new resource); the registry pages pulumi.com/registry/packages/aws/api-docs/<module>/<type>
 *          ("forces new resource" notes), and the SDK's own notes in node_modules/@pulumi/aws 7.48.0:
 *          rds/instance.d.ts ("applyImmediately can result in a brief downtime as the server reboots"),
 *          eks/cluster.d.ts (`bootstrapSelfManagedAddons` "will force a new cluster"), ec2/securityGroup.d.ts
 *          (`name`, `description`, `vpcId` force a new group), elasticache/replicationGroup.d.ts
 *          (`numCacheClusters` "trigger a resizing operation", `transitEncryptionEnabled` with engine < 7.0.5
 *          forces a replacement).
 * - [rds]  docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.DBInstance.Modifying.html: a class change,
 *          an engine upgrade and static parameters reboot the instance (Multi-AZ: the standby is modified, then
 *          a failover); storage scaling and backup settings apply without downtime.
 * - [ec]   docs.aws.amazon.com/AmazonElastiCache/latest/dg/Scaling.RedisReplGrps.html and
 *          .../VersionManagement.html: node type scaling and engine upgrades replace nodes with a failover.
 * - [eks]  docs.aws.amazon.com/eks/latest/userguide/update-cluster.html and .../update-managed-node-group.html:
 *          a version upgrade of the control plane, and new AMI / launch template versions roll every node of
 *          a managed node group (drain, replace).
 * - [s3]   docs.aws.amazon.com/AmazonS3/latest/userguide/delete-bucket.html: a bucket's objects go with it;
 *          a bucket name is global and fixed at creation.
 * - [kms]  docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html: data encrypted under a deleted key
 *          cannot be decrypted.
 * - [k8s]  pulumi-kubernetes 4.34.2 (tools/plan-diff/replace.ts lists the fields it replaces on) and
 *          kubernetes.io/docs/concepts/overview/working-with-objects/namespaces (deleting a namespace deletes
 *          everything in it).
 * - [helm] @pulumi/kubernetes 4.34.2 helm.v3.Release: `name`/`namespace` replace the release; other inputs
 *          are a `helm upgrade`; GitLab chart docs (docs.gitlab.com/charts/installation/upgrade) for upgrades.
 * - [random] @pulumi/random 4.21.2: every input of RandomPassword replaces it (a new value is generated).
 * - [gitlab] components/gitlab-api/replace-keys.ts (what GitLab cannot edit in place).
 * - [pulumi] pulumi.com/docs/iac/concepts/resources/options/protect: a deployment that would delete a
 *          protected resource, a replacement included, fails; pulumi/pulumi#8873: a replacement is allowed
 *          when the old or the new state is unprotected.
 */
import { GITLAB_API_REPLACE_KEYS } from "../../components/gitlab-api/replace-keys";

/** Impact classes, worst first. */
export const IMPACT_CLASSES = ["data-loss", "blocked", "disruptive", "unknown", "safe"] as const;
export type ImpactClass = (typeof IMPACT_CLASSES)[number];

export interface PropertyRule {
    /** `replace`: the provider cannot change it in place; the type's removal rule then applies. */
    impact: "replace" | "disruptive" | "safe";
    why: string;
}

export interface TypeRule {
    /** `S3 bucket`, for sentences. */
    noun: string;
    /** Set for stateful resources: what a deletion or replacement loses (impact: data loss). */
    holds?: string;
    /** The impact of deleting or replacing a resource that holds no data. */
    removal?: { impact: "disruptive" | "safe"; why: string };
    /** What to do instead of deleting or replacing it. */
    instead?: string;
    /** Input property (a dotted path prefix) -> rule; the longest matching path wins. */
    properties: Record<string, PropertyRule>;
    /** Source keys (see the file comment). */
    source: string;
}

const safe = (why: string): PropertyRule => ({ impact: "safe", why });
const disruptive = (why: string): PropertyRule => ({ impact: "disruptive", why });
const replace = (why = "the provider cannot change it in place"): PropertyRule => ({ impact: "replace", why });
const tags = { tags: safe("tags only") };
const each = (keys: readonly string[], rule: PropertyRule) => Object.fromEntries(keys.map((k) => [k, rule]));

const KEEP_NAME =
    "keep the physical name (set the old name explicitly, e.g. `data.namePrefix` back to the value in the base), " +
    "or rename with `aliases` in the program so Pulumi keeps the resource";
const BUCKET_INSTEAD =
    `${KEEP_NAME}; if a new bucket is really wanted, create it beside the old one, copy the objects ` +
    "(`aws s3 sync`, all versions), point GitLab at it, and only then delete the old one with `retainOnDelete` or by hand";
const DB_INSTEAD =
    "change only what RDS/ElastiCache can modify in place; to move, restore a snapshot into a new resource beside " +
    "the old one, switch GitLab over in a maintenance window, and retire the old one with `retainOnDelete`";
const NETWORK = { impact: "disruptive" as const, why: "traffic through it stops until the new one takes over" };
const K8S_META = {
    "metadata.labels": safe("labels only"),
    "metadata.annotations": safe("annotations only"),
    ...each(
        ["metadata.name", "metadata.namespace"],
        replace("a Kubernetes object is replaced when renamed or moved to another namespace"),
    ),
    apiVersion: safe("API version of the same kind (aliased)"),
    kind: replace("a different kind is a different object"),
};

/** Subresources of a bucket: its objects stay whatever happens to them. */
function bucketSetting(noun: string, settings: Record<string, PropertyRule>): TypeRule {
    return {
        noun,
        removal: { impact: "safe", why: "the bucket and its objects stay; only this setting is removed or recreated" },
        properties: { bucket: replace("it belongs to one bucket"), ...settings },
        source: "aws, s3",
    };
}

const AWS: Record<string, TypeRule> = {
    "aws:s3/bucket:Bucket": {
        noun: "S3 bucket",
        holds: "every object in it (GitLab's artifacts, uploads, LFS objects, packages, registry images or backups)",
        instead: BUCKET_INSTEAD,
        properties: {
            ...each(
                ["bucket", "bucketPrefix", "objectLockEnabled"],
                replace("a bucket's name and object lock are fixed at creation"),
            ),
            forceDestroy: disruptive("with `true` a later delete empties the bucket first instead of failing"),
            ...tags,
        },
        source: "aws, s3",
    },
    "aws:s3/bucketPolicy:BucketPolicy": bucketSetting("bucket policy", {
        policy: safe("who may access the bucket; the policy pack checks it"),
    }),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": bucketSetting(
        "public access block",
        each(
            ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"],
            safe("access setting; the policy pack checks it"),
        ),
    ),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": bucketSetting("ownership controls", {
        rule: safe("object ownership of new objects"),
    }),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": bucketSetting(
        "bucket encryption",
        { rules: safe("applies to objects written afterwards") },
    ),
    "aws:s3/bucketVersioning:BucketVersioning": bucketSetting("bucket versioning", {
        versioningConfiguration: safe("applies to objects written afterwards"),
    }),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": bucketSetting("lifecycle rules", {
        rules: disruptive("lifecycle rules delete (expire) objects: read the new rules"),
    }),
    "aws:kms/key:Key": {
        noun: "KMS key",
        holds: "the ability to decrypt everything encrypted with it (RDS storage and snapshots, ElastiCache, S3 objects, EKS Secrets) once its deletion window ends",
        instead:
            "keep the key; a key that must go is kept on delete (`retainOnDelete`) until nothing encrypted with it remains",
        properties: {
            ...each(["customerMasterKeySpec", "keySpec", "keyUsage", "multiRegion"], replace("fixed at key creation")),
            ...each(
                ["description", "enableKeyRotation", "deletionWindowInDays", "rotationPeriodInDays"],
                safe("key metadata or rotation; the key material in use stays"),
            ),
            policy: disruptive("who may use the key: a wrong policy locks the encrypted services out"),
            isEnabled: disruptive("a disabled key stops every service that decrypts with it"),
            ...tags,
        },
        source: "aws, kms",
    },
    "aws:kms/alias:Alias": {
        noun: "KMS alias",
        removal: { impact: "safe", why: "an alias is only a name; this program refers to the key by ARN" },
        properties: {
            name: replace("an alias name is fixed"),
            targetKeyId: disruptive("the alias then names another key"),
        },
        source: "aws, kms",
    },
    "aws:rds/instance:Instance": {
        noun: "RDS database",
        holds: "GitLab's PostgreSQL database (every project, issue, merge request, user, CI variable)",
        instead: DB_INSTEAD,
        properties: {
            ...each(
                [
                    "identifier",
                    "identifierPrefix",
                    "engine",
                    "dbName",
                    "username",
                    "storageEncrypted",
                    "kmsKeyId",
                    "availabilityZone",
                    "characterSetName",
                    "ncharCharacterSetName",
                    "snapshotIdentifier",
                    "timezone",
                    "customIamInstanceProfile",
                ],
                replace(),
            ),
            instanceClass: disruptive(
                "an instance class change reboots the instance (Multi-AZ: the standby is changed, then a failover of about a minute or two)",
            ),
            engineVersion: disruptive(
                "an engine upgrade reboots the instance with downtime (a major upgrade also needs `allowMajorVersionUpgrade`)",
            ),
            parameterGroupName: disruptive("static parameters of the new group apply only after a reboot"),
            port: disruptive("the endpoint's port changes: a reboot, and GitLab must follow (`global.psql.port`)"),
            dbSubnetGroupName: disruptive("moves the instance to other subnets: downtime"),
            multiAz: disruptive("adding or removing the standby: the instance's I/O is degraded while it is built"),
            storageType: disruptive("a storage type change runs for hours with degraded I/O"),
            iops: disruptive("storage performance changes with degraded I/O while it applies"),
            password: disruptive(
                "the master password changes: GitLab must get the new one at the same time or it cannot connect",
            ),
            vpcSecurityGroupIds: disruptive("who may connect changes: a wrong group cuts GitLab off"),
            publiclyAccessible: disruptive("the endpoint's reachability changes"),
            ...each(["allocatedStorage", "maxAllocatedStorage"], safe("storage grows online (it can never shrink)")),
            ...each(
                [
                    "backupRetentionPeriod",
                    "backupWindow",
                    "maintenanceWindow",
                    "copyTagsToSnapshot",
                    "deleteAutomatedBackups",
                    "deletionProtection",
                    "finalSnapshotIdentifier",
                    "skipFinalSnapshot",
                    "autoMinorVersionUpgrade",
                    "allowMajorVersionUpgrade",
                    "applyImmediately",
                    "performanceInsightsEnabled",
                    "performanceInsightsRetentionPeriod",
                    "monitoringInterval",
                    "monitoringRoleArn",
                ],
                safe("backup, maintenance, deletion or monitoring setting; applied without a restart"),
            ),
            ...tags,
        },
        source: "aws, rds",
    },
    "aws:rds/parameterGroup:ParameterGroup": {
        noun: "RDS parameter group",
        removal: {
            impact: "disruptive",
            why: "the database moves to another group: static parameters apply after a reboot",
        },
        properties: {
            ...each(["name", "namePrefix", "family", "description"], replace()),
            parameters: disruptive("dynamic parameters apply at once, static ones after the next reboot"),
            ...tags,
        },
        source: "aws, rds",
    },
    "aws:rds/subnetGroup:SubnetGroup": {
        noun: "RDS subnet group",
        removal: { impact: "disruptive", why: "the database must move to another subnet group: downtime" },
        properties: {
            ...each(["name", "namePrefix"], replace()),
            subnetIds: disruptive("the subnets the database may run in change"),
            description: safe("description only"),
            ...tags,
        },
        source: "aws, rds",
    },
    "aws:elasticache/replicationGroup:ReplicationGroup": {
        noun: "ElastiCache Redis",
        holds: "GitLab's Redis data (Sidekiq job queues, sessions, caches): queued jobs are lost",
        instead: DB_INSTEAD,
        properties: {
            ...each(
                [
                    "replicationGroupId",
                    "atRestEncryptionEnabled",
                    "kmsKeyId",
                    "subnetGroupName",
                    "port",
                    "snapshotName",
                    "snapshotArns",
                    "dataTieringEnabled",
                    "networkType",
                ],
                replace(),
            ),
            nodeType: disruptive("node type scaling replaces the nodes with a failover"),
            engineVersion: disruptive("an engine upgrade replaces the nodes with a failover"),
            engine: disruptive("an engine change (Redis OSS -> Valkey) replaces the nodes with a failover"),
            numCacheClusters: disruptive("adding or removing replicas resizes the group"),
            parameterGroupName: disruptive("some parameters apply only after a node reboot"),
            authToken: disruptive("the AUTH token changes: GitLab must get the new one at the same time"),
            ...each(
                ["transitEncryptionEnabled", "transitEncryptionMode"],
                disruptive("clients must switch TLS mode with it (below engine 7.0.5 the group is replaced)"),
            ),
            securityGroupIds: disruptive("who may connect changes: a wrong group cuts GitLab off"),
            preferredCacheClusterAzs: disruptive("nodes move between zones"),
            ...each(
                ["automaticFailoverEnabled", "multiAzEnabled"],
                safe("failover behaviour on a failure; nothing restarts now"),
            ),
            ...each(
                [
                    "description",
                    "autoMinorVersionUpgrade",
                    "snapshotRetentionLimit",
                    "snapshotWindow",
                    "maintenanceWindow",
                    "finalSnapshotIdentifier",
                    "applyImmediately",
                ],
                safe("description, snapshot or maintenance setting"),
            ),
            ...tags,
        },
        source: "aws, ec",
    },
    "aws:elasticache/subnetGroup:SubnetGroup": {
        noun: "ElastiCache subnet group",
        removal: { impact: "disruptive", why: "Redis must move to another subnet group, which replaces it" },
        properties: {
            name: replace(),
            subnetIds: disruptive("the subnets Redis may run in change"),
            description: safe("description only"),
            ...tags,
        },
        source: "aws, ec",
    },
    "aws:eks/cluster:Cluster": {
        noun: "EKS cluster",
        holds: "the Kubernetes cluster and every object in it (GitLab's Gitaly volumes and Secrets, such as the rails secrets, included)",
        instead: "keep the cluster; build a new one beside it, move workloads and volumes, then retire the old one",
        properties: {
            ...each(["name", "bootstrapSelfManagedAddons", "kubernetesNetworkConfig", "outpostConfig"], replace()),
            version: disruptive(
                "a control plane upgrade (one minor at a time); the node groups and add-ons must follow",
            ),
            vpcConfig: disruptive(
                "API endpoint access or the cluster's subnets/security groups change: clients can lose access",
            ),
            accessConfig: disruptive("how identities authenticate to the cluster changes: admins can lose access"),
            encryptionConfig: disruptive("Secrets encryption changes: every Secret is re-encrypted"),
            roleArn: disruptive("the control plane's IAM role changes"),
            ...each(
                ["enabledClusterLogTypes", "upgradePolicy", "deletionProtection"],
                safe("logging, support policy or deletion setting"),
            ),
            ...tags,
        },
        source: "aws, eks",
    },
    "aws:eks/nodeGroup:NodeGroup": {
        noun: "EKS node group",
        removal: {
            impact: "disruptive",
            why: "every node of the group is drained and replaced: pods move, capacity drops meanwhile",
        },
        properties: {
            ...each(
                [
                    "clusterName",
                    "nodeGroupName",
                    "nodeGroupNamePrefix",
                    "subnetIds",
                    "instanceTypes",
                    "capacityType",
                    "diskSize",
                    "amiType",
                    "nodeRoleArn",
                    "remoteAccess",
                ],
                replace(),
            ),
            ...each(
                ["launchTemplate", "version", "releaseVersion", "forceUpdateVersion"],
                disruptive("new AMI or launch template: every node of the group is drained and replaced (rolling)"),
            ),
            scalingConfig: disruptive("capacity changes; shrinking evicts pods"),
            taints: disruptive("pods without a matching toleration are no longer scheduled there"),
            ...each(["labels", "updateConfig"], safe("node labels or update pacing, applied without replacing nodes")),
            ...tags,
        },
        source: "aws, eks",
    },
    "aws:eks/addon:Addon": {
        noun: "EKS add-on",
        removal: {
            impact: "disruptive",
            why: "the add-on (VPC CNI, CoreDNS, kube-proxy, EBS CSI) is reinstalled: pod networking, DNS or volumes can fail meanwhile",
        },
        properties: {
            ...each(["addonName", "clusterName"], replace()),
            ...each(
                ["addonVersion", "configurationValues", "serviceAccountRoleArn", "podIdentityAssociations"],
                disruptive("the add-on's pods roll on every node"),
            ),
            ...each(
                ["resolveConflictsOnCreate", "resolveConflictsOnUpdate", "preserve"],
                safe("conflict handling only"),
            ),
            ...tags,
        },
        source: "aws, eks",
    },
    "aws:ec2/launchTemplate:LaunchTemplate": {
        noun: "launch template",
        removal: { impact: "disruptive", why: "node groups using it must move to another template: their nodes roll" },
        properties: {
            ...each(["name", "namePrefix"], replace()),
            ...each(
                [
                    "blockDeviceMappings",
                    "metadataOptions",
                    "vpcSecurityGroupIds",
                    "imageId",
                    "instanceType",
                    "userData",
                    "networkInterfaces",
                    "iamInstanceProfile",
                    "tagSpecifications",
                ],
                disruptive("a new template version: node groups that use it roll every node"),
            ),
            ...each(["description", "updateDefaultVersion"], safe("description or default version only")),
            ...tags,
        },
        source: "aws, eks",
    },
    "aws:autoscaling/tag:Tag": {
        noun: "Auto Scaling group tag",
        removal: { impact: "safe", why: "a tag for the cluster autoscaler only" },
        properties: { autoscalingGroupName: replace(), tag: safe("tag only") },
        source: "aws",
    },
    "aws:cloudwatch/logGroup:LogGroup": {
        noun: "CloudWatch log group",
        holds: "the EKS control plane's logs (audit log included)",
        instead: "keep the log group (`retainOnDelete`) or export the logs first",
        properties: {
            ...each(["name", "namePrefix"], replace()),
            retentionInDays: safe("retention; a shorter one expires old logs"),
            kmsKeyId: disruptive("log encryption changes"),
            ...tags,
        },
        source: "aws",
    },
    "aws:iam/role:Role": {
        noun: "IAM role",
        removal: {
            impact: "disruptive",
            why: "whatever assumes the role (nodes, IRSA service accounts, the control plane) loses its permissions until the new one is used",
        },
        properties: {
            ...each(["name", "namePrefix", "path"], replace()),
            assumeRolePolicy: disruptive(
                "who may assume the role changes: a wrong trust policy locks GitLab out of S3",
            ),
            ...each(
                ["managedPolicyArns", "inlinePolicies", "permissionsBoundary"],
                disruptive("the role's permissions change"),
            ),
            ...each(["description", "maxSessionDuration"], safe("description or session length only")),
            ...tags,
        },
        source: "aws",
    },
    "aws:iam/rolePolicy:RolePolicy": {
        noun: "IAM role policy",
        removal: { impact: "disruptive", why: "the role loses these permissions" },
        properties: {
            ...each(["name", "namePrefix", "role"], replace()),
            policy: disruptive("the role's permissions change"),
        },
        source: "aws",
    },
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
        noun: "IAM policy attachment",
        removal: { impact: "disruptive", why: "the role loses the attached permissions" },
        properties: { ...each(["policyArn", "role"], replace()) },
        source: "aws",
    },
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": {
        noun: "IAM OIDC provider",
        removal: {
            impact: "disruptive",
            why: "every IRSA role trusting it stops working until it trusts the new provider",
        },
        properties: {
            url: replace(),
            ...each(["clientIdLists", "thumbprintLists"], disruptive("which tokens IAM accepts changes (IRSA)")),
            ...tags,
        },
        source: "aws, eks",
    },
    "aws:ec2/vpc:Vpc": {
        noun: "VPC",
        removal: {
            impact: "disruptive",
            why: "everything in the VPC (subnets, nodes, databases) must move: a rebuild of the network",
        },
        properties: {
            ...each(["cidrBlock", "instanceTenancy"], replace()),
            ...each(
                ["enableDnsHostnames", "enableDnsSupport"],
                disruptive("name resolution inside the VPC changes (EKS and the S3 endpoint need both)"),
            ),
            ...tags,
        },
        source: "aws",
    },
    "aws:ec2/subnet:Subnet": {
        noun: "subnet",
        removal: { impact: "disruptive", why: "nodes, load balancers and databases in it must move" },
        properties: {
            ...each(["vpcId", "cidrBlock", "availabilityZone", "availabilityZoneId"], replace()),
            mapPublicIpOnLaunch: disruptive("new instances get (or lose) public addresses"),
            ...tags,
        },
        source: "aws",
    },
    "aws:ec2/securityGroup:SecurityGroup": {
        noun: "security group",
        removal: { impact: "disruptive", why: "what it admits is cut until the new group is attached everywhere" },
        properties: {
            ...each(["name", "namePrefix", "description", "vpcId"], replace()),
            ...each(["ingress", "egress"], disruptive("what may connect changes")),
            ...tags,
        },
        source: "aws",
    },
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {
        noun: "security group rule",
        removal: { impact: "disruptive", why: "the traffic it admits is cut" },
        properties: {
            securityGroupId: replace(),
            ...each(
                [
                    "fromPort",
                    "toPort",
                    "ipProtocol",
                    "cidrIpv4",
                    "cidrIpv6",
                    "referencedSecurityGroupId",
                    "prefixListId",
                ],
                disruptive("what may connect changes"),
            ),
            description: safe("description only"),
            ...tags,
        },
        source: "aws",
    },
    "aws:ec2/internetGateway:InternetGateway": {
        noun: "internet gateway",
        removal: NETWORK,
        properties: { vpcId: disruptive("the gateway moves to another VPC"), ...tags },
        source: "aws",
    },
    "aws:ec2/eip:Eip": {
        noun: "Elastic IP",
        removal: { impact: "disruptive", why: "the public address changes: allow-lists that name it must follow" },
        properties: { domain: replace(), ...tags },
        source: "aws",
    },
    "aws:ec2/natGateway:NatGateway": {
        noun: "NAT gateway",
        removal: { impact: "disruptive", why: "egress from its private subnets stops until the new one is routed" },
        properties: { ...each(["allocationId", "subnetId", "connectivityType"], replace()), ...tags },
        source: "aws",
    },
    "aws:ec2/routeTable:RouteTable": {
        noun: "route table",
        removal: NETWORK,
        properties: {
            vpcId: replace(),
            routes: disruptive("routing changes: egress or endpoint traffic can stop"),
            ...tags,
        },
        source: "aws",
    },
    "aws:ec2/routeTableAssociation:RouteTableAssociation": {
        noun: "route table association",
        removal: NETWORK,
        properties: {
            ...each(["subnetId", "gatewayId"], replace()),
            routeTableId: disruptive("the subnet's routes change"),
        },
        source: "aws",
    },
    "aws:ec2/vpcEndpoint:VpcEndpoint": {
        noun: "VPC endpoint",
        removal: {
            impact: "disruptive",
            why: "S3 traffic takes the NAT gateways (cost) until the new endpoint is routed",
        },
        properties: {
            ...each(["vpcId", "serviceName", "vpcEndpointType"], replace()),
            ...each(
                ["routeTableIds", "policy", "subnetIds", "securityGroupIds"],
                disruptive("which traffic uses the endpoint changes"),
            ),
            ...tags,
        },
        source: "aws",
    },
};

const RANDOM: Record<string, TypeRule> = {
    "random:index/randomPassword:RandomPassword": {
        noun: "generated password",
        removal: {
            impact: "disruptive",
            why:
                "a new value is generated: the database master password or Redis AUTH token changes with it, and GitLab must take it at the same time " +
                "(an initial root password is read only at the first install, so the `rootPassword` output would no longer be the root password)",
        },
        properties: each(
            [
                "length",
                "special",
                "upper",
                "lower",
                "numeric",
                "minLower",
                "minUpper",
                "minNumeric",
                "minSpecial",
                "overrideSpecial",
                "keepers",
            ],
            replace("every input of a RandomPassword replaces it"),
        ),
        source: "random",
    },
};

const K8S: Record<string, TypeRule> = {
    "pulumi:providers:kubernetes": {
        noun: "Kubernetes provider",
        removal: {
            impact: "disruptive",
            why: "every resource it manages is replaced with it (listed as their own changes)",
        },
        properties: each(
            [
                "kubeconfig",
                "context",
                "cluster",
                "clusterIdentifier",
                "namespace",
                "enableServerSideApply",
                "enableSecretMutable",
                "enableConfigMapMutable",
                "deleteUnreachable",
                "renderYamlToDirectory",
                "suppressHelmHookWarnings",
                "version",
            ],
            safe("provider configuration; a replacement it causes shows on each resource"),
        ),
        source: "k8s",
    },
    "kubernetes:core/v1:Namespace": {
        noun: "namespace",
        holds: "every object in the namespace, PersistentVolumeClaims (Gitaly's repositories) and Secrets (GitLab's rails secrets) included",
        instead: "keep the namespace; move objects with `aliases`, and never rename GitLab's namespace in place",
        properties: { ...K8S_META, "metadata.name": replace() },
        source: "k8s",
    },
    "kubernetes:core/v1:PersistentVolumeClaim": {
        noun: "volume claim",
        holds: "the volume's data, unless its reclaim policy is Retain",
        instead: "keep the claim; snapshot the volume and restore it into the new claim first",
        properties: {
            ...K8S_META,
            "spec.resources": safe("a larger request expands the volume online (when the class allows it)"),
        },
        source: "k8s",
    },
    "kubernetes:core/v1:PersistentVolume": {
        noun: "volume",
        holds: "the volume's data, unless its reclaim policy is Retain",
        instead: "keep the volume; snapshot it before any change that replaces it",
        properties: { ...K8S_META },
        source: "k8s",
    },
    "kubernetes:core/v1:Secret": {
        noun: "Secret",
        removal: { impact: "disruptive", why: "pods that mount or reference it fail to start until it exists again" },
        properties: {
            ...K8S_META,
            ...each(["data", "stringData"], disruptive("consumers pick the new value up when their pods restart")),
            type: replace(),
            immutable: replace("an immutable Secret cannot change"),
        },
        source: "k8s",
    },
    "kubernetes:core/v1:ConfigMap": {
        noun: "ConfigMap",
        removal: { impact: "disruptive", why: "pods that mount or reference it fail to start until it exists again" },
        properties: {
            ...K8S_META,
            ...each(["data", "binaryData"], disruptive("consumers pick the new value up when their pods restart")),
        },
        source: "k8s",
    },
    "kubernetes:core/v1:Service": {
        noun: "Service",
        removal: {
            impact: "disruptive",
            why: "the Service's address (and a LoadBalancer's external address) goes away",
        },
        properties: {
            ...K8S_META,
            "metadata.annotations": disruptive("load balancer annotations can recreate the load balancer"),
            spec: disruptive("ports, selector or type change what receives traffic"),
        },
        source: "k8s",
    },
    "kubernetes:apps/v1:Deployment": {
        noun: "Deployment",
        removal: { impact: "disruptive", why: "its pods stop" },
        properties: {
            ...K8S_META,
            "spec.replicas": safe("scaling"),
            "spec.template": disruptive("a rolling restart of its pods"),
            spec: disruptive("rollout settings change"),
        },
        source: "k8s",
    },
    "kubernetes:storage.k8s.io/v1:StorageClass": {
        noun: "StorageClass",
        removal: { impact: "safe", why: "existing volumes keep their settings; new claims of the class wait for it" },
        properties: {
            ...K8S_META,
            ...each(
                ["parameters", "provisioner", "reclaimPolicy", "volumeBindingMode"],
                replace("immutable in the Kubernetes API"),
            ),
            allowVolumeExpansion: safe("whether claims may grow"),
        },
        source: "k8s",
    },
    "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole": rbac("ClusterRole", {
        rules: disruptive("permissions change"),
    }),
    "kubernetes:rbac.authorization.k8s.io/v1:Role": rbac("Role", { rules: disruptive("permissions change") }),
    "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding": rbac("ClusterRoleBinding", {
        subjects: disruptive("who has the role changes"),
    }),
    "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": rbac("RoleBinding", {
        subjects: disruptive("who has the role changes"),
    }),
    "kubernetes:helm.sh/v3:Release": {
        noun: "Helm release",
        removal: {
            impact: "disruptive",
            why: "the release is uninstalled: everything it runs stops (GitLab: an outage; Gitaly's volume claims outlive the uninstall)",
        },
        properties: {
            ...each(["name", "namespace"], replace()),
            ...each(
                ["version", "chart", "repositoryOpts"],
                disruptive(
                    "a chart upgrade: every changed workload rolls (GitLab: database migrations and required upgrade stops)",
                ),
            ),
            values: disruptive("a `helm upgrade`: workloads whose rendered configuration changes roll"),
            ...each(
                [
                    "timeout",
                    "compat",
                    "createNamespace",
                    "atomic",
                    "cleanupOnFail",
                    "skipAwait",
                    "waitForJobs",
                    "maxHistory",
                    "description",
                ],
                safe("how Helm runs, not what it installs"),
            ),
        },
        source: "helm",
    },
    "kubernetes:yaml/v2:ConfigFile": {
        noun: "manifest file",
        removal: {
            impact: "disruptive",
            why: "its objects are deleted (CRDs: with every custom resource of their kinds)",
        },
        properties: {
            ...each(
                ["file", "files", "yaml", "objs", "resourcePrefix", "skipAwait"],
                disruptive("the applied objects change"),
            ),
        },
        source: "k8s",
    },
    "kubernetes:fluxcd.controlplane.io/v1:FluxInstance": {
        noun: "FluxInstance",
        removal: { impact: "disruptive", why: "Flux is uninstalled: nothing syncs any more" },
        properties: { ...K8S_META, spec: disruptive("Flux's controllers roll") },
        source: "k8s",
    },
    "kubernetes:source.toolkit.fluxcd.io/v1:OCIRepository": {
        noun: "OCIRepository",
        removal: { impact: "disruptive", why: "its Kustomizations stop syncing" },
        properties: { ...K8S_META, spec: disruptive("what Flux pulls and deploys changes") },
        source: "k8s",
    },
    "kubernetes:kustomize.toolkit.fluxcd.io/v1:Kustomization": {
        noun: "Kustomization",
        removal: { impact: "disruptive", why: "with `prune` on, Flux deletes every object it applied" },
        properties: { ...K8S_META, spec: disruptive("what Flux applies (and prunes) changes") },
        source: "k8s",
    },
    "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute": {
        noun: "HTTPRoute",
        removal: { impact: "disruptive", why: "its routes stop serving" },
        properties: { ...K8S_META, spec: disruptive("routing changes") },
        source: "k8s",
    },
    "kubernetes:networking.k8s.io/v1:Ingress": {
        noun: "Ingress",
        removal: { impact: "disruptive", why: "its routes stop serving" },
        properties: { ...K8S_META, spec: disruptive("routing changes") },
        source: "k8s",
    },
    "kubernetes:networking.k8s.io/v1:NetworkPolicy": {
        noun: "NetworkPolicy",
        removal: { impact: "disruptive", why: "the traffic it allowed or isolated changes" },
        properties: { ...K8S_META, spec: disruptive("what may connect changes") },
        source: "k8s",
    },
    "kubernetes:core/v1:ResourceQuota": {
        noun: "ResourceQuota",
        removal: { impact: "safe", why: "limits are lifted" },
        properties: { ...K8S_META, spec: disruptive("new pods beyond the quota are refused") },
        source: "k8s",
    },
    "kubernetes:core/v1:LimitRange": {
        noun: "LimitRange",
        removal: { impact: "safe", why: "default limits are lifted" },
        properties: { ...K8S_META, spec: disruptive("defaults and limits of new containers change") },
        source: "k8s",
    },
    "kubernetes:core/v1:ServiceAccount": {
        noun: "ServiceAccount",
        removal: { impact: "disruptive", why: "pods using it cannot start" },
        properties: {
            ...K8S_META,
            "metadata.annotations": disruptive("IRSA role annotations change the pods' AWS identity"),
            automountServiceAccountToken: disruptive("token mounting changes"),
        },
        source: "k8s",
    },
};

function rbac(noun: string, props: Record<string, PropertyRule>): TypeRule {
    return {
        noun,
        removal: { impact: "disruptive", why: "the permissions it grants go" },
        properties: { ...K8S_META, roleRef: replace(), ...props },
        source: "k8s",
    };
}

/** GitLab API resources: replacing inputs from components/gitlab-api/replace-keys.ts, the rest edited in place. */
function gitlabApi(): Record<string, TypeRule> {
    const removal: Record<string, string> = {
        ClusterAgent: "the agent's registration and its tokens are deleted: agentk disconnects until registered again",
        ClusterAgentToken: "the token is revoked: agentk disconnects until it gets the new token",
        ProjectDeployToken: "the token is revoked: Flux loses registry access until the new Secret is in place",
        ProjectVariable: "CI jobs lose the variable",
        RepositoryFile: "the file is deleted from the repository (a commit)",
        UserRunner: "the runner is deleted and registered again with a new token",
    };
    const inPlace: Record<string, string[]> = {
        RepositoryFile: ["content", "commitMessage", "authorEmail", "authorName"],
        UserRunner: [
            "description",
            "paused",
            "locked",
            "tagLists",
            "untagged",
            "accessLevel",
            "maximumTimeout",
            "maintenanceNote",
        ],
        ProjectVariable: ["value", "protected", "masked", "raw", "variableType", "description"],
    };
    const out: Record<string, TypeRule> = {};
    for (const [cls, keys] of Object.entries(GITLAB_API_REPLACE_KEYS)) {
        out[`pulumi-nodejs:dynamic/gitlab:${cls}`] = {
            noun: `GitLab ${cls}`,
            removal: { impact: "disruptive", why: removal[cls] },
            properties: {
                ...each(keys, replace("GitLab cannot edit it in place")),
                ...each(inPlace[cls] ?? [], disruptive("GitLab edits it in place; its users see the change at once")),
                __provider: safe("the provider's own code, serialized into state"),
            },
            source: "gitlab",
        };
    }
    return out;
}

/** Every resource type's rule. */
export const IMPACT_TABLE: Readonly<Record<string, TypeRule>> = { ...AWS, ...RANDOM, ...K8S, ...gitlabApi() };

/** Component resources of this package and the stack: their children are classified on their own. */
export function isOwnComponent(type: string): boolean {
    return type === "pulumi:pulumi:Stack" || type.startsWith("gitlab-platform:");
}

/** The rule for one input path of a type, by the longest matching path prefix; undefined when the table has none. */
export function propertyRule(rule: TypeRule, path: string): { key: string; rule: PropertyRule } | undefined {
    let best: { key: string; rule: PropertyRule } | undefined;
    for (const [key, r] of Object.entries(rule.properties)) {
        const match = path === key || path.startsWith(`${key}.`) || path.startsWith(`${key}[`);
        if (match && (!best || key.length > best.key.length)) best = { key, rule: r };
    }
    return best;
}

/** Inputs of a non-Kubernetes type that force a replacement (read by replace.ts); undefined for unlisted types. */
export function forceNewInputs(type: string): string[] | undefined {
    if (type.startsWith("kubernetes:") || type.startsWith("pulumi:") || type.startsWith("pulumi-nodejs:"))
        return undefined;
    const rule = IMPACT_TABLE[type];
    return rule
        ? Object.entries(rule.properties)
              .filter(([, r]) => r.impact === "replace")
              .map(([k]) => k)
        : undefined;
}
