/**
 * Every pinned version and named default of the package, in one place. Chart and manifest versions are
 * exact; bump them here (and in CHANGELOG.md) and nowhere else.
 */

/** Kubernetes minors the GitLab chart 10.x supports (1.32 deprecated, 1.31 unsupported). */
export const SUPPORTED_KUBERNETES_VERSIONS = ["1.33", "1.34", "1.35"] as const;

/** A Kubernetes minor version inside the supported window. */
export type KubernetesVersion = (typeof SUPPORTED_KUBERNETES_VERSIONS)[number];
