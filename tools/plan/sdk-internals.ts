/**
 * SDK internals the recording engine relies on, typed here because the SDK's typings omit them: the
 * runtime store (to install the recording monitor), the RPC queue drain, and the SDK's two diagnostic
 * stack captures (made cheap while recording, see {@link withoutSdkStackCaptures}).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import * as pulumi from "@pulumi/pulumi";

const stateModule = require("@pulumi/pulumi/runtime/state") as { getStore(): { settings: { monitor?: unknown } } };
const settingsModule = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };
const debuggableModule = require("@pulumi/pulumi/runtime/debuggable") as {
    debugPromiseLeaks: boolean;
    debuggablePromise<T>(p: Promise<T>, ctx: unknown): Promise<T>;
};

/** Replaces the monitor that `setMocks` installed. */
export function installMonitor(monitor: unknown): void {
    stateModule.getStore().settings.monitor = monitor;
}

/** Waits until every outstanding registration has been answered. */
export function waitForRegistrations(): Promise<void> {
    return settingsModule.waitForRPCs();
}

type StaticResource = { callsites(): unknown[] };

/**
 * Runs `fn` without the SDK's two diagnostic stack captures, restoring them afterwards:
 * - `Resource.callsites` formats the whole stack of every resource construction (for its
 *   `sourcePosition`, which the engine's diagnostics use and the offline plan never recorded): it
 *   returns no frames, so resources carry no source position;
 * - `debuggablePromise` stamps every SDK promise (about twenty per resource) with `new Error().stack`,
 *   read only by the promise-leak report: it runs with `Error.stackTraceLimit` 0, so the stamp is the
 *   bare header; leak tracking itself is unchanged.
 * Under tsx every captured frame was also source-mapped: together they were about half the plan's CPU
 * time and garbage at scale (docs/BENCHMARKS.md). Errors keep their usual stacks. Left alone when the
 * SDK's promise-leak debugging (PULUMI_DEBUG_PROMISE_LEAKS) wants those stacks.
 */
export async function withoutSdkStackCaptures<T>(fn: () => Promise<T>): Promise<T> {
    if (debuggableModule.debugPromiseLeaks) return fn();
    const resource = pulumi.Resource as unknown as StaticResource;
    const callsites = Object.getOwnPropertyDescriptor(resource, "callsites")!;
    const debuggable = debuggableModule.debuggablePromise;
    const noFrames = () => [];
    const unstamped = <P>(p: Promise<P>, ctx: unknown): Promise<P> => {
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        try {
            return debuggable(p, ctx);
        } finally {
            Error.stackTraceLimit = limit;
        }
    };
    Object.defineProperty(resource, "callsites", { ...callsites, value: noFrames });
    debuggableModule.debuggablePromise = unstamped;
    try {
        return await fn();
    } finally {
        if (resource.callsites === noFrames) Object.defineProperty(resource, "callsites", callsites);
        if (debuggableModule.debuggablePromise === unstamped) debuggableModule.debuggablePromise = debuggable;
    }
}
