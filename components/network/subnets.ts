/**
 * Pure IPv4 CIDR arithmetic for the created VPC: one large private subnet per availability zone (pods
 * take VPC addresses with the VPC CNI, so private subnets get most of the range) and one small public
 * subnet per zone for NAT gateways and internet-facing load balancers.
 *
 * Layout of a VPC of prefix `/p`: it splits into four `/p+2` blocks; blocks 0-2 are the private subnets
 * of zones 1-3, block 3 is split into sixteen `/p+6` blocks, the first ones being the public subnets.
 * A /16 thus gives three private /18 (16,384 addresses each) and three public /22 (1,024 each).
 */
import type { Problem } from "../errors";

/** Private and public subnet of one availability zone. */
export interface ZoneSubnets {
    availabilityZone: string;
    privateCidr: string;
    publicCidr: string;
}

/** Smallest and largest VPC prefix the layout supports (AWS allows /16 to /28; /20 keeps /26 public subnets). */
export const VPC_PREFIX_RANGE = { min: 16, max: 20 } as const;

/** How many availability zones the layout supports (three private blocks). */
export const ZONE_COUNT_RANGE = { min: 2, max: 3 } as const;

/** Parses `a.b.c.d/p` into a 32-bit base address and prefix; `undefined` when malformed. */
export function parseCidr(cidr: string): { base: number; prefix: number } | undefined {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
    if (!m) return undefined;
    const octets = m.slice(1, 5).map(Number);
    const prefix = Number(m[5]);
    if (octets.some((o) => o > 255) || prefix > 32) return undefined;
    const base = octets.reduce((acc, o) => acc * 256 + o, 0);
    return { base, prefix };
}

/** Formats a 32-bit address and prefix as CIDR text. */
export function formatCidr(base: number, prefix: number): string {
    const octets = [24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256);
    return `${octets.join(".")}/${prefix}`;
}

/** Whether the address bits below the prefix are all zero (`10.0.0.0/16`, not `10.0.1.0/16`). */
function isNetworkAddress(base: number, prefix: number): boolean {
    return base % 2 ** (32 - prefix) === 0;
}

/** The `index`-th sub-block of `newPrefix` inside the block `base/prefix`. */
function subBlock(base: number, newPrefix: number, index: number): number {
    return base + index * 2 ** (32 - newPrefix);
}

/** Problems of a VPC CIDR and zone list, `<field>: <problem> (expected ...)`, for the created-VPC path. */
export function validateVpcLayout(cidr: string, zones: readonly string[], field = "network"): Problem[] {
    const problems: Problem[] = [];
    const parsed = parseCidr(cidr);
    if (!parsed) {
        problems.push({
            path: `${field}.cidr`,
            message: `"${cidr}" is not an IPv4 CIDR (expected a.b.c.d/p such as 10.0.0.0/16)`,
        });
    } else if (parsed.prefix < VPC_PREFIX_RANGE.min || parsed.prefix > VPC_PREFIX_RANGE.max) {
        problems.push({
            path: `${field}.cidr`,
            message: `prefix /${parsed.prefix} is outside the supported range (expected /${VPC_PREFIX_RANGE.min} to /${VPC_PREFIX_RANGE.max})`,
        });
    } else if (!isNetworkAddress(parsed.base, parsed.prefix)) {
        problems.push({
            path: `${field}.cidr`,
            message: `"${cidr}" has host bits set (expected the network address, ${formatCidr(parsed.base - (parsed.base % 2 ** (32 - parsed.prefix)), parsed.prefix)})`,
        });
    }
    if (zones.length < ZONE_COUNT_RANGE.min || zones.length > ZONE_COUNT_RANGE.max) {
        problems.push({
            path: `${field}.availabilityZones`,
            message: `${zones.length} zones (expected ${ZONE_COUNT_RANGE.min} or ${ZONE_COUNT_RANGE.max} distinct zones of the region)`,
        });
    }
    if (new Set(zones).size !== zones.length) {
        problems.push({ path: `${field}.availabilityZones`, message: "lists a zone twice (expected distinct zones)" });
    }
    return problems;
}

/** The subnets of each zone, in zone order. Call after {@link validateVpcLayout} found no problem. */
export function planSubnets(cidr: string, zones: readonly string[]): ZoneSubnets[] {
    const parsed = parseCidr(cidr);
    if (!parsed) throw new Error(`planSubnets: invalid CIDR ${cidr}`);
    const privatePrefix = parsed.prefix + 2;
    const publicPrefix = parsed.prefix + 6;
    const publicBlock = subBlock(parsed.base, privatePrefix, 3);
    return zones.map((availabilityZone, i) => ({
        availabilityZone,
        privateCidr: formatCidr(subBlock(parsed.base, privatePrefix, i), privatePrefix),
        publicCidr: formatCidr(subBlock(publicBlock, publicPrefix, i), publicPrefix),
    }));
}
