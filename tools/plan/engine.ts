/**
 * The recording engine behind the offline plan and the component tests: the real program runs
 * in-process against the SDK's mock monitor, subclassed to see each full RegisterResource request
 * (parent, dependencies, protect, provider). With `preview: true` it has preview semantics: outputs a
 * real engine computes (ids, generated passwords, provider-computed fields) stay unknown.
 */
import * as pulumi from "@pulumi/pulumi";
import * as resproto from "@pulumi/pulumi/proto/resource_pb";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { installMonitor, waitForRegistrations, withoutSdkStackCaptures } from "./sdk-internals";
import {
    specialSigKey,
    specialSecretSig,
    specialResourceSig,
    specialAssetSig,
    specialArchiveSig,
    unknownValue,
} from "@pulumi/pulumi/runtime/rpc";

/** One declared resource, as the offline plan format describes it. */
export interface PlannedResource {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    parent: string | null;
    provider: string | null;
    dependsOn: string[];
    protect: boolean;
    inputs: Record<string, unknown>;
}

/**
 * A read of an existing object (`Resource.get`, or a constructor with an `id`): not declared by the stack,
 * but a resource with a URN that others may depend on (a component's dependents wait for its reads too).
 */
export interface PlannedRead {
    urn: string;
    type: string;
    name: string;
    parent: string | null;
    /** The id read, `"[unknown]"` when it is (a real engine then skips the read). */
    id: string;
}

/** A recorded program run. Secret values are `"[secret]"`, unknown ones `"[unknown]"`. */
export interface RecordedRun {
    resources: PlannedResource[];
    outputs: Record<string, unknown>;
    reads?: PlannedRead[];
}

import { SECRET, UNKNOWN } from "./format";
export { SECRET, UNKNOWN };

/** Turns a serialized property value into plan JSON: secrets and unknowns masked, references as URNs. */
export function renderValue(value: unknown): unknown {
    if (value === unknownValue) return UNKNOWN;
    if (Array.isArray(value)) return value.map(renderValue);
    if (value !== null && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        const sig = obj[specialSigKey];
        if (sig === specialSecretSig) return SECRET;
        if (sig === specialResourceSig) return obj.urn;
        if (sig === specialAssetSig || sig === specialArchiveSig) {
            const { [specialSigKey]: _sig, ...rest } = obj;
            return renderValue(rest);
        }
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(obj).sort()) out[key] = renderValue(obj[key]);
        return out;
    }
    return value;
}

/** `urn::id` provider references become the provider's URN. */
function providerUrn(ref: string): string | null {
    if (!ref) return null;
    const at = ref.lastIndexOf("::");
    return at > 0 ? ref.slice(0, at) : ref;
}

type Callback = (err: unknown, response: unknown) => void;
interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getProtect(): boolean;
    getProvider(): string;
    getDependenciesList(): string[];
    getPropertydependenciesMap(): { forEach(cb: (value: { getUrnsList(): string[] }, key: string) => void): void };
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}

/**
 * The SDK's mock monitor, recording every registration in the plan format. With `echoId` (mocks whose
 * state is the inputs: {@link previewMocks}, {@link updateMocks}) it answers registrations itself, with
 * the request's own properties as the state: what the SDK's mock monitor computes by deserializing the
 * inputs, handing them to the mocks and serializing them back, three conversions per resource saved.
 */
export class RecordingMonitor extends MockMonitor {
    readonly records: PlannedResource[] = [];
    readonly reads: PlannedRead[] = [];
    stackOutputs: Record<string, unknown> = {};

    constructor(
        mocks: pulumi.runtime.Mocks,
        private readonly echoId?: (name: string) => string | undefined,
        private readonly onRegister?: RunOptions["onRegister"],
    ) {
        super(mocks);
    }

