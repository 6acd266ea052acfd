/**
 * GitLab day 2: a GitLab the stack can restore and upgrade. The toolbox backup CronJob is on, the rails
 * secrets come from a Secret the stack declares (so they are in its state, not only in the cluster), and
 * the GitLab version moves along GitLab's required upgrade stops.
 * Sources: docs.gitlab.com/charts/backup-restore, charts/installation/secrets, update/upgrade_paths.
 */
import {
    GITLAB_PREVIOUS_VERSION_ANNOTATION,
    GITLAB_VERSION_ANNOTATION,
    parseVersion,
    skippedStops,
} from "../components/gitlab/upgrade-path";
import { resourcePolicy, stackPolicy, type StackViolation } from "./lib/define";
import { chartName, HELM_RELEASE, helmValues, SECRET_TYPE } from "./lib/types";
import { at, stringAt, UNKNOWN } from "./lib/values";

const NAMESPACE_TYPE = "kubernetes:core/v1:Namespace";

export const gitlabBackupsScheduled = resourcePolicy(
    {
        name: "gitlab-backups-scheduled",
        description:
            "GitLab's toolbox backup CronJob runs: repositories, database and uploads reach the backups bucket on a schedule.",
        severity: "high",
        enforcementLevel: "mandatory",
        remediationSteps:
            "Remove `gitlab.backups.enabled: false` (the stack turns `gitlab.toolbox.backups.cron.enabled` on by default, " +
            "daily at `gitlab.backups.schedule`); without it the only copies of the repositories are Gitaly's volumes.",
    },
    [HELM_RELEASE],
    (r) => {
        if (chartName(r.props) !== "gitlab") return [];
        const enabled = at(helmValues(r.props), ["gitlab", "toolbox", "backups", "cron", "enabled"]);
        if (enabled === true || enabled === UNKNOWN) return [];
        return [
            `values gitlab.toolbox.backups.cron.enabled: ${enabled === undefined ? "not set (the chart's default is off)" : `is ${JSON.stringify(enabled)}`} (expected true: a scheduled backup)`,
        ];
    },
);

export const gitlabRailsSecretsManaged = stackPolicy(
    {
        name: "gitlab-rails-secrets-managed",
        description:
            "GitLab's rails secrets come from a Secret the stack declares (global.railsSecrets.secret), never only from the cluster.",
        severity: "critical",
        enforcementLevel: "mandatory",
        remediationSteps:
            "Use the GitLab component, which declares `<release>-rails-secret` (RailsSecrets) and sets `global.railsSecrets.secret`; " +
            "without it the chart generates the keys inside the cluster and a restored database cannot decrypt CI variables, 2FA or runner tokens.",
    },
    (resources) => {
        const violations: StackViolation[] = [];
        const secrets = resources.filter((r) => r.type === SECRET_TYPE);
        for (const release of resources.filter((r) => r.type === HELM_RELEASE && chartName(r.props) === "gitlab")) {
            const name = stringAt(helmValues(release.props), ["global", "railsSecrets", "secret"]);
            if (name === undefined) {
                violations.push({
                    urn: release.urn,
                    message:
                        "values global.railsSecrets.secret: not set (expected the name of the rails Secret the stack declares)",
                });
                continue;
            }
            if (name === UNKNOWN) continue;
            const declared = secrets.some((s) => stringAt(s.props, ["metadata", "name"]) === name);
            if (!declared) {
                violations.push({
                    urn: release.urn,
                    message: `values global.railsSecrets.secret: ${name} is not a Secret this stack declares (expected the stack's own rails Secret)`,
                });
            }
        }
        return violations;
    },
);

export const gitlabUpgradePath = resourcePolicy(
    {
        name: "gitlab-upgrade-path",
        description: "GitLab moves along its required upgrade stops: no version jump over a stop, no downgrade.",
        severity: "critical",
        enforcementLevel: "mandatory",
        remediationSteps:
            "Deploy each required upgrade stop in turn (`gitlab.chartVersion`), letting background migrations finish after each; " +
            "see https://docs.gitlab.com/update/upgrade_paths/ .",
    },
    [NAMESPACE_TYPE],
    (r) => {
        const to = stringAt(r.props, ["metadata", "annotations", GITLAB_VERSION_ANNOTATION]);
        const from = stringAt(r.props, ["metadata", "annotations", GITLAB_PREVIOUS_VERSION_ANNOTATION]);
        if (to === undefined || from === undefined || to === UNKNOWN || from === UNKNOWN) return [];
        const a = parseVersion(from);
        const b = parseVersion(to);
        if (!a || !b)
            return [`annotations: ${from} -> ${to} is not a pair of GitLab versions (expected major.minor.patch)`];
        if (b.major * 1000 + b.minor < a.major * 1000 + a.minor)
            return [`annotations: GitLab ${to} is older than the deployed ${from} (expected no downgrade)`];
        const stops = skippedStops(a, b);
        return stops.length === 0
            ? []
            : [
                  `annotations: GitLab ${from} -> ${to} skips required upgrade stop(s) ${stops.join(", ")} (expected each deployed in turn)`,
              ];
    },
);

export const GITLAB_DAY2_POLICIES = [gitlabBackupsScheduled, gitlabRailsSecretsManaged, gitlabUpgradePath];
