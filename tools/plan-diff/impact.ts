/**
 * The impact of each change of a plan diff, from the one reviewed table (impact-rules.ts): data loss,
 * blocked (what `pulumi up` refuses), disruptive in place, safe, or impact unknown. Pure.
 *
 * Beyond the table: a change that points GitLab's Helm release at another database, Redis or bucket than
 * before is data loss even when nothing is deleted (GitLab comes up on storage without its data), and a
 * Secret that GitLab's release names as its rails secrets or initial root password holds data the chart
 * cannot generate again.
 */
import { GITLAB_CHART_NAME } from "../../components/defaults";
import type { PlannedResource } from "../plan/engine";
import type { Plan } from "../plan/format";
import type { PlanDiff, PropertyChange, ResourceChange } from "./diff";
import {
    IMPACT_CLASSES,
    IMPACT_TABLE,
    type ImpactClass,
    isOwnComponent,
    propertyRule,
    type TypeRule,
} from "./impact-rules";
import { UNKNOWN_MASK } from "./values";

/** The versions the table's provider facts were checked against (a test keeps them equal to the pins). */
export const CHECKED_VERSIONS = {
    "@pulumi/aws": "7.48.0",
    "@pulumi/kubernetes": "4.34.2",
    "@pulumi/random": "4.21.2",
} as const;

const SOURCES: Record<string, string> = {
    aws: `@pulumi/aws ${CHECKED_VERSIONS["@pulumi/aws"]}`,
    rds: "Amazon RDS: modifying a DB instance",
    ec: "Amazon ElastiCache: scaling and upgrades",
    eks: "Amazon EKS: cluster and managed node group updates",
    s3: "Amazon S3: deleting a bucket",
    kms: "AWS KMS: deleting keys",
    k8s: `@pulumi/kubernetes ${CHECKED_VERSIONS["@pulumi/kubernetes"]}`,
    helm: `@pulumi/kubernetes ${CHECKED_VERSIONS["@pulumi/kubernetes"]} helm.v3.Release`,
    random: `@pulumi/random ${CHECKED_VERSIONS["@pulumi/random"]}`,
    gitlab: "components/gitlab-api/replace-keys.ts",
};
const source = (rule: TypeRule) =>
    rule.source
        .split(", ")
        .map((k) => SOURCES[k] ?? k)
        .join("; ");
const PROTECT_SOURCE =
    "Pulumi `protect` (a replacement needs the old or the new state unprotected, pulumi/pulumi#8873)";

/** The MR label that lets a merge request through the gate with data loss or blocked changes. */
export const ALLOW_DATA_LOSS_LABEL = "allow-data-loss";

export interface ImpactFinding {
    class: ImpactClass;
    /** The input path, when one property is the cause. */
    property?: string;
    why: string;
    /** What to do instead (data loss and blocked). */
    instead?: string;
    /** Where the rule comes from. */
    source: string;
}

export interface ChangeImpact {
    urn: string;
    kind: ResourceChange["kind"];
    type: string;
    name: string;
    /** The worst class of its findings. */
    class: ImpactClass;
    findings: ImpactFinding[];
}

export interface GateVerdict {
    /** The diff has data loss or blocked changes. */
    required: boolean;
    optedIn: boolean;
    label: string;
    /** Who ran the pipeline that carries the opt-in (`GITLAB_USER_LOGIN`), and on which merge request. */
    by?: string;
    mergeRequest?: string;
    /** The gate refuses: required and not opted in. */
    fails: boolean;
}

export interface ImpactReport {
    /** Changes per impact class; a change counts once in each class it has a finding of. */
    summary: Record<ImpactClass, number>;
    /** Every change of the diff, in the diff's order. */
    changes: ChangeImpact[];
    /** The lead sentences of the note, worst first. */
    headline: string[];
    gate?: GateVerdict;
}

const rank = (c: ImpactClass) => IMPACT_CLASSES.indexOf(c);
const worst = (fs: readonly ImpactFinding[]): ImpactClass =>
    fs.reduce<ImpactClass>((w, f) => (rank(f.class) < rank(w) ? f.class : w), "safe");

