/**
 * Validates declared Kubernetes objects against the official schemas: `kubernetes-models` for built-in
 * kinds, `@kubernetes-models/flux-cd` for Flux custom resources, `@kubernetes-models/gateway-api` for
 * Gateway API (2.0.0: generated from Gateway API v1.5.1, the CRDs the stack installs,
 * `GATEWAY_API_CRDS_VERSION`) and `@kubernetes-models/cert-manager` for cert-manager (6.0.0: generated from
 * cert-manager v1.20.2; the GitLab chart bundles cert-manager 1.x, v1.19.4 in chart 9.10.0, whose
 * `cert-manager.io/v1` fields the project declares are the same). The packages are ESM-only, so they
 * load through dynamic `import()`. Masked values ("[secret]", "[unknown]") are dropped before
 * validation: the schema checks what is known at plan time.
 */
import type { PlannedResource } from "../../tools/plan/engine";

const MASKED = new Set(["[secret]", "[unknown]"]);

function dropMasked(value: unknown): unknown {
    if (Array.isArray(value)) return value.filter((v) => !MASKED.has(v as string)).map(dropMasked);
    if (value !== null && typeof value === "object") {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) if (!MASKED.has(v as string)) out[k] = dropMasked(v);
        return out;
    }
    return value;
}

/** `kubernetes:apps/v1:Deployment` -> { apiVersion: "apps/v1", kind: "Deployment" }; undefined for non-objects. */
export function kubernetesKind(type: string): { apiVersion: string; kind: string } | undefined {
    const m = /^kubernetes:([^:]+):([A-Za-z]+)$/.exec(type);
    // Pulumi's own Helm, YAML and Kustomize resources are not Kubernetes objects (their group has no dot-separated
    // API group such as kustomize.toolkit.fluxcd.io).
    if (!m || /^(helm\.sh\/v\d+|yaml(\/v\d+)?|kustomize(\/v\d+)?)$/.test(m[1])) return undefined;
    return { apiVersion: m[1].replace(/^core\//, ""), kind: m[2] };
}

type ModelClass = new (data: unknown) => { validate(): void };

async function modelFor(apiVersion: string, kind: string): Promise<ModelClass> {
    const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
    const candidates = group.endsWith("fluxcd.io")
        ? [`@kubernetes-models/flux-cd/${group}/${version}`]
        : group === "gateway.networking.k8s.io"
          ? [`@kubernetes-models/gateway-api/${group}/${version}`]
          : group.endsWith("cert-manager.io")
            ? [`@kubernetes-models/cert-manager/${group}/${version}`]
            : [group === "" ? `kubernetes-models/${version}` : `kubernetes-models/${group}/${version}`];
    for (const spec of candidates) {
        const mod = (await import(spec)) as Record<string, unknown>;
        if (typeof mod[kind] === "function") return mod[kind] as ModelClass;
    }
    throw new Error(`no official schema for ${apiVersion} ${kind}`);
}

/** Validates one declared object; throws with the schema's message and the resource name. */
export async function validateObject(resource: PlannedResource): Promise<void> {
    const gvk = kubernetesKind(resource.type);
    if (!gvk) throw new Error(`${resource.type} is not a Kubernetes object`);
    const Model = await modelFor(gvk.apiVersion, gvk.kind);
    const data = dropMasked({ ...resource.inputs, apiVersion: gvk.apiVersion, kind: gvk.kind }) as Record<
        string,
        unknown
    >;
    try {
        new Model(data).validate();
    } catch (err) {
        throw new Error(`${resource.type} ${resource.name}: ${(err as Error).message}`, { cause: err });
    }
}

/** Validates every Kubernetes object among `resources`; returns how many were validated. */
export async function validateAll(resources: readonly PlannedResource[]): Promise<number> {
    let n = 0;
    for (const r of resources) {
        if (!r.custom || !kubernetesKind(r.type)) continue;
        await validateObject(r);
        n++;
    }
    return n;
}
