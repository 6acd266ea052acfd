import { strict as assert } from "node:assert";
import { AwsNetwork, validateAwsNetwork, type AwsNetworkArgs } from "../../components/network/aws-network";
import { awsNetworkArgsSpec } from "../../components/network/spec";
import { planSubnets } from "../../components/network/subnets";
import { InvalidArgsError } from "../../components/errors";
import { record } from "../helpers/pulumi";
import { REGION, ZONES, awsMocks } from "./support";
import { lines, refusedBeforeRegistering } from "../helpers/problems";

describe("network layout: planSubnets", () => {
    const rows: { cidr: string; zones: string[]; expected: [string, string][] }[] = [
        {
            cidr: "10.0.0.0/16",
            zones: ZONES,
            expected: [
                ["10.0.0.0/18", "10.0.192.0/22"],
                ["10.0.64.0/18", "10.0.196.0/22"],
                ["10.0.128.0/18", "10.0.200.0/22"],
            ],
        },
        {
            cidr: "172.20.0.0/20",
            zones: ZONES.slice(0, 2),
            expected: [
                ["172.20.0.0/22", "172.20.12.0/26"],
                ["172.20.4.0/22", "172.20.12.64/26"],
            ],
        },
    ];
    for (const row of rows) {
        it(`splits ${row.cidr} into private /p+2 and public /p+6 subnets per zone`, () => {
            assert.deepEqual(
                planSubnets(row.cidr, row.zones).map((z) => [z.privateCidr, z.publicCidr]),
                row.expected,
            );
        });
    }
});

describe("network layout: validateAwsNetwork", () => {
    const rows: { name: string; args: AwsNetworkArgs; problems: string[] }[] = [
        {
            name: "a /16 over three zones",
            args: { type: "create", region: REGION, availabilityZones: ZONES },
            problems: [],
        },
        {
            name: "one zone, a host address, zones of another region",
            args: { type: "create", region: REGION, cidr: "10.0.1.0/16", availabilityZones: ["us-east-1a"] },
            problems: [
                "network.availabilityZones: us-east-1a not zones of eu-central-1 (expected eu-central-1a, eu-central-1b, ...)",
                'network.cidr: "10.0.1.0/16" has host bits set (expected the network address, 10.0.0.0/16)',
                "network.availabilityZones: 1 zones (expected 2 or 3 distinct zones of the region)",
            ],
        },
        {
            name: "a prefix too small for the layout and a repeated zone",
            args: {
                type: "create",
                region: REGION,
                cidr: "10.0.0.0/24",
                availabilityZones: ["eu-central-1a", "eu-central-1a"],
            },
            problems: [
                "network.cidr: prefix /24 is outside the supported range (expected /16 to /20)",
                "network.availabilityZones: lists a zone twice (expected distinct zones)",
            ],
        },
        {
            name: "an existing VPC with one subnet and malformed ids",
            args: { type: "existing", region: REGION, vpcId: "vpc-1", privateSubnetIds: ["sub-1"] },
            problems: [
                'network.vpcId: "vpc-1" is not a VPC id (expected vpc- and 8 or 17 hex digits)',
                "network.privateSubnetIds: fewer than two subnets (expected private subnets in at least two zones)",
                "network.privateSubnetIds: sub-1 not subnet ids (expected subnet- and 8 or 17 hex digits)",
            ],
        },
    ];
    for (const row of rows)
        it(row.name, () =>
            assert.deepEqual(lines(validateAwsNetwork(awsNetworkArgsSpec.parse(row.args))), row.problems),
        );
});

describe("network spec", () => {
    it("applies each default once: the /16 range and a NAT gateway per zone", () => {
        assert.deepEqual(awsNetworkArgsSpec.parse({ type: "create", region: REGION, availabilityZones: ZONES }), {
            type: "create",
            region: REGION,
            availabilityZones: ZONES,
            cidr: "10.0.0.0/16",
            natGateways: "perAz",
        });
    });

    it("refuses a misspelled key with the key it meant, before registering anything", async () => {
        const { problems, registered } = await refusedBeforeRegistering(
            () =>
                new AwsNetwork("prod", {
                    type: "create",
                    region: REGION,
                    availabilityZones: ZONES,
                    natGateway: "single",
                } as never),
        );
        assert.deepEqual(problems, ['natGateway: unknown key (did you mean "natGateways"?)']);
        assert.deepEqual(registered, []);
    });

    it("names every missing argument, in one error", async () => {
        const { problems, registered } = await refusedBeforeRegistering(
            () => new AwsNetwork("prod", { type: "existing", privateSubnetIds: [] } as never),
        );
        assert.deepEqual(problems, [
            "vpcId: missing required key (expected string)",
            "region: missing required key (expected string)",
        ]);
        assert.deepEqual(registered, []);
    });

    it("refuses an unknown network type, naming the allowed ones", async () => {
        const { problems } = await refusedBeforeRegistering(
            () => new AwsNetwork("prod", { type: "import", region: REGION } as never),
        );
        assert.deepEqual(problems, ['type: not an allowed value (expected one of: "create", "existing")']);
    });
});

