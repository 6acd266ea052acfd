/**
 * Runs policies in-process exactly as the pack's server runs them: resources are encoded with the gate's
 * encoder (secrets as protocol secrets, unknowns as the unknown sentinel) and handed to @pulumi/policy's
 * own Analyze / AnalyzeStack handlers, which deserialize, proxy and format violations. Only the gRPC
 * transport is skipped (test/policy/gate.test.ts covers it), so no server is started.
 */
import type * as pb from "@pulumi/pulumi/proto/analyzer_pb";
import type { ReportViolation, ResourceValidation, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import type { PackPolicy } from "../../policy/lib/define";
import { POLICIES } from "../../policy/policies";
import type { PlannedResource } from "../../tools/plan/engine";
import type { Plan } from "../../tools/plan/format";
import { analyzeRequest, analyzeStackRequest, urnName } from "../../tools/policy-gate/encode";

type RpcFun = (call: { request: unknown }, callback: (err: unknown, resp?: pb.AnalyzeResponse) => void) => void;
interface ServerInternals {
    makeAnalyzeRpcFun(pack: string, version: string, level: string, policies: PackPolicy[]): RpcFun;
    makeAnalyzeStackRpcFun(pack: string, version: string, level: string, policies: PackPolicy[]): RpcFun;
}
// @pulumi/policy's server module exports its RPC handlers (marked internal); the pack's server uses the same ones.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const server = require("@pulumi/policy/server") as ServerInternals;

/** A resource of the offline plan, written by hand. */
export function resource(
    type: string,
    inputs: Record<string, unknown>,
    opts: { name?: string; protect?: boolean; dependsOn?: string[]; provider?: string; custom?: boolean } = {},
): PlannedResource {
    const name = opts.name ?? type.split(":").at(-1)!.toLowerCase();
    return {
        urn: `urn:pulumi:test::gitlab-platform::${type}::${name}`,
        type,
        name,
        custom: opts.custom ?? true,
        parent: null,
        provider: opts.provider ?? null,
        dependsOn: opts.dependsOn ?? [],
        protect: opts.protect ?? false,
        inputs,
    };
}

export function planOf(resources: PlannedResource[]): Plan {
    return { version: 1, project: "gitlab-platform", stack: "test", resources, outputs: {} };
}

/** The policy with `getConfig` answering `config` (what Configure would have set). */
function configured(policy: PackPolicy, config: object): PackPolicy {
    if ("validateStack" in policy) {
        const validate = policy.validateStack;
        return {
            ...policy,
            validateStack: (args: StackValidationArgs, report: ReportViolation) =>
                validate({ ...args, getConfig: <T>() => config as T }, report),
        };
    }
    const validate = policy.validateResource as ResourceValidation;
    return {
        ...policy,
        validateResource: (args: ResourceValidationArgs, report: ReportViolation) =>
            validate({ ...args, getConfig: <T>() => config as T }, report),
    };
}

function call(fn: RpcFun, request: unknown): Promise<pb.AnalyzeResponse> {
    return new Promise((resolve, reject) =>
        fn({ request }, (err, resp) => (err ? reject(err as Error) : resolve(resp!))),
    );
}

/** The message of a diagnostic without the description line the server puts first. */
function messageOf(d: pb.AnalyzeDiagnostic): string {
    const prefix = `${d.getDescription()}\n`;
    return d.getMessage().startsWith(prefix) ? d.getMessage().slice(prefix.length) : d.getMessage();
}

/** A violation: the policy, the resource's name (null: stack-wide) and the message. */
export interface Found {
    policy: string;
    name: string | null;
    message: string;
}

/**
 * Runs policies over resources (Analyze per resource, then AnalyzeStack) and returns every violation.
 * `tweak` edits each Analyze request, e.g. to add resource options the offline plan does not record.
 */
export async function analyze(
    policies: readonly PackPolicy[],
    resources: PlannedResource[],
    config: Record<string, object> = {},
    tweak?: (req: pb.AnalyzeRequest) => void,
): Promise<Found[]> {
    const plan = planOf(resources);
    const served = policies.map((p) => configured(p, config[p.name] ?? {}));
    const analyzeFn = server.makeAnalyzeRpcFun("gitlab-platform", "0.0.0", "advisory", served);
    const found: Found[] = [];
    for (const r of resources) {
        const req = analyzeRequest(plan, r);
        tweak?.(req);
        const resp = await call(analyzeFn, req);
        found.push(
            ...resp
                .getDiagnosticsList()
                .map((d) => ({ policy: d.getPolicyname(), name: r.name, message: messageOf(d) })),
        );
    }
    const stackResp = await call(
        server.makeAnalyzeStackRpcFun("gitlab-platform", "0.0.0", "advisory", served),
        analyzeStackRequest(plan, new Map()),
    );
    found.push(
        ...stackResp.getDiagnosticsList().map((d) => ({
            policy: d.getPolicyname(),
            name: d.getUrn() ? urnName(d.getUrn()) : null,
            message: messageOf(d),
        })),
    );
    return found;
}

/** The messages one policy reports for one resource. */
export async function messages(
    policy: PackPolicy,
    r: PlannedResource,
    config: object = {},
    tweak?: (req: pb.AnalyzeRequest) => void,
): Promise<string[]> {
    return (await analyze([policy], [r], { [policy.name]: config }, tweak)).map((f) => f.message);
}

/** `<resource name>: <message>` for each violation one policy reports over a set of resources. */
export async function findings(
    policy: PackPolicy,
    resources: PlannedResource[],
    config: object = {},
): Promise<string[]> {
    return (await analyze([policy], resources, { [policy.name]: config })).map(
        (f) => `${f.name ?? "(stack)"}: ${f.message}`,
    );
}

/** `<policy> <resource name>: <message>` for every violation of the whole pack (pack defaults). */
export async function packFindings(resources: PlannedResource[]): Promise<string[]> {
    return (await analyze(POLICIES, resources)).map((f) => `${f.policy} ${f.name ?? "(stack)"}: ${f.message}`);
}