type Service = "database" | "Redis" | "object storage";
/** Values of GitLab's chart that say where its data lives (components/gitlab/values.ts). */
function pointer(path: string): Service | undefined {
    if (/^values\.global\.psql\.(host|port|database)$/.test(path)) return "database";
    if (/^values\.global\.redis\.([A-Za-z]+\.)?(host|port)$/.test(path)) return "Redis";
    if (
        /^values\.global\.appConfig\.[A-Za-z]+\.(bucket|tmpBucket)$/.test(path) ||
        path === "values.global.registry.bucket"
    )
        return "object storage";
    return undefined;
}

interface Context {
    base: Map<string, PlannedResource>;
    head: Map<string, PlannedResource>;
    byUrn: Map<string, ResourceChange>;
    /** Secret names GitLab's release reads data from that the chart cannot generate again, with what they hold. */
    keptSecrets: Map<string, string>;
    /** Bucket names that are new in this diff (added or replaced buckets). */
    newBuckets: Set<string>;
    replacedTypes: Set<string>;
}

const isGitLabRelease = (r: PlannedResource | undefined) =>
    r?.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === GITLAB_CHART_NAME;
const get = (v: unknown, ...keys: string[]) =>
    keys.reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), v);

function keptSecrets(plans: Plan[]): Map<string, string> {
    const out = new Map<string, string>();
    for (const r of plans.flatMap((p) => p.resources).filter(isGitLabRelease)) {
        const rails = get(r.inputs.values, "global", "railsSecrets", "secret");
        const root = get(r.inputs.values, "global", "initialRootPassword", "secret");
        if (typeof rails === "string")
            out.set(
                rails,
                "GitLab's rails secrets (they decrypt CI variables, 2FA secrets and runner tokens in the database; the chart generates new ones only for a new installation)",
            );
        if (typeof root === "string" && !out.has(root))
            out.set(
                root,
                "GitLab's initial root password (the chart reads it once; a new value is not the root password)",
            );
    }
    return out;
}

function secretHolds(r: PlannedResource | undefined, ctx: Context): string | undefined {
    if (!r || !/^kubernetes:(core\/)?v1:Secret$/.test(r.type)) return undefined;
    const name = get(r.inputs, "metadata", "name");
    return typeof name === "string" ? ctx.keptSecrets.get(name) : undefined;
}

function show(v: unknown): string {
    return v === UNKNOWN_MASK ? "*known during the update*" : `\`${JSON.stringify(v)}\``;
}

/** GitLab's release pointed at other storage: one data-loss finding per service. */
function repoints(c: ResourceChange, ctx: Context): ImpactFinding[] {
    const byService = new Map<Service, PropertyChange[]>();
    for (const p of c.inputs) {
        const service = pointer(p.path);
        if (service && p.kind !== "add") byService.set(service, [...(byService.get(service) ?? []), p]);
    }
    const out: ImpactFinding[] = [];
    for (const [service, ps] of byService) {
        const target = (p: PropertyChange) => {
            if (p.kind === "remove") return "the chart's default";
            if (service === "object storage" && typeof p.new === "string")
                return ctx.newBuckets.has(p.new) ? "a new, empty bucket" : "another bucket";
            if (p.new === UNKNOWN_MASK)
                return ctx.replacedTypes.has(
                    service === "database"
                        ? "aws:rds/instance:Instance"
                        : "aws:elasticache/replicationGroup:ReplicationGroup",
                )
                    ? "a new, empty one"
                    : "one known only during the update";
            return `another ${service === "database" ? "server or database" : "server"}`;
        };
        const lines = ps.map(
            (p) => `\`${p.path}\` ${show(p.old)} → ${p.kind === "remove" ? "removed" : show(p.new)} (${target(p)})`,
        );
        out.push({
            class: "data-loss",
            property: ps.map((p) => p.path).join(", "),
            why: `GitLab would be repointed to ${service === "object storage" ? "other object storage" : `another ${service}`} than the one holding its data, so it would come up without it: ${lines.join("; ")}`,
            instead:
                service === "object storage"
                    ? "keep the bucket names (e.g. `data.namePrefix` as in the base), or copy every object to the new buckets before GitLab is pointed at them"
                    : `keep GitLab on the current ${service}; to move, migrate the data first (backup and restore, or replication) and switch in a maintenance window`,
            source: "GitLab chart values (components/gitlab/values.ts): `global.psql`, `global.redis`, `global.appConfig.*.bucket`, `global.registry.bucket`",
        });
    }
    return out;
}

