/**
 * Two SDK internals the recording engine relies on, typed here because the SDK's typings omit them:
 * the runtime store (to install the recording monitor) and the RPC queue drain.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const stateModule = require("@pulumi/pulumi/runtime/state") as { getStore(): { settings: { monitor?: unknown } } };
const settingsModule = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };

/** Replaces the monitor that `setMocks` installed. */
export function installMonitor(monitor: unknown): void {
    stateModule.getStore().settings.monitor = monitor;
}

/** Waits until every outstanding registration has been answered. */
export function waitForRegistrations(): Promise<void> {
    return settingsModule.waitForRPCs();
}