    override async registerResource(req: RegisterRequest, callback: Callback): Promise<void> {
        const dependsOn = new Set(req.getDependenciesList());
        req.getPropertydependenciesMap().forEach((deps) => deps.getUrnsList().forEach((u) => dependsOn.add(u)));
        const properties = req.getObject();
        const object = properties?.toJavaScript() ?? {};
        const record: PlannedResource = {
            urn: "",
            type: req.getType(),
            name: req.getName(),
            custom: req.getCustom(),
            parent: req.getParent() || null,
            provider: providerUrn(req.getProvider()),
            dependsOn: [...dependsOn].filter((u) => u !== "").sort(),
            protect: req.getProtect(),
            inputs: renderValue(object) as Record<string, unknown>,
        };
        this.records.push(record);
        this.onRegister?.(record.type, record.name, object);
        if (this.echoId && properties) {
            try {
                const sdk = this as unknown as {
                    newUrn(parent: string, type: string, name: string): string;
                    resources: Map<string, unknown>;
                };
                const urn = sdk.newUrn(req.getParent(), req.getType(), req.getName());
                const id = this.echoId(req.getName());
                sdk.resources.set(urn, { urn, id: id ?? null, state: object });
                const response = new resproto.RegisterResourceResponse();
                response.setUrn(urn);
                response.setId(id ?? "");
                response.setObject(properties as Parameters<typeof response.setObject>[0]);
                record.urn = urn;
                callback(null, response);
            } catch (err) {
                callback(err, undefined);
            }
            return;
        }
        return super.registerResource(req, (err: unknown, response: unknown) => {
            if (response) record.urn = (response as { getUrn(): string }).getUrn();
            callback(err, response);
        });
    }

    override async readResource(
        req: { getType(): string; getName(): string; getParent(): string; getId(): string },
        callback: Callback,
    ): Promise<void> {
        return super.readResource(req, (err: unknown, response: unknown) => {
            if (response)
                this.reads.push({
                    urn: (response as { getUrn(): string }).getUrn(),
                    type: req.getType(),
                    name: req.getName(),
                    parent: req.getParent() || null,
                    id: renderValue(req.getId()) as string,
                });
            callback(err, response);
        });
    }

    override registerResourceOutputs(
        req: { getUrn(): string; getOutputs(): { toJavaScript(): Record<string, unknown> } | undefined },
        callback: Callback,
    ): void {
        if (req.getUrn().includes("::pulumi:pulumi:Stack::")) {
            this.stackOutputs = renderValue(req.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>;
        }
        super.registerResourceOutputs(req, callback);
    }
}

/** In a preview a resource's state is its inputs and its id unknown, as a real engine's preview shows. */
const previewMocks: pulumi.runtime.Mocks = {
    newResource: (args) => ({ id: undefined as unknown as string, state: args.inputs }),
    call: (args) => args.inputs,
};

/** After an update a resource has an id; computed outputs stay absent unless a test's mocks add them. */
const updateMocks: pulumi.runtime.Mocks = {
    newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
    call: (args) => args.inputs,
};

export interface RunOptions {
    project: string;
    stack: string;
    /** Config by full key (`project:key`), values as the CLI passes them (structured values as JSON text). */
    config: Record<string, string>;
    /** Full keys whose values are secrets. */
    secretKeys: string[];
    /** Preview semantics (unknown computed outputs). */
    preview?: boolean;
    /** Custom mocks, e.g. to return computed outputs in component tests. */
    mocks?: pulumi.runtime.Mocks;
    /**
     * Sees each registration's unmasked serialized inputs, e.g. the key names inside a secret `stringData`
     * (the render layer needs them; values must never be written anywhere).
     */
    onRegister?: (type: string, name: string, inputs: Record<string, unknown>) => void;
}

/**
 * Runs `program` as the root of a stack against the recording monitor and returns every declared
 * resource. The program may return stack outputs (as a Pulumi program's default export does).
 */
export async function recordProgram(program: () => unknown, opts: RunOptions): Promise<RecordedRun> {
    pulumi.runtime.setAllConfig(opts.config, opts.secretKeys);
    const preview = opts.preview ?? true;
    const mocks = opts.mocks ?? (preview ? previewMocks : updateMocks);
    await pulumi.runtime.setMocks(mocks, opts.project, opts.stack, preview);
    const echoId =
        mocks === previewMocks ? () => undefined : mocks === updateMocks ? (name: string) => `${name}-id` : undefined;
    const monitor = new RecordingMonitor(mocks, echoId, opts.onRegister);
    installMonitor(monitor);
    return withoutSdkStackCaptures(async () => {
        let failure: unknown;
        try {
            await pulumi.runtime.runInPulumiStack(async () => program());
        } catch (err) {
            failure = err;
        }
        await waitForRegistrations();
        if (failure !== undefined) throw failure;
        return { resources: monitor.records, outputs: monitor.stackOutputs, reads: monitor.reads };
    });
}
