/**
 * The simulating engine: the recording engine (tools/plan/engine.ts) in update mode, except that
 * Pulumi dynamic resources really run. Each one's provider is deserialized from its `__provider` input
 * exactly as the SDK's dynamic-provider host does (`require-from-string` of the serialized closure, then
 * `handler()` and `configure` with the stack config), and the engine's steps are called: `check`, then
 * `create` for a resource without state, or `diff` against the state of the previous run. A resource is
 * answered only after its provider returns, so dependents (inputs or `dependsOn`) wait for it, as they
 * do under a real engine. Everything else (Kubernetes, AWS, random) stays recorded with its inputs as state.
 */
import * as pulumi from "@pulumi/pulumi";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import { specialSecretSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { RecordingMonitor, type RecordedRun } from "../plan/engine";
import { installMonitor, waitForRegistrations, withoutSdkStackCaptures } from "../plan/sdk-internals";

/* eslint-disable @typescript-eslint/no-require-imports */
const requireFromString = require("require-from-string") as (code: string) => {
    handler(): pulumi.dynamic.ResourceProvider;
};
const { Config: DynamicConfig } = require("@pulumi/pulumi/cmd/dynamic-provider/config") as {
    Config: new (raw: Record<string, string>, project: string) => pulumi.dynamic.Config;
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** The state of one dynamic resource after a step, keyed by URN in {@link SimState}. */
export interface DynamicState {
    urn: string;
    type: string;
    id: string;
    /** Checked inputs, `__provider` included. */
    inputs: Record<string, unknown>;
    /** What the provider returned (plain values; secrets unwrapped: this state never leaves memory). */
    outputs: Record<string, unknown>;
    /** Names of outputs the resource declared secret (`additionalSecretOutputs`). */
    secretOutputs: string[];
}

/** The simulated stack state carried from one run to the next. */
export interface SimState {
    dynamic: Map<string, DynamicState>;
    /** URNs in the order their create finished: a valid dependency order. */
    order: string[];
}

/** One dynamic step as the report lists it. */
export interface Step {
    op: "create" | "same" | "update" | "replace";
    urn: string;
    /** Inputs that differ, from the provider's diff (drift). */
    diffs?: string[];
    ms: number;
}

/** Deeply unwraps secret envelopes; an unknown value is an error in an update. */
export function plain(value: unknown, where: string): unknown {
    if (value === unknownValue)
        throw new Error(
            `${where}: an input is still unknown in an update (the recording engine must resolve every input)`,
        );
    if (Array.isArray(value)) return value.map((v, i) => plain(v, `${where}[${i}]`));
    if (value !== null && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        if (obj[specialSigKey] === specialSecretSig) return plain(obj.value, where);
        return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, plain(v, `${where}.${k}`)]));
    }
    return value;
}

/** An error's text; errors from deserialized provider code are not always `instanceof Error`. */
export function errorText(e: unknown): string {
    const m = (e as { message?: unknown })?.message;
    return typeof m === "string" && m !== "" ? m : JSON.stringify(e);
}

const secretOf = (value: unknown) => ({ [specialSigKey]: specialSecretSig, value });

/** Deserialized providers, one per serialized text, configured once, as the SDK's provider host caches them. */
class ProviderHost {
    private readonly cache = new Map<string, Promise<pulumi.dynamic.ResourceProvider>>();
    constructor(
        private readonly config: Record<string, string>,
        private readonly project: string,
    ) {}

    get(serialized: unknown): Promise<pulumi.dynamic.ResourceProvider> {
        if (typeof serialized !== "string" || serialized === "")
            throw new Error("a dynamic resource without a serialized __provider");
        let p = this.cache.get(serialized);
        if (!p) {
            p = (async () => {
                const provider = requireFromString(serialized).handler();
                if (provider.configure)
                    await provider.configure({ config: new DynamicConfig(this.config, this.project) });
                return provider;
            })();
            this.cache.set(serialized, p);
        }
        return p;
    }
}

type Callback = (err: unknown, response: unknown) => void;
interface Request {
    getType(): string;
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
    getAdditionalsecretoutputsList(): string[];
}
interface Response {
    getUrn(): string;
    setId(id: string): void;
    setObject(o: unknown): void;
}

/** The monitor: recording, plus dynamic resources executed against their real providers. */
export class SimulatingMonitor extends RecordingMonitor {
    readonly steps: Step[] = [];
    /** Provider failures (the SDK reports them as failed registrations). */
    readonly failures: string[] = [];
    /** The stack's outputs, secrets unwrapped, and which of them are secret (for a StackReference). */
    rawOutputs: Record<string, unknown> = {};
    secretOutputNames: string[] = [];