function removalFindings(
    c: ResourceChange,
    r: PlannedResource,
    old: PlannedResource | undefined,
    rule: TypeRule,
    ctx: Context,
): ImpactFinding[] {
    const replaced = c.kind === "replace";
    const holds = secretHolds(r, ctx) ?? secretHolds(old, ctx) ?? rule.holds;
    const why = replaced ? `replaced because ${c.replaceReasons.join("; ")}` : "removed from the program";
    const out: ImpactFinding[] = [];
    if (holds) {
        out.push({
            class: "data-loss",
            why: replaced
                ? `${why}: the replacement is a new, empty ${rule.noun}, and deleting the old one loses ${holds}`
                : `${why}: deleting it loses ${holds}`,
            instead: rule.instead ?? "keep it (`retainOnDelete` if it must leave the program), and move its data first",
            source: source(rule),
        });
    } else if (rule.removal) {
        out.push({ class: rule.removal.impact, why: `${why}: ${rule.removal.why}`, source: source(rule) });
    } else {
        out.push({
            class: "unknown",
            why: `${why}: the impact table has no rule for removing a ${rule.noun}`,
            source: "tools/plan-diff/impact-rules.ts",
        });
    }
    // The engine refuses to delete a protected resource; a replacement only while old and new state are protected.
    const blocked = replaced ? old?.protect === true && r.protect : old?.protect === true;
    if (blocked) {
        out.push({
            class: "blocked",
            why: `it is protected: \`pulumi up\` refuses to ${replaced ? "replace" : "delete"} it and stops`,
            instead: replaced
                ? "avoid the replacement (keep the physical name, or `aliases` for a renamed resource or parent); lift `protect` only in a separate, reviewed change"
                : "keep it in the program, or lift `protect` first in a separate, reviewed change (and keep its data with `retainOnDelete`)",
            source: PROTECT_SOURCE,
        });
    }
    return out;
}

function updateFindings(c: ResourceChange, r: PlannedResource, rule: TypeRule, ctx: Context): ImpactFinding[] {
    const out: ImpactFinding[] = [];
    const holds = secretHolds(r, ctx);
    const repointed = isGitLabRelease(r) ? repoints(c, ctx) : [];
    out.push(...repointed);
    const pointerPaths = new Set(repointed.flatMap((f) => f.property!.split(", ")));
    const seen = new Set<string>();
    for (const p of c.inputs) {
        if (pointerPaths.has(p.path)) continue;
        const match = propertyRule(rule, p.path);
        if (holds && /^(data|stringData)\b/.test(p.path)) {
            out.push({
                class: "data-loss",
                property: p.path,
                why: `a new value of ${holds}`,
                instead: "restore the old value; move these secrets only with a backup of them",
                source: "GitLab chart: global.railsSecrets / global.initialRootPassword",
            });
            continue;
        }
        const key = match?.key ?? p.path;
        if (seen.has(key)) continue;
        seen.add(key);
        if (!match) {
            out.push({
                class: "unknown",
                property: p.path,
                why: `the impact table has no rule for \`${p.path}\` of ${c.type}`,
                source: "tools/plan-diff/impact-rules.ts",
            });
        } else if (match.rule.impact === "replace") {
            // The diff predicted an update although the rule says replace (e.g. a Kubernetes field the provider patches): say so.
            out.push({
                class: "disruptive",
                property: key,
                why: `\`${key}\`: ${match.rule.why}; \`pulumi preview\` shows whether it is replaced`,
                source: source(rule),
            });
        } else {
            out.push({ class: match.rule.impact, property: key, why: match.rule.why, source: source(rule) });
        }
    }
    for (const o of c.options) {
        const lifted = o.path === "protect" && o.old === true;
        out.push({
            class: "safe",
            property: `${o.path} (option)`,
            why: lifted
                ? "protection lifted: a later change can delete it"
                : "resource option: ordering, parent or provider (a replacement it causes is listed as such)",
            source: "Pulumi resource options",
        });
    }
    if (out.length === 0)
        out.push({
            class: "safe",
            why: "the same resource under a new URN or API version (aliased)",
            source: source(rule),
        });
    return out;
}