describe("AwsNetwork", () => {
    it("creates a VPC with private and public subnets per zone, a NAT gateway per zone and an S3 gateway endpoint", async () => {
        const rec = await record(
            () => {
                new AwsNetwork("prod", { type: "create", region: REGION, availabilityZones: ZONES });
            },
            { mocks: awsMocks },
        );
        const count = (type: string) => rec.ofType(type).length;
        assert.deepEqual(
            [
                "vpc:Vpc",
                "subnet:Subnet",
                "natGateway:NatGateway",
                "eip:Eip",
                "routeTable:RouteTable",
                "routeTableAssociation:RouteTableAssociation",
                "vpcEndpoint:VpcEndpoint",
                "internetGateway:InternetGateway",
                "securityGroup:SecurityGroup",
            ].map((t) => count(`aws:ec2/${t}`)),
            [1, 6, 3, 3, 4, 6, 1, 1, 1],
        );
        assert.deepEqual(rec.one("aws:ec2/vpc:Vpc").inputs, {
            cidrBlock: "10.0.0.0/16",
            enableDnsHostnames: true,
            enableDnsSupport: true,
            tags: { Name: "prod" },
        });
        const priv = rec.one("aws:ec2/subnet:Subnet", "prod-private-eu-central-1b").inputs;
        assert.deepEqual(priv, {
            vpcId: "prod-vpc-id",
            availabilityZone: "eu-central-1b",
            cidrBlock: "10.0.64.0/18",
            tags: { Name: "prod-private-eu-central-1b", "kubernetes.io/role/internal-elb": "1" },
        });
        assert.equal(rec.one("aws:ec2/subnet:Subnet", "prod-public-eu-central-1a").inputs.mapPublicIpOnLaunch, false);
        assert.deepEqual(rec.one("aws:ec2/routeTable:RouteTable", "prod-private-eu-central-1c").inputs.routes, [
            { cidrBlock: "0.0.0.0/0", natGatewayId: "prod-nat-eu-central-1c-id" },
        ]);
        assert.deepEqual(rec.one("aws:ec2/vpcEndpoint:VpcEndpoint").inputs, {
            vpcId: "prod-vpc-id",
            serviceName: "com.amazonaws.eu-central-1.s3",
            vpcEndpointType: "Gateway",
            routeTableIds: ZONES.map((z) => `prod-private-${z}-id`),
            tags: { Name: "prod-s3" },
        });
    });

    it("declares the data-clients group with no rule of its own: it is an identity the data services admit", async () => {
        const rec = await record(
            () => {
                new AwsNetwork("prod", {
                    type: "existing",
                    region: REGION,
                    vpcId: "vpc-0123456789abcdef0",
                    privateSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"],
                });
            },
            { mocks: awsMocks },
        );
        assert.deepEqual(rec.childrenOf(rec.one("gitlab-platform:network:AwsNetwork")), [
            "aws:ec2/securityGroup:SecurityGroup/prod-data-clients",
        ]);
        assert.deepEqual(rec.one("aws:ec2/securityGroup:SecurityGroup").inputs, {
            vpcId: "vpc-0123456789abcdef0",
            description: "GitLab data clients: members may reach the GitLab database and Redis",
            tags: { Name: "prod-data-clients" },
        });
    });

    it("shares one NAT gateway across zones when asked (cheaper, egress fails with its zone)", async () => {
        const rec = await record(
            () => {
                new AwsNetwork("prod", {
                    type: "create",
                    region: REGION,
                    availabilityZones: ZONES,
                    natGateways: "single",
                });
            },
            { mocks: awsMocks },
        );
        assert.deepEqual(
            rec.ofType("aws:ec2/natGateway:NatGateway").map((n) => n.name),
            ["prod-nat-eu-central-1a"],
        );
        for (const z of ZONES)
            assert.deepEqual(rec.one("aws:ec2/routeTable:RouteTable", `prod-private-${z}`).inputs.routes, [
                { cidrBlock: "0.0.0.0/0", natGatewayId: "prod-nat-eu-central-1a-id" },
            ]);
    });

    it("rejects a bad layout before declaring any child", async () => {
        const rec = await record(
            () =>
                assert.throws(
                    () =>
                        new AwsNetwork("prod", {
                            type: "create",
                            region: REGION,
                            availabilityZones: ["eu-central-1a"],
                        }),
                    InvalidArgsError,
                ),
            { mocks: awsMocks },
        );
        // Not even the component itself is registered.
        assert.deepEqual(
            rec.resources.map((r) => r.type),
            ["pulumi:pulumi:Stack"],
        );
    });
});
