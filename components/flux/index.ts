export { Flux, type FluxArgs } from "./flux";
export { OciSync, type OciSyncArgs, type OciSyncKustomization } from "./oci-sync";
export { fluxComponents, resolveFlux, resolveOciSync, validateFlux, validateOciSync, type ResolvedFluxArgs, type ResolvedOciSync } from "./resolve";
export {
    dockerConfigJson,
    fluxInstanceManifest,
    kustomizationManifest,
    ociRepositoryManifest,
    registryHost,
    type FluxComponent,
    type FluxObject,
    type OciRef,
    type OciVerify,
} from "./manifests";
export { tokenGenerations, validateRotation, type TokenGeneration, type TokenRotation } from "./rotation";
