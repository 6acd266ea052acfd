/** Exposure: Services reach the internet through their own load balancer only where that is a decision. */
import { allowListSchema, resourcePolicy } from "./lib/define";
import { isAllowed, objectRef, SERVICE } from "./lib/types";
import { stringAt } from "./lib/values";

export const k8sServiceNoLoadBalancer = resourcePolicy<{ allowed: string[] }>(
    {
        name: "k8s-service-no-loadbalancer",
        description: "Services of type LoadBalancer (a public cloud load balancer each) exist only where allowed.",
        severity: "medium",
        enforcementLevel: "advisory",
        remediationSteps:
            "Expose the workload through the cluster's Gateway or Ingress (a ClusterIP Service behind an HTTPRoute/Ingress), or add " +
            "`namespace/name` (or the Pulumi resource name) to this policy's `allowed` list in the stack's policy config.",
        configSchema: allowListSchema(
            "Services (`namespace/name` or Pulumi resource name) allowed to be of type LoadBalancer.",
        ),
    },
    [SERVICE],
    (r, config) =>
        stringAt(r.props, ["spec", "type"]) === "LoadBalancer" && !isAllowed(r, config.allowed)
            ? [
                  `spec.type: LoadBalancer exposes ${objectRef(r.props)} through its own cloud load balancer (expected ClusterIP behind a Gateway or Ingress)`,
              ]
            : [],
);

/** The exposure policies. */
export const NETWORK_POLICIES = [k8sServiceNoLoadBalancer];