function classify(c: ResourceChange, ctx: Context): ChangeImpact {
    const r = c.kind === "remove" ? ctx.base.get(c.urn)! : ctx.head.get(c.urn)!;
    const old = ctx.base.get(c.oldUrn ?? c.urn);
    const rule = IMPACT_TABLE[c.type];
    let findings: ImpactFinding[];
    if (isOwnComponent(c.type)) {
        findings = [
            {
                class: "safe",
                why: "a component of this program: its children are listed as changes of their own",
                source: "this program",
            },
        ];
    } else if (!rule) {
        findings = [
            {
                class: "unknown",
                why: `the impact table has no rule for ${c.type}`,
                source: "tools/plan-diff/impact-rules.ts",
            },
        ];
    } else if (c.kind === "add") {
        findings = [{ class: "safe", why: `a new ${rule.noun}`, source: source(rule) }];
    } else if (c.kind === "remove" || c.kind === "replace") {
        findings = [
            ...removalFindings(c, r, old, rule, ctx),
            ...(c.kind === "replace" && isGitLabRelease(r) ? repoints(c, ctx) : []),
        ];
    } else {
        findings = updateFindings(c, r, rule, ctx);
    }
    return { urn: c.urn, kind: c.kind, type: c.type, name: c.name, class: worst(findings), findings };
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : /s$/.test(noun) ? "es" : "s"}`;

function headline(impacts: ChangeImpact[]): string[] {
    const lines: string[] = [];
    const nounOf = (type: string) => IMPACT_TABLE[type]?.noun ?? `\`${type}\``;
    // Data loss: deleted or replaced stateful resources per type and protection, then repointing.
    const groups = new Map<string, { n: number; noun: string; verb: string; prot: boolean }>();
    for (const i of impacts) {
        if (!i.findings.some((f) => f.class === "data-loss" && !f.property) || i.kind === "update") continue;
        const prot = i.findings.some((f) => f.class === "blocked");
        const key = `${i.type}|${i.kind}|${prot}`;
        const g = groups.get(key) ?? {
            n: 0,
            noun: nounOf(i.type),
            verb: i.kind === "replace" ? "replaced" : "deleted",
            prot,
        };
        g.n++;
        groups.set(key, g);
    }
    const parts = [...groups.values()].map(
        (g) =>
            `${g.prot ? `${g.n} protected ${plural(g.n, g.noun).replace(/^\d+ /, "")}` : plural(g.n, g.noun)} would be ${g.verb}`,
    );
    const repointed = impacts.flatMap((i) =>
        i.findings.filter((f) => f.class === "data-loss" && f.why.startsWith("GitLab would be repointed")),
    );
    for (const f of repointed) {
        const paths = f.property!.split(", ");
        const service = /repointed to (?:other|another) (object storage|database|Redis)/.exec(f.why)![1];
        const empty = /a new, empty/.test(f.why) ? "new, empty " : "other ";
        parts.push(
            service === "object storage"
                ? `GitLab would be repointed to ${empty}storage (${plural(paths.length, "bucket")})`
                : `GitLab would be repointed to ${empty === "new, empty " ? "a new, empty" : "another"} ${service}`,
        );
    }
    const otherLoss = impacts.filter(
        (i) =>
            i.kind === "update" &&
            i.findings.some((f) => f.class === "data-loss" && !f.why.startsWith("GitLab would be repointed")),
    );
    if (otherLoss.length > 0)
        parts.push(
            `${plural(otherLoss.length, "change")} would overwrite data GitLab cannot recreate (${otherLoss.map((i) => `\`${i.name}\``).join(", ")})`,
        );
    if (parts.length > 0) lines.push(`**Data loss**: ${parts.join("; ")}.`);

    const blocked = impacts.filter((i) => i.findings.some((f) => f.class === "blocked"));
    if (blocked.length > 0)
        lines.push(
            `**Blocked**: \`pulumi up\` would stop on ${plural(blocked.length, "protected resource")} it may not replace or delete.`,
        );
    const disruptive = impacts.filter((i) => i.findings.some((f) => f.class === "disruptive"));
    if (disruptive.length > 0) {
        const what = disruptive
            .slice(0, 6)
            .map((i) => `${nounOf(i.type)} \`${i.name}\``)
            .join(", ");
        lines.push(
            `**Disruptive**: ${plural(disruptive.length, "change")} would restart, fail over, roll or interrupt something: ${what}${disruptive.length > 6 ? ", …" : ""}.`,
        );
    }
    const unknown = impacts.filter((i) => i.findings.some((f) => f.class === "unknown"));
    if (unknown.length > 0)
        lines.push(
            `**Impact unknown**: the impact table does not cover ${plural(unknown.length, "change")}; read ${unknown.length === 1 ? "it" : "them"} yourself.`,
        );
    return lines;
}

