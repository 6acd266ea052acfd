/**
 * Runs the policy pack over an offline plan through the analyzer protocol, in the CLI's order:
 * ConfigureStack, GetAnalyzerInfo, Configure (the reconciled policy config), then per resource in
 * registration order Remediate (its returned properties replace the inputs) and Analyze, and finally
 * AnalyzeStack once. The pack process is stopped in every case: success, violation, error, timeout.
 */
import * as fs from "node:fs";
import * as pb from "@pulumi/pulumi/proto/analyzer_pb";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { renderValue } from "../plan/engine";
import type { Plan } from "../plan/format";
import { Analyzer } from "./analyzer-client";
import { analyzeRequest, analyzeStackRequest, encodeProperties, urnName, urnType } from "./encode";
import { startPackProcess, type PackCompile } from "./pack-process";
import {
    parsePolicyConfig,
    PolicyConfigError,
    reconcilePolicyConfig,
    type Level,
    type PolicyDescription,
} from "./pack-config";
import { sortViolations, type GateResult, type GateViolation, type ViolationSeverity } from "./report";

export interface GateOptions {
    plan: Plan;
    /** The policy pack directory. */
    packDir: string;
    /** A `--policy-pack-config` file; absent: the pack's own levels and defaults. */
    configFile?: string;
    /** @default "bundle" */
    compile?: PackCompile;
    /** @default 60000 */
    startTimeoutMs?: number;
    /** @default 30000 */
    callTimeoutMs?: number;
    /** Called with the pack's process id right after it is spawned (tests check it is gone afterwards). */
    onPackSpawned?: (pid: number) => void;
}

/** Proto enum values: EnforcementLevel ADVISORY=0, MANDATORY=1, DISABLED=2, REMEDIATE=3. */
const LEVEL_BY_ENUM: Record<number, Level> = { 0: "advisory", 1: "mandatory", 2: "disabled", 3: "remediate" };
const ENUM_BY_LEVEL: Record<Level, pb.EnforcementLevel> = { advisory: 0, mandatory: 1, disabled: 2, remediate: 3 };
/** PolicySeverity: UNSPECIFIED=0, LOW=1, MEDIUM=2, HIGH=3, CRITICAL=4. */
const SEVERITY_BY_ENUM: Record<number, ViolationSeverity> = {
    0: "unspecified",
    1: "low",
    2: "medium",
    3: "high",
    4: "critical",
};

function describePolicies(info: pb.AnalyzerInfo): PolicyDescription[] {
    return info.getPoliciesList().map((p) => {
        const schema = p.getConfigschema();
        return {
            name: p.getName(),
            enforcementLevel: LEVEL_BY_ENUM[p.getEnforcementlevel()] ?? "advisory",
            properties: (schema?.getProperties()?.toJavaScript() ?? {}) as Record<string, PolicyConfigJSONSchema>,
            required: schema?.getRequiredList() ?? [],
        };
    });
}

function configureRequest(
    config: ReadonlyMap<string, { enforcementLevel: Level; properties: Record<string, unknown> }>,
): pb.ConfigureAnalyzerRequest {
    const req = new pb.ConfigureAnalyzerRequest();
    const map = req.getPolicyconfigMap();
    for (const [name, c] of config) {
        const entry = new pb.PolicyConfig();
        entry.setEnforcementlevel(ENUM_BY_LEVEL[c.enforcementLevel]);
        entry.setProperties(encodeProperties(c.properties));
        map.set(name, entry);
    }
    return req;
}

/** A remediation's failure diagnostic as an advisory violation of its resource. */
function remediationFailure(rem: pb.Remediation, urn: string, info: pb.PolicyInfo | undefined): GateViolation {
    return {
        policy: rem.getPolicyname(),
        severity: SEVERITY_BY_ENUM[info?.getSeverity() ?? 0] ?? "unspecified",
        enforcementLevel: "advisory",
        urn,
        resource: { type: urnType(urn), name: urnName(urn) },
        message: rem.getDiagnostic(),
        description: rem.getDescription(),
        remediation: info?.getRemediationSteps() ?? "",
    };
}

