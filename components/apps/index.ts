export { App, type AppArgs } from "./app";
export { ReviewApp, type ContainerQuantities, type ReviewAppArgs, type ReviewRoute } from "./review-app";
export { resolveApp, resolveReviewLimits, validateApp, validateReviewApp } from "./resolve";
export { deploymentSpec, httpRouteSpec, ingressSpec, serviceSpec, type AppExposure, type AppResources, type ResolvedApp } from "./manifests";
export { dnsLabel, reviewNamespaceName, reviewSlug, type DnsLabelOptions } from "./naming";
export { parseImage, validateImage, type ImageReference } from "./image";