/** Classifies every change of `diff` (made from `base` and `head`). */
export function classifyImpact(diff: Pick<PlanDiff, "changes">, base: Plan, head: Plan): ImpactReport {
    const ctx: Context = {
        base: new Map(base.resources.map((r) => [r.urn, r])),
        head: new Map(head.resources.map((r) => [r.urn, r])),
        byUrn: new Map(diff.changes.map((c) => [c.urn, c])),
        keptSecrets: keptSecrets([base, head]),
        newBuckets: new Set(),
        replacedTypes: new Set(diff.changes.filter((c) => c.kind === "replace").map((c) => c.type)),
    };
    for (const c of diff.changes) {
        const name = ctx.head.get(c.urn)?.inputs.bucket;
        if (c.type === "aws:s3/bucket:Bucket" && (c.kind === "add" || c.kind === "replace") && typeof name === "string")
            ctx.newBuckets.add(name);
    }
    const changes = diff.changes.map((c) => classify(c, ctx));
    const summary = Object.fromEntries(
        IMPACT_CLASSES.map((k) => [k, changes.filter((i) => i.findings.some((f) => f.class === k)).length]),
    ) as Record<ImpactClass, number>;
    return { summary, changes, headline: headline(changes) };
}

/**
 * The data-loss gate: data loss or blocked changes need the merge request label {@link ALLOW_DATA_LOSS_LABEL}
 * (`CI_MERGE_REQUEST_LABELS`, comma-separated, e.g. `bug,feature`, set in merge request pipelines: gitlab-ce
 * merge request 24595). It is read when the pipeline starts: adding the label needs a new pipeline.
 */
export function gateVerdict(
    report: Pick<ImpactReport, "summary">,
    env: Record<string, string | undefined>,
): GateVerdict {
    const required = report.summary["data-loss"] > 0 || report.summary.blocked > 0;
    const labels = (env.CI_MERGE_REQUEST_LABELS ?? "").split(",").map((l) => l.trim());
    const optedIn = labels.includes(ALLOW_DATA_LOSS_LABEL);
    const verdict: GateVerdict = { required, optedIn, label: ALLOW_DATA_LOSS_LABEL, fails: required && !optedIn };
    if (optedIn && env.GITLAB_USER_LOGIN) verdict.by = env.GITLAB_USER_LOGIN;
    if (optedIn && env.CI_MERGE_REQUEST_IID) verdict.mergeRequest = `!${env.CI_MERGE_REQUEST_IID}`;
    return verdict;
}
