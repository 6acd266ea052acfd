/**
 * The plan masks secrets as "[secret]" and values known only after creation as "[unknown]". Helm needs
 * concrete values, so each mask becomes a dummy of the type the chart's default at that path has
 * (number, boolean, or a string), and every replaced path is reported.
 */
import { SECRET, UNKNOWN } from "../plan/format";

export interface Replaced {
    path: string;
    mask: string;
    dummy: unknown;
}

function isMap(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

function dummyFor(mask: string, chartDefault: unknown): unknown {
    if (typeof chartDefault === "number") return 1;
    if (typeof chartDefault === "boolean") return false;
    if (Array.isArray(chartDefault)) return [];
    if (isMap(chartDefault)) return {};
    return mask === SECRET ? "render-dummy-secret" : "render-dummy-unknown";
}

/** Returns the values with masks replaced, and where they were. */
export function replaceMasks(values: unknown, defaults: unknown, at = ""): { values: unknown; replaced: Replaced[] } {
    if (values === SECRET || values === UNKNOWN) {
        const dummy = dummyFor(values, defaults);
        return { values: dummy, replaced: [{ path: at || "(root)", mask: values, dummy }] };
    }
    const replaced: Replaced[] = [];
    if (Array.isArray(values)) {
        const out = values.map((v, i) => {
            const r = replaceMasks(v, Array.isArray(defaults) ? defaults[i] : undefined, `${at}[${i}]`);
            replaced.push(...r.replaced);
            return r.values;
        });
        return { values: out, replaced };
    }
    if (isMap(values)) {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(values)) {
            const r = replaceMasks(v, isMap(defaults) ? defaults[k] : undefined, at ? `${at}.${k}` : k);
            replaced.push(...r.replaced);
            out[k] = r.values;
        }
        return { values: out, replaced };
    }
    return { values, replaced };
}
