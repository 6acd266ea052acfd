/**
 * Pod Security Standards (kubernetes.io/docs/concepts/security/pod-security-standards, checked against
 * the v1.35 page): the `baseline` and `restricted` controls applied to every rendered pod, at the level
 * the namespace enforces in the plan (`pod-security.kubernetes.io/enforce`).
 */
import type { Finding } from "./findings";
import { containersOf, objectName, podSpecOf, type K8sObject } from "./workloads";

export type PssLevel = "privileged" | "baseline" | "restricted";

const BASELINE_CAPABILITIES = new Set([
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
]);
const SAFE_SYSCTLS = new Set([
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
]);
const RESTRICTED_VOLUMES = new Set([
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "persistentVolumeClaim",
    "projected",
    "secret",
]);
const SELINUX_TYPES = new Set(["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"]);

/** The violations of one pod spec against `level`, as plain sentences. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function podViolations(pod: Record<string, any>, level: PssLevel): string[] {
    if (level === "privileged") return [];
    const out: string[] = [];
    const psc = (pod.securityContext ?? {}) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    for (const host of ["hostNetwork", "hostPID", "hostIPC"]) if (pod[host] === true) out.push(`${host}: true`);
    for (const v of (pod.volumes ?? []) as Record<string, unknown>[]) {
        if (v.hostPath) out.push(`hostPath volume ${String(v.name)}`);
        if (level === "restricted") {
            const type = Object.keys(v).find((k) => k !== "name");
            if (type && !RESTRICTED_VOLUMES.has(type)) out.push(`volume ${String(v.name)} of type ${type}`);
        }
    }
    for (const s of (psc.sysctls ?? []) as { name: string }[])
        if (!SAFE_SYSCTLS.has(s.name)) out.push(`unsafe sysctl ${s.name}`);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const checkSeccomp = (sc: Record<string, any> | undefined, who: string) => {
        if (sc?.seccompProfile?.type === "Unconfined") out.push(`${who} seccompProfile Unconfined`);
        if (sc?.appArmorProfile?.type === "Unconfined") out.push(`${who} appArmorProfile Unconfined`);
        if (sc?.seLinuxOptions?.type !== undefined && !SELINUX_TYPES.has(sc.seLinuxOptions.type))
            out.push(`${who} seLinuxOptions.type ${sc.seLinuxOptions.type}`);
        if (sc?.seLinuxOptions?.user || sc?.seLinuxOptions?.role) out.push(`${who} seLinuxOptions user/role set`);
    };
    checkSeccomp(psc, "pod");
    for (const c of containersOf(pod)) {
        const sc = (c.securityContext ?? {}) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
        const who = `container ${c.name}`;
        if (sc.privileged === true) out.push(`${who} privileged: true`);
        for (const cap of (sc.capabilities?.add ?? []) as string[]) {
            const ok = level === "restricted" ? cap === "NET_BIND_SERVICE" : BASELINE_CAPABILITIES.has(cap);
            if (!ok) out.push(`${who} adds capability ${cap}`);
        }
        for (const p of c.ports ?? []) if (p.hostPort) out.push(`${who} hostPort ${p.hostPort}`);
        if (sc.procMount !== undefined && sc.procMount !== "Default") out.push(`${who} procMount ${sc.procMount}`);
        checkSeccomp(sc, who);
        if (level !== "restricted") continue;
        if (sc.allowPrivilegeEscalation !== false) out.push(`${who} allowPrivilegeEscalation is not false`);
        if ((sc.runAsNonRoot ?? psc.runAsNonRoot) !== true) out.push(`${who} runAsNonRoot is not true`);
        if (sc.runAsUser === 0 || (sc.runAsUser === undefined && psc.runAsUser === 0)) out.push(`${who} runAsUser 0`);
        const seccomp = sc.seccompProfile?.type ?? psc.seccompProfile?.type;
        if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost")
            out.push(`${who} seccompProfile is not RuntimeDefault or Localhost`);
        if (!((sc.capabilities?.drop ?? []) as string[]).includes("ALL"))
            out.push(`${who} does not drop ALL capabilities`);
    }
    return out;
}

/** Findings for every rendered pod against its namespace's enforced level. */
export function podSecurityFindings(
    release: string,
    objects: readonly K8sObject[],
    defaultNamespace: string,
    levelOf: (namespace: string) => PssLevel,
): Finding[] {
    return objects.flatMap((obj) => {
        const pod = podSpecOf(obj);
        if (!pod) return [];
        const ns = obj.metadata?.namespace ?? defaultNamespace;
        const level = levelOf(ns);
        const violations = podViolations(pod, level);
        return violations.length === 0
            ? []
            : [
                  {
                      severity: "error" as const,
                      check: "pod-security",
                      release,
                      object: `${objectName(obj)} in ${ns}`,
                      message: `violates Pod Security "${level}" (enforced on namespace ${ns}): ${violations.join("; ")}`,
                      fix: `set the chart values that give this workload a compliant securityContext, or (documented, reviewed) lower the namespace's enforce level`,
                  },
              ];
    });
}