/** Runs the gate. Throws on a bad config file, a pack that does not start, or a failing RPC. */
export async function runPolicyGate(opts: GateOptions): Promise<GateResult> {
    const { plan } = opts;
    // A bad file is reported before any process starts.
    const given = opts.configFile
        ? parsePolicyConfig(fs.readFileSync(opts.configFile, "utf8"), opts.configFile)
        : new Map();
    const pack = await startPackProcess({
        packDir: opts.packDir,
        compile: opts.compile ?? "bundle",
        project: plan.project,
        stack: plan.stack,
        startTimeoutMs: opts.startTimeoutMs ?? 60_000,
        onSpawn: opts.onPackSpawned,
    });
    let analyzer: Analyzer | undefined;
    try {
        analyzer = new Analyzer(pack.port, opts.callTimeoutMs ?? 30_000);
        await analyzer.configureStack(
            new pb.AnalyzerStackConfigureRequest().setProject(plan.project).setStack(plan.stack).setDryRun(true),
        );
        const info = await analyzer.getAnalyzerInfo();
        const policies = describePolicies(info);
        const { config, problems } = reconcilePolicyConfig(policies, given);
        if (problems.length > 0) throw new PolicyConfigError(opts.configFile ?? "(none)", problems);
        await analyzer.configure(configureRequest(config));

        const meta = new Map(info.getPoliciesList().map((p) => [p.getName(), p]));
        const violations: GateViolation[] = [];
        const collect = (resp: pb.AnalyzeResponse, fallbackUrn: string | null) => {
            for (const d of resp.getDiagnosticsList()) {
                const level = LEVEL_BY_ENUM[d.getEnforcementlevel()];
                if (level !== "mandatory" && level !== "advisory") continue;
                const urn = d.getUrn() || fallbackUrn;
                const description = d.getDescription();
                const message = d.getMessage().startsWith(`${description}\n`)
                    ? d.getMessage().slice(description.length + 1)
                    : d.getMessage();
                violations.push({
                    policy: d.getPolicyname(),
                    severity: SEVERITY_BY_ENUM[d.getSeverity()] ?? "unspecified",
                    enforcementLevel: level,
                    urn,
                    resource: urn ? { type: urnType(urn), name: urnName(urn) } : null,
                    message,
                    description,
                    remediation: meta.get(d.getPolicyname())?.getRemediationSteps() ?? "",
                });
            }
        };

        const inputsByUrn = new Map<string, Record<string, unknown>>();
        for (const r of plan.resources) {
            let inputs = r.inputs;
            for (const rem of (await analyzer.remediate(analyzeRequest(plan, r))).getRemediationsList()) {
                const props = rem.getProperties();
                // A remediation that failed is an advisory violation, as the CLI shows it.
                if (rem.getDiagnostic()) violations.push(remediationFailure(rem, r.urn, meta.get(rem.getPolicyname())));
                else if (props) inputs = renderValue(props.toJavaScript()) as Record<string, unknown>;
            }
            inputsByUrn.set(r.urn, inputs);
            collect(await analyzer.analyze(analyzeRequest(plan, r, inputs)), r.urn);
        }
        collect(await analyzer.analyzeStack(analyzeStackRequest(plan, inputsByUrn)), null);

        const sorted = sortViolations(violations);
        const mandatory = sorted.filter((v) => v.enforcementLevel === "mandatory").length;
        return {
            version: 1,
            project: plan.project,
            stack: plan.stack,
            pack: { name: info.getName(), version: info.getVersion() },
            config: opts.configFile ?? null,
            passed: mandatory === 0,
            summary: {
                resources: plan.resources.length,
                policies: policies.filter((p) => config.get(p.name)?.enforcementLevel !== "disabled").length,
                mandatory,
                advisory: sorted.length - mandatory,
            },
            violations: sorted,
        };
    } finally {
        analyzer?.close();
        await pack.stop();
    }
}
