/**
 * Turns offline-plan resources into the analyzer protocol's messages, encoded the way the engine encodes
 * them (pkg/resource/plugin MarshalProperties with KeepSecrets and KeepUnknowns): a "[secret]" value
 * becomes a secret (`{<sig>: <secret sig>, value: "[secret]"}`), an "[unknown]" value the unknown
 * sentinel, so the pack unwraps the one and raises UnknownValueError on the other, as in a preview.
 */
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as pb from "@pulumi/pulumi/proto/analyzer_pb";
import { specialSecretSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";
import type { PlannedResource } from "../plan/engine";
import { SECRET, UNKNOWN, type Plan } from "../plan/format";

/** A plan value in the wire encoding (still JavaScript; `Struct.fromJavaScript` makes it protobuf). */
export function encodeValue(value: unknown): unknown {
    if (value === SECRET) return { [specialSigKey]: specialSecretSig, value: SECRET };
    if (value === UNKNOWN) return unknownValue;
    if (Array.isArray(value)) return value.map(encodeValue);
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeValue(v)]));
    }
    return value;
}

/** A property map as a protobuf Struct. */
export function encodeProperties(props: Record<string, unknown>): Struct {
    return Struct.fromJavaScript(encodeValue(props) as Record<string, never>);
}

/** The resource's name in its URN: the segment after the last `::`. */
export function urnName(urn: string): string {
    return urn.slice(urn.lastIndexOf("::") + 2);
}

/** The resource's type in its URN: the last `$`-separated part of the type segment. */
export function urnType(urn: string): string {
    const parts = urn.split("::");
    return parts.length >= 4 ? (parts[parts.length - 2].split("$").at(-1) ?? "") : "";
}

/**
 * The provider a resource uses: its explicit provider from the plan, or, for a custom resource without
 * one, the package's default provider the engine would create (`pulumi:providers:<pkg>::default`).
 */
export function providerOf(plan: Plan, r: PlannedResource): pb.AnalyzerProviderResource | undefined {
    const explicit = r.provider ? plan.resources.find((p) => p.urn === r.provider) : undefined;
    const pkg = r.type.split(":")[0];
    if (!explicit && (!r.custom || pkg === "pulumi" || r.type.startsWith("pulumi:providers:"))) return undefined;
    const provider = new pb.AnalyzerProviderResource();
    if (explicit) {
        provider
            .setType(explicit.type)
            .setUrn(explicit.urn)
            .setName(explicit.name)
            .setProperties(encodeProperties(explicit.inputs));
    } else {
        const urn = `urn:pulumi:${plan.stack}::${plan.project}::pulumi:providers:${pkg}::default`;
        provider.setType(`pulumi:providers:${pkg}`).setUrn(urn).setName("default").setProperties(new Struct());
    }
    return provider;
}

function optionsOf(r: PlannedResource): pb.AnalyzerResourceOptions {
    const opts = new pb.AnalyzerResourceOptions();
    opts.setProtect(r.protect);
    if (r.parent) opts.setParent(r.parent);
    return opts;
}

/** The `Analyze` (and `Remediate`) request of one resource. */
export function analyzeRequest(
    plan: Plan,
    r: PlannedResource,
    inputs: Record<string, unknown> = r.inputs,
): pb.AnalyzeRequest {
    const req = new pb.AnalyzeRequest();
    req.setUrn(r.urn).setType(r.type).setName(r.name).setProperties(encodeProperties(inputs)).setOptions(optionsOf(r));
    const provider = providerOf(plan, r);
    if (provider) req.setProvider(provider);
    return req;
}

/** The `AnalyzeStack` request: every resource with its parent and dependencies. */
export function analyzeStackRequest(
    plan: Plan,
    inputsByUrn: ReadonlyMap<string, Record<string, unknown>>,
): pb.AnalyzeStackRequest {
    const req = new pb.AnalyzeStackRequest();
    req.setResourcesList(
        plan.resources.map((r) => {
            const res = new pb.AnalyzerResource();
            res.setUrn(r.urn)
                .setType(r.type)
                .setName(r.name)
                .setProperties(encodeProperties(inputsByUrn.get(r.urn) ?? r.inputs))
                .setOptions(optionsOf(r));
            if (r.parent) res.setParent(r.parent);
            // The plan records explicit and input-implied dependencies together.
            res.setDependenciesList(r.dependsOn);
            const provider = providerOf(plan, r);
            if (provider) res.setProvider(provider);
            return res;
        }),
    );
    return req;
}
