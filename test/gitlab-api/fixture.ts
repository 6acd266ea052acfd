/**
 * Shared setup of the GitLab API contract tests: a fresh fake GitLab per test, provider settings with
 * tiny retry bounds (tests run in milliseconds), captured log lines, and a leak check.
 */
import { strict as assert } from "node:assert";
import type { HttpOptions } from "../../components/gitlab-api/http";
import type { ProviderSettings } from "../../components/gitlab-api/provider-kit";
import { startGitLabServer, type FakeGitLab } from "../helpers/gitlab-server";
import { startFreshGitLab, type FreshGitLab } from "../helpers/gitlab-server-namespaces";

/** Retry bounds small enough for tests; a real run uses the named defaults. */
export const FAST = {
    maxAttempts: 3,
    maxElapsedMs: 2_000,
    baseDelayMs: 1,
    maxDelayMs: 4,
    requestTimeoutMs: 1_000,
} as const;

export interface Harness {
    server: FakeGitLab;
    /** Every line the HTTP layer logged. */
    logs: string[];
    /** Provider settings pointing at the server (token through the fake environment). */
    settings(http?: HttpOptions): ProviderSettings;
}

/** Registers a fresh server per test (mocha hooks) and returns the harness. */
export function useGitLab(): Harness {
    const h = { logs: [] as string[] } as Harness;
    h.settings = (http = {}) => ({
        env: { GITLAB_TOKEN: h.server.token, GITLAB_BASE_URL: h.server.url },
        http: { ...FAST, log: (l) => h.logs.push(l), ...http },
    });
    beforeEach(async () => {
        h.server = await startGitLabServer();
        h.logs.length = 0;
    });
    afterEach(async () => {
        try {
            assertNoSecrets(h.server, h.logs); // every test: no token in any log line
        } finally {
            await h.server.close();
        }
    });
    return h;
}

/** {@link Harness} on a fresh GitLab (root, one token, groups and projects endpoints): `gl` per test. */
export interface FreshHarness {
    gl: FreshGitLab;
    logs: string[];
    settings(): ProviderSettings;
}

/** Registers a fresh GitLab per test (mocha hooks), with the same leak check as {@link useGitLab}. */
export function useFreshGitLab(): FreshHarness {
    const h = { logs: [] as string[] } as FreshHarness;
    h.settings = () => ({
        env: { GITLAB_TOKEN: h.gl.server.token, GITLAB_BASE_URL: h.gl.server.url },
        http: { ...FAST, log: (l) => h.logs.push(l) },
    });
    beforeEach(async () => {
        h.gl = await startFreshGitLab();
        h.logs.length = 0;
    });
    afterEach(async () => {
        try {
            assertNoSecrets(h.gl.server, h.logs);
        } finally {
            await h.gl.server.close();
        }
    });
    return h;
}

/** Asserts that no API token or minted token appears in any of `texts` (log lines, error messages). */
export function assertNoSecrets(server: FakeGitLab, texts: readonly string[]): void {
    const secrets = [server.token, ...server.minted];
    for (const text of texts) {
        for (const s of secrets) assert.ok(!text.includes(s), `secret leaked in: ${text}`);
        assert.doesNotMatch(text, /(glpat|glrt|gldt|glagent)-[0-9a-z]{6,}/, `token-like string in: ${text}`);
    }
}

/** Awaits `p`, expecting a rejection; returns the error. */
export async function rejection(p: Promise<unknown>): Promise<Error> {
    try {
        await p;
    } catch (e) {
        return e as Error;
    }
    assert.fail("expected a rejection");
}
