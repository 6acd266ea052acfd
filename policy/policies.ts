/**
 * Every policy of the pack, in the order the pack serves them. Importing this module starts nothing:
 * `index.ts` is the only module that builds the PolicyPack (which starts the analyzer server).
 */
import { AGENT_RUNNER_POLICIES } from "./agent-runner";
import { AWS_DATA_POLICIES } from "./aws-data";
import { CLUSTER_POLICIES } from "./cluster";
import { FLUX_POLICIES } from "./flux";
import { GATEWAY_TLS_POLICIES } from "./gateway-tls";
import { GITLAB_DAY2_POLICIES } from "./gitlab-day2";
import { HELM_POLICIES } from "./helm";
import type { PackPolicy } from "./lib/define";
import { NETWORK_POLICIES } from "./network";
import { PRODUCTION_POLICIES } from "./production";
import { SECRET_POLICIES } from "./secrets";
import { WORKLOAD_POLICIES } from "./workloads";

/** The pack's name: the key `pulumi policy` commands and the CLI's output use. */
export const PACK_NAME = "gitlab-platform";

export const POLICIES: readonly PackPolicy[] = [
    ...HELM_POLICIES,
    ...WORKLOAD_POLICIES,
    ...NETWORK_POLICIES,
    ...SECRET_POLICIES,
    ...AWS_DATA_POLICIES,
    ...CLUSTER_POLICIES,
    ...AGENT_RUNNER_POLICIES,
    ...FLUX_POLICIES,
    ...GITLAB_DAY2_POLICIES,
    ...PRODUCTION_POLICIES,
    ...GATEWAY_TLS_POLICIES,
];