    constructor(
        mocks: pulumi.runtime.Mocks,
        private readonly host: ProviderHost,
        private readonly prior: SimState,
        readonly next: SimState,
    ) {
        super(mocks, (name) => `${name}-id`);
    }

    override async registerResource(
        req: Request & Parameters<RecordingMonitor["registerResource"]>[0],
        callback: Callback,
    ): Promise<void> {
        const type = req.getType();
        if (!type.startsWith("pulumi-nodejs:dynamic")) return super.registerResource(req, callback);
        const raw = (req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
        const secretOutputs = req.getAdditionalsecretoutputsList();
        return super.registerResource(req, (err, response) => {
            if (err || !response) return callback(err, response);
            const res = response as Response;
            this.step(res.getUrn(), type, raw, secretOutputs).then(
                (state) => {
                    res.setId(state.id);
                    const object: Record<string, unknown> = {};
                    for (const [k, v] of Object.entries(state.outputs))
                        if (v !== undefined) object[k] = secretOutputs.includes(k) ? secretOf(v) : v;
                    res.setObject(structproto.Struct.fromJavaScript(object as Record<string, never>));
                    callback(null, res);
                },
                (e: unknown) => {
                    // The SDK reports a failed registration with the gRPC error's `details`.
                    const message = errorText(e);
                    this.failures.push(message);
                    callback(Object.assign(new Error(message), { details: message }), undefined);
                },
            );
        });
    }

    override registerResourceOutputs(
        req: Parameters<RecordingMonitor["registerResourceOutputs"]>[0],
        callback: Callback,
    ): void {
        if (req.getUrn().includes("::pulumi:pulumi:Stack::")) {
            const outputs = req.getOutputs()?.toJavaScript() ?? {};
            this.secretOutputNames = Object.entries(outputs)
                .filter(
                    ([, v]) =>
                        v !== null &&
                        typeof v === "object" &&
                        (v as Record<string, unknown>)[specialSigKey] === specialSecretSig,
                )
                .map(([k]) => k);
            this.rawOutputs = plain(outputs, "outputs") as Record<string, unknown>;
        }
        super.registerResourceOutputs(req, callback);
    }

    /** check, then create (no prior state) or diff (prior state; a change is drift and is applied as the engine would). */
    private async step(
        urn: string,
        type: string,
        raw: Record<string, unknown>,
        secretOutputs: string[],
    ): Promise<DynamicState> {
        const started = Date.now();
        const news = plain(raw, urn) as Record<string, unknown>;
        const provider = await this.host.get(news.__provider);
        const old = this.prior.dynamic.get(urn);
        const checked = provider.check ? await provider.check(old?.inputs ?? {}, news) : { inputs: news };
        if (checked.failures && checked.failures.length > 0)
            throw new Error(`${urn}: check failed: ${checked.failures.map((f) => f.reason).join("; ")}`);
        const inputs: Record<string, unknown> = {
            ...(checked.inputs as Record<string, unknown>),
            __provider: news.__provider,
        };
        let state: DynamicState;
        if (!old) {
            const created = await provider.create(inputs);
            state = {
                urn,
                type,
                id: created.id,
                inputs,
                outputs: { ...created.outs, __provider: news.__provider },
                secretOutputs,
            };
            this.steps.push({ op: "create", urn, ms: Date.now() - started });
        } else {
            const diff = provider.diff ? await provider.diff(old.id, old.outputs, inputs) : { changes: false };
            if (!diff.changes) {
                state = { ...old, inputs };
                this.steps.push({ op: "same", urn, ms: Date.now() - started });
            } else {
                const diffs = Object.keys(inputs).filter(
                    (k) =>
                        k !== "__provider" &&
                        inputs[k] !== undefined &&
                        JSON.stringify(inputs[k]) !== JSON.stringify(old.outputs[k]),
                );
                const replace = (diff.replaces ?? []).length > 0;
                if (replace) {
                    // Create-before-delete unless the provider asks otherwise, as the engine does.
                    if (diff.deleteBeforeReplace && provider.delete) await provider.delete(old.id, old.outputs);
                    const created = await provider.create(inputs);
                    if (!diff.deleteBeforeReplace && provider.delete) await provider.delete(old.id, old.outputs);
                    state = {
                        urn,
                        type,
                        id: created.id,
                        inputs,
                        outputs: { ...created.outs, __provider: news.__provider },
                        secretOutputs,
                    };
                } else {
                    const updated = provider.update
                        ? await provider.update(old.id, old.outputs, inputs)
                        : { outs: inputs };
                    state = { ...old, inputs, outputs: { ...updated.outs, __provider: news.__provider } };
                }
                this.steps.push({ op: replace ? "replace" : "update", urn, diffs, ms: Date.now() - started });
            }
        }
        this.next.dynamic.set(urn, state);
        this.next.order.push(urn);
        return state;
    }
}

/** Options of one simulated run of the program. */
export interface SimRunOptions {
    project: string;
    stack: string;
    config: Record<string, string>;
    secretKeys: string[];
    /** Stack references by name: their outputs (plain) and which are secret. */
    stackReferences?: Record<string, { outputs: Record<string, unknown>; secretOutputNames: string[] }>;
    /** The state of the previous run (empty for a first up). */
    prior?: SimState;
    /** The stack's own outputs from its previous run, for a StackReference to itself (none on a first up). */
    selfOutputs?: { outputs: Record<string, unknown>; secretOutputNames: string[] };
}

/** A run: the recording, the dynamic steps, the new state and the raw outputs. */
export interface SimRun extends RecordedRun {
    steps: Step[];
    state: SimState;
    rawOutputs: Record<string, unknown>;
    secretOutputNames: string[];
}

/** Runs `program` once in update mode under the simulating engine. */
export async function simulateProgram(program: () => unknown, opts: SimRunOptions): Promise<SimRun> {
    pulumi.runtime.setAllConfig(opts.config, opts.secretKeys);
    const refs = opts.stackReferences ?? {};
    const mocks: pulumi.runtime.Mocks = {
        newResource: (args) => {
            if (args.type === "pulumi:pulumi:StackReference") {
                const name = String(args.inputs.name);
                // The stack reading its own last outputs (the recorded GitLab version): a first up has none.
                const self = name === opts.stack || name.endsWith(`/${opts.project}/${opts.stack}`);
                const ref = self ? (opts.selfOutputs ?? { outputs: {}, secretOutputNames: [] }) : refs[name];
                if (!ref)
                    throw new Error(`StackReference ${String(args.inputs.name)}: no such stack in this simulation`);
                return {
                    id: String(args.inputs.name),
                    state: { name: args.inputs.name, outputs: ref.outputs, secretOutputNames: ref.secretOutputNames },
                };
            }
            return { id: `${args.name}-id`, state: args.inputs };
        },
        call: (args) => args.inputs,
    };
    await pulumi.runtime.setMocks(mocks, opts.project, opts.stack, false);
    const next: SimState = { dynamic: new Map(), order: [] };
    const monitor = new SimulatingMonitor(
        mocks,
        new ProviderHost(opts.config, opts.project),
        opts.prior ?? { dynamic: new Map(), order: [] },
        next,
    );
    installMonitor(monitor);
    // A failed registration rejects promises nobody awaits (the CLI logs them): collect them instead.
    const rejected: unknown[] = [];
    const onRejection = (reason: unknown) => void rejected.push(reason);
    process.on("unhandledRejection", onRejection);
    return withoutSdkStackCaptures(async () => {
        let failure: unknown;
        try {
            await pulumi.runtime.runInPulumiStack(async () => program());
        } catch (err) {
            failure = err;
        }
        try {
            await waitForRegistrations();
        } catch (err) {
            failure ??= err;
        }
        await new Promise((resolve) => setImmediate(resolve));
        process.off("unhandledRejection", onRejection);
        if (monitor.failures.length > 0) throw new Error(`GitLab API step failed: ${monitor.failures.join("; ")}`);
        if (failure !== undefined) throw failure;
        if (rejected.length > 0) throw rejected[0];
        return {
            resources: monitor.records,
            outputs: monitor.stackOutputs,
            steps: monitor.steps,
            state: next,
            rawOutputs: monitor.rawOutputs,
            secretOutputNames: monitor.secretOutputNames,
        };
    });
}

/**
 * Destroys the dynamic resources of `state` in reverse creation order (dependents before what they
 * depend on), each through its own deserialized provider. Returns the URNs deleted.
 */
export async function simulateDestroy(
    state: SimState,
    config: Record<string, string>,
    project: string,
): Promise<{ urn: string; ms: number }[]> {
    const host = new ProviderHost(config, project);
    const done: { urn: string; ms: number }[] = [];
    for (const urn of [...state.order].reverse()) {
        const s = state.dynamic.get(urn)!;
        const started = Date.now();
        const provider = await host.get(s.inputs.__provider);
        if (provider.delete) await provider.delete(s.id, s.outputs);
        state.dynamic.delete(urn);
        done.push({ urn, ms: Date.now() - started });
    }
    state.order.length = 0;
    return done;
}
