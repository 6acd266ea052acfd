/**
 * The first API token of a fresh GitLab, which has only its root user: one command, printed by the
 * platform stack as the output `workloadsTokenCommand`, that mints a personal access token with a
 * bounded lifetime inside GitLab's toolbox pod (`gitlab-rails runner`, as GitLab documents for creating
 * tokens programmatically) and pipes it straight into the workloads stack's secret config. The token is
 * never printed, logged or written anywhere but the encrypted stack config. Run it again to rotate:
 * each run mints a new token and the old one expires on its date.
 * @see https://docs.gitlab.com/user/profile/personal_access_tokens/#create-a-personal-access-token-programmatically
 */

/** Days a minted token lives. GitLab caps personal access tokens at 365 days. */
export const FIRST_TOKEN_LIFETIME_DAYS = 30;

/** What the command needs. */
export interface FirstTokenCommandArgs {
    /** GitLab's namespace. */
    namespace: string;
    /** GitLab's Helm release (the toolbox Deployment is `<release>-toolbox`). */
    releaseName: string;
    /** The workloads stack whose `gitlab:token` receives the token. */
    workloadsStack: string;
    /** The kubeconfig context. @default - the current context */
    kubeContext?: string;
    /** Token lifetime in days (1-365). @default {@link FIRST_TOKEN_LIFETIME_DAYS} */
    lifetimeDays?: number;
}

/** The one command; contains no secret. */
export function firstTokenCommand(a: FirstTokenCommandArgs): string {
    const days = a.lifetimeDays ?? FIRST_TOKEN_LIFETIME_DAYS;
    if (!Number.isInteger(days) || days < 1 || days > 365)
        throw new Error(`lifetimeDays: ${days} is outside 1-365 (expected GitLab's token lifetime bounds)`);
    const context = a.kubeContext ? ` --context ${a.kubeContext}` : "";
    const ruby =
        `u = User.find_by_username('root'); ` +
        `t = u.personal_access_tokens.create!(name: 'pulumi-${a.workloadsStack}-' + Time.now.utc.strftime('%Y%m%d%H%M'), scopes: ['api'], expires_at: ${days}.days.from_now); ` +
        `print t.token`;
    return `kubectl${context} -n ${a.namespace} exec deploy/${a.releaseName}-toolbox -- gitlab-rails runner "${ruby}" | pulumi config set --secret gitlab:token --stack ${a.workloadsStack}`;
}
