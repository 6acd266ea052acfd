import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type Problem, assertValid } from "../errors";
import { parseArgs } from "../internal/spec-kit";
import { awsNetworkArgsSpec, type ResolvedAwsNetwork } from "./spec";
import { planSubnets, validateVpcLayout } from "./subnets";

/** A VPC this component creates: private and public subnets in each zone, NAT, an S3 gateway endpoint. */
export interface CreatedVpcArgs {
    /** Selects a VPC created by the component. */
    type: "create";
    /**
     * The VPC's IPv4 range, /16 to /20; see components/network/subnets.ts for the layout.
     * @default "10.0.0.0/16" ({@link AWS_VPC_DEFAULT_CIDR})
     */
    cidr?: string;
    /**
     * Availability zones, two or three, named explicitly (`eu-central-1a`), so that planning needs no
     * AWS call. RDS Multi-AZ and ElastiCache failover span them.
     */
    availabilityZones: string[];
    /**
     * `perAz`: a NAT gateway per zone, egress survives a zone outage; `single`: one NAT gateway, cheaper
     * (about 33 USD a month less per zone), egress fails with its zone.
     * @default "perAz" ({@link AWS_NAT_GATEWAYS_DEFAULT})
     * @see https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html
     */
    natGateways?: "perAz" | "single";
}

/** A VPC that exists: its private subnets must reach the internet (NAT) and span at least two zones. */
export interface ExistingVpcArgs {
    /** Selects a VPC that exists. */
    type: "existing";
    /** The VPC's id (`vpc-...`). */
    vpcId: string;
    /** Private subnets for nodes, the database and Redis, in at least two zones (`subnet-...`). */
    privateSubnetIds: string[];
    /**
     * The zones of those subnets, for ElastiCache's preferred zones.
     * @default - none; ElastiCache picks the zones from the subnet group
     */
    availabilityZones?: string[];
}

/** What the cluster and the data services need from the network; all ids may be Outputs. */
export interface AwsNetworkRef {
    vpcId: pulumi.Input<string>;
    privateSubnetIds: pulumi.Input<string>[];
    /** Members of this group may reach RDS and ElastiCache; the node groups carry it. */
    dataClientsSecurityGroupId: pulumi.Input<string>;
    availabilityZones?: string[];
}

/** Arguments of {@link AwsNetwork}. */
export type AwsNetworkArgs = (CreatedVpcArgs | ExistingVpcArgs) & {
    /** The AWS region of the stack (names the S3 gateway endpoint service). */
    region: string;
};

/** The tail of a `region: ...` problem when `region` is not an AWS region name; `undefined` when fine. */
export function awsRegionProblem(region: string): string | undefined {
    return /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/.test(region)
        ? undefined
        : `"${region}" is not an AWS region (expected a name such as eu-central-1)`;
}

/**
 * Problems of the arguments (parsed by {@link awsNetworkArgsSpec}, defaults applied), `<field>: <problem>
 * (expected ...)`. Pure.
 */
export function validateAwsNetwork(args: ResolvedAwsNetwork): Problem[] {
    const problems: Problem[] = [];
    const regionProblem = awsRegionProblem(args.region);
    if (regionProblem) problems.push({ path: "region", message: `${regionProblem}` });
    const foreign = (args.availabilityZones ?? []).filter(
        (z) => !regionProblem && !new RegExp(`^${args.region}[a-z]$`).test(z),
    );
    if (foreign.length > 0)
        problems.push({
            path: "network.availabilityZones",
            message: `${foreign.join(", ")} not zones of ${args.region} (expected ${args.region}a, ${args.region}b, ...)`,
        });
    if (args.type === "create") return [...problems, ...validateVpcLayout(args.cidr, args.availabilityZones)];
    if (!/^vpc-[0-9a-f]{8,17}$/.test(args.vpcId))
        problems.push({
            path: "network.vpcId",
            message: `"${args.vpcId}" is not a VPC id (expected vpc- and 8 or 17 hex digits)`,
        });
    if (new Set(args.privateSubnetIds).size < 2)
        problems.push({
            path: "network.privateSubnetIds",
            message: "fewer than two subnets (expected private subnets in at least two zones)",
        });
    const bad = args.privateSubnetIds.filter((s) => !/^subnet-[0-9a-f]{8,17}$/.test(s));
    if (bad.length > 0)
        problems.push({
            path: "network.privateSubnetIds",
            message: `${bad.join(", ")} not subnet ids (expected subnet- and 8 or 17 hex digits)`,
        });
    return problems;
}

/**
 * The network of an AWS stack: a created VPC (private subnets across zones, public subnets with NAT,
 * an S3 gateway endpoint so object traffic skips NAT charges) or an existing one, plus the "GitLab
 * data clients" security group. That group exists before the cluster, so RDS and ElastiCache admit it
 * without waiting for (or depending on) the EKS control plane.
 */
export class AwsNetwork extends pulumi.ComponentResource {
    public readonly vpcId: pulumi.Output<string>;
    public readonly privateSubnetIds: pulumi.Output<string>[];
    public readonly dataClientsSecurityGroupId: pulumi.Output<string>;
    /** The zones, when known without an AWS call. */
    public readonly availabilityZones?: string[];

