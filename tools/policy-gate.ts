/**
 * `npm run policy -- (--stack <name> [--dir DIR] | --plan FILE) [--config FILE] [--json FILE] [--md FILE]
 *   [--compile bundle|ts-node] [--pack DIR]`
 * The policy gate without the Pulumi CLI: the offline plan of a stack (or a plan JSON file) analysed by
 * the real policy pack process over the analyzer protocol (tools/policy-gate/). The config defaults to
 * policy/config/<stack>.json when that file exists. Prints violations by severity, writes JSON and
 * Markdown on request. Exit codes: 0 no mandatory violation, 1 mandatory violations, 2 anything else.
 */
import { main } from "./policy-gate/cli";

// Interrupted: exit through process.exit, whose "exit" event stops a running pack process.
process.once("SIGINT", () => process.exit(130));
process.once("SIGTERM", () => process.exit(143));

main(process.argv.slice(2), { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) }).then(
    (code) => process.exit(code),
    (err: unknown) => {
        console.error(`policy: ${String(err)}`);
        process.exit(2);
    },
);
