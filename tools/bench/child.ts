/**
 * One benchmark run in a fresh process: the offline plan CLI (tools/plan.ts, the code `npm run plan`
 * runs) with the same arguments, reporting this process's peak RSS and CPU time on exit to the file
 * named by BENCH_USAGE_FILE (one JSON object).
 */
import * as fs from "node:fs";
import "../plan";

const file = process.env.BENCH_USAGE_FILE;
if (file) {
    process.on("exit", (code) => {
        const u = process.resourceUsage();
        fs.writeFileSync(
            file,
            JSON.stringify({ code, maxRssKb: u.maxRSS, userMicros: u.userCPUTime, systemMicros: u.systemCPUTime }),
        );
    });
}
