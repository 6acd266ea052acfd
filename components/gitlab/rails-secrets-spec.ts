/**
 * The rails secrets component's spec: every setting of {@link RailsSecretsArgs} once, with its shape and
 * default (the zod schema), so a misspelled or missing key is refused with a "did you mean" before
 * anything is declared. The documentation is the JSDoc of `RailsSecretsArgs`; `satisfies` makes the
 * compiler prove the schema accepts nothing the interface does not. The rules are {@link railsSecretsRules};
 * a given `content` is checked when known (it is a secret Output, see `validateRailsSecretsYaml`).
 */
import { z } from "zod";
import type { Problem } from "../errors";
import { input } from "../internal/spec-kit";
import { isDnsSubdomain } from "../internal/validation";
import type { RailsSecretsArgs } from "./rails-secrets";

/** The component's whole args, `protect` defaulted here. */
export const railsSecretsArgsSpec = z.strictObject({
    namespace: input(z.string()),
    secretName: z.string(),
    content: input(z.string()).optional(),
    protect: z.boolean().default(true),
}) satisfies z.ZodType<unknown, RailsSecretsArgs>;

/** {@link RailsSecretsArgs} with every default applied. */
export type ResolvedRailsSecrets = z.output<typeof railsSecretsArgsSpec>;

/** The rules of the parsed args: the Secret's name is a Kubernetes object name. Pure. */
export function railsSecretsRules(a: ResolvedRailsSecrets): Problem[] {
    return isDnsSubdomain(a.secretName)
        ? []
        : [
              {
                  path: "secretName",
                  message: `"${a.secretName}" is not a Secret name (expected a lower-case DNS subdomain such as gitlab-rails-secret)`,
              },
          ];
}