    constructor(name: string, args: AwsNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before the component registers: an unknown key or bad layout declares nothing.
        const a = parseArgs("AwsNetwork", awsNetworkArgsSpec, args);
        assertValid("AwsNetwork", validateAwsNetwork(a));
        super("gitlab-platform:network:AwsNetwork", name, {}, opts);
        if (a.type === "create") {
            const created = this.createVpc(name, a);
            this.vpcId = created.vpcId;
            this.privateSubnetIds = created.privateSubnetIds;
        } else {
            this.vpcId = pulumi.output(a.vpcId);
            this.privateSubnetIds = a.privateSubnetIds.map((id) => pulumi.output(id));
        }
        this.availabilityZones = a.availabilityZones;
        const dataClients = new aws.ec2.SecurityGroup(
            `${name}-data-clients`,
            {
                vpcId: this.vpcId,
                description: "GitLab data clients: members may reach the GitLab database and Redis",
                tags: { Name: `${name}-data-clients` },
            },
            { parent: this },
        );
        this.dataClientsSecurityGroupId = dataClients.id;
        this.registerOutputs({ vpcId: this.vpcId, dataClientsSecurityGroupId: this.dataClientsSecurityGroupId });
    }

    /** The ids the cluster and the data services take. */
    public get ref(): AwsNetworkRef {
        return {
            vpcId: this.vpcId,
            privateSubnetIds: this.privateSubnetIds,
            dataClientsSecurityGroupId: this.dataClientsSecurityGroupId,
            ...(this.availabilityZones ? { availabilityZones: this.availabilityZones } : {}),
        };
    }

    private createVpc(
        name: string,
        args: Extract<ResolvedAwsNetwork, { type: "create" }>,
    ): { vpcId: pulumi.Output<string>; privateSubnetIds: pulumi.Output<string>[] } {
        const cidr = args.cidr;
        const natPerZone = args.natGateways === "perAz";
        const o = { parent: this };
        const vpc = new aws.ec2.Vpc(
            `${name}-vpc`,
            { cidrBlock: cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: name } },
            o,
        );
        const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: { Name: name } }, o);
        const publicRoutes = new aws.ec2.RouteTable(
            `${name}-public`,
            {
                vpcId: vpc.id,
                routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }],
                tags: { Name: `${name}-public` },
            },
            o,
        );
        const plan = planSubnets(cidr, args.availabilityZones);
        const nats: aws.ec2.NatGateway[] = [];
        const privateSubnetIds: pulumi.Output<string>[] = [];
        const privateRouteTableIds: pulumi.Output<string>[] = [];
        plan.forEach((zone, i) => {
            const az = zone.availabilityZone;
            const pub = new aws.ec2.Subnet(
                `${name}-public-${az}`,
                {
                    vpcId: vpc.id,
                    availabilityZone: az,
                    cidrBlock: zone.publicCidr,
                    mapPublicIpOnLaunch: false,
                    // Internet-facing load balancers (the GitLab gateway's NLB) land here.
                    tags: { Name: `${name}-public-${az}`, "kubernetes.io/role/elb": "1" },
                },
                o,
            );
            new aws.ec2.RouteTableAssociation(
                `${name}-public-${az}`,
                { subnetId: pub.id, routeTableId: publicRoutes.id },
                o,
            );
            if (natPerZone || i === 0) {
                const eip = new aws.ec2.Eip(
                    `${name}-nat-${az}`,
                    { domain: "vpc", tags: { Name: `${name}-nat-${az}` } },
                    o,
                );
                nats.push(
                    new aws.ec2.NatGateway(
                        `${name}-nat-${az}`,
                        { allocationId: eip.id, subnetId: pub.id, tags: { Name: `${name}-nat-${az}` } },
                        { ...o, dependsOn: [igw] },
                    ),
                );
            }
            const priv = new aws.ec2.Subnet(
                `${name}-private-${az}`,
                {
                    vpcId: vpc.id,
                    availabilityZone: az,
                    cidrBlock: zone.privateCidr,
                    tags: { Name: `${name}-private-${az}`, "kubernetes.io/role/internal-elb": "1" },
                },
                o,
            );
            const nat = natPerZone ? nats[i] : nats[0];
            const routes = new aws.ec2.RouteTable(
                `${name}-private-${az}`,
                {
                    vpcId: vpc.id,
                    routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }],
                    tags: { Name: `${name}-private-${az}` },
                },
                o,
            );
            new aws.ec2.RouteTableAssociation(
                `${name}-private-${az}`,
                { subnetId: priv.id, routeTableId: routes.id },
                o,
            );
            privateSubnetIds.push(priv.id);
            privateRouteTableIds.push(routes.id);
        });
        // Gateway endpoints are free; S3 traffic (artifacts, LFS, registry, backups) then bypasses NAT.
        new aws.ec2.VpcEndpoint(
            `${name}-s3`,
            {
                vpcId: vpc.id,
                serviceName: `com.amazonaws.${args.region}.s3`,
                vpcEndpointType: "Gateway",
                routeTableIds: privateRouteTableIds,
                tags: { Name: `${name}-s3` },
            },
            o,
        );
        return { vpcId: vpc.id, privateSubnetIds };
    }
}
