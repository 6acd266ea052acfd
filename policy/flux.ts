/**
 * Flux: Kustomizations prune what their source no longer contains, sources are fetched over TLS, and
 * OCI artifacts are verified before they are applied.
 * @see https://fluxcd.io/flux/components/kustomize/kustomizations/#prune
 * @see https://fluxcd.io/flux/components/source/ocirepositories/#verification
 */
import { resourcePolicy } from "./lib/define";
import { FLUX_KUSTOMIZATION, FLUX_OCI_REPOSITORY, FLUX_SOURCE } from "./lib/types";
import { at, isSet, stringAt, UNKNOWN } from "./lib/values";

export const fluxKustomizationPrune = resourcePolicy(
    {
        name: "flux-kustomization-prune",
        description: "Flux Kustomizations prune: objects removed from the source are removed from the cluster.",
        severity: "medium",
        enforcementLevel: "advisory",
        remediationSteps:
            "Set spec.prune: true (mark objects that must survive with the kustomize.toolkit.fluxcd.io/prune: disabled annotation).",
    },
    (type) => FLUX_KUSTOMIZATION.test(type),
    (r) => {
        const prune = at(r.props, ["spec", "prune"]);
        if (prune === true || prune === UNKNOWN) return [];
        return [`spec.prune: ${prune === undefined ? "not set" : JSON.stringify(prune)} (expected true)`];
    },
);

export const fluxSourceSecure = resourcePolicy(
    {
        name: "flux-source-secure",
        description: "Flux sources are fetched over TLS: no insecure flag, no plain http:// URL.",
        severity: "high",
        enforcementLevel: "mandatory",
        remediationSteps:
            "Remove spec.insecure and use an https://, ssh:// or oci:// URL served with a trusted certificate (spec.certSecretRef for a private CA).",
    },
    (type) => FLUX_SOURCE.test(type),
    (r) => {
        const problems: string[] = [];
        if (at(r.props, ["spec", "insecure"]) === true)
            problems.push("spec.insecure: true allows plain HTTP to the source (expected false or unset)");
        const url = stringAt(r.props, ["spec", "url"]);
        if (url !== undefined && /^http:\/\//i.test(url))
            problems.push(`spec.url: "${url}" is plain HTTP (expected https://, ssh:// or oci://)`);
        return problems;
    },
);

export const fluxOciSourceVerified = resourcePolicy(
    {
        name: "flux-oci-source-verified",
        description:
            "Flux OCIRepository sources verify the artifact's signature (cosign or notation) before it is applied.",
        severity: "medium",
        enforcementLevel: "advisory",
        remediationSteps:
            "Sign artifacts in CI (cosign sign, keyless with the pipeline's identity or with a key) and set spec.verify.provider (plus secretRef or matchOIDCIdentity).",
    },
    (type) => FLUX_OCI_REPOSITORY.test(type),
    (r) =>
        isSet(at(r.props, ["spec", "verify", "provider"]))
            ? []
            : ["spec.verify: not set, so unsigned artifacts are applied (expected verify.provider cosign or notation)"],
);

/** The Flux policies. */
export const FLUX_POLICIES = [fluxKustomizationPrune, fluxSourceSecure, fluxOciSourceVerified];
