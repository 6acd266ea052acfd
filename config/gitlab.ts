/**
 * The `gitlab` key: GitLab on Kubernetes with the official chart. Picked from the GitLab component's
 * spec (components/gitlab/settings.ts): every setting but the gateway's load balancer annotations,
 * which the stack derives from the cluster type. The rules are the spec's `gitlabSettingsRules`.
 */
import type { z } from "zod";
import { gitlabSettingsSpec } from "../components/gitlab/settings";

export const gitlabSchema = gitlabSettingsSpec.omit({ loadBalancerAnnotations: true });

export type GitLabConfig = z.output<typeof gitlabSchema>;
