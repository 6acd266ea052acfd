#!/usr/bin/env bash
# Runs this repository's merge-request pipeline locally with gitlab-ci-local (shell executor, each job in its
# own copy), as .ci/run does after `npm test`. Usage: test/pipeline/run-pipeline.sh [job...]
# (default: validate plan plan:workloads deploy-order).
#   1. copies the working tree (committed, changed and untracked files, not ignored ones) into a scratch git
#      repository, commits it: that commit is the merge request's base;
#   2. makes a merge request on top: the dev stack points at another kube context;
#   3. starts a local stand-in for GitLab's notes API and runs the `validate` and `plan` jobs (both stacks)
#      with the merge request's CI variables; gitlab-ci-local validates .gitlab-ci.yml against GitLab's CI
#      schema first;
#   4. checks that each plan job posted its note and that the dev note shows the context change;
#   5. runs the default branch's pipeline with every deploy script replaced by a marker (`start <stack>`, a
#      pause, `end <stack>`) and checks the order: each `<env>-workloads` starts only after `<env>` ended (its
#      StackReference reads that stack's outputs). Skipped when jobs are named and `deploy-order` is not one.
# Needs Node 22 on PATH, git and rsync. Prints each job's runtime. Leaves nothing behind, unless
# PIPELINE_KEEP=1 (then the scratch repository, with each job's artifacts, is kept and named).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
say() { printf 'pipeline: %s\n' "$*"; }
fail() { printf 'pipeline: FAILED: %s\n' "$*" >&2; exit 1; }

[ "$(node -p 'process.versions.node.split(".")[0]')" -ge 22 ] || fail "Node 22 is not first on PATH (node $(node --version))"
command -v rsync >/dev/null || fail "rsync is missing (gitlab-ci-local needs it): apt-get install -y rsync"

scratch=$(mktemp -d "${TMPDIR:-/tmp}/gitlab-platform-pipeline.XXXXXX")
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
    if [ "${PIPELINE_KEEP:-}" = 1 ]; then say "kept $scratch"; else rm -rf "$scratch"; fi
}
trap cleanup EXIT

# 1. The base: the repository as it is now.
git clone --quiet --no-local "$root" "$scratch/repo"
(cd "$root" && git ls-files -z --cached --others --exclude-standard) | rsync -a --from0 --files-from=- "$root/" "$scratch/repo/"
(cd "$root" && git ls-files -z --deleted) | (cd "$scratch/repo" && xargs -0 -r rm -f --)
cd "$scratch/repo"
commit() { git -c user.name=pipeline-test -c user.email=pipeline-test@localhost commit --quiet --allow-empty -m "$1"; }
git add -A && commit "base: the working tree"
base=$(git rev-parse HEAD)

# 2. The merge request.
grep -q '^    context: gitlab-dev$' Pulumi.dev.yaml || fail "Pulumi.dev.yaml no longer sets 'context: gitlab-dev': update step 2 of this script"
sed -i 's/^    context: gitlab-dev$/    context: gitlab-dev-mr/' Pulumi.dev.yaml
git add -A && commit "merge request: dev uses another kube context"

# 3. GitLab's notes API, and the pipeline.
token="glpat-pipeline-test-$RANDOM$RANDOM"
FAKE_GITLAB_TOKEN=$token "$root/node_modules/.bin/tsx" "$root/test/pipeline/fake-gitlab-server.ts" "$scratch/api-url" &
server_pid=$!
for _ in $(seq 100); do [ -s "$scratch/api-url" ] && break; sleep 0.1; done
[ -s "$scratch/api-url" ] || fail "the notes API stand-in did not start"
api=$(cat "$scratch/api-url")

jobs=("$@")
[ ${#jobs[@]} -gt 0 ] || jobs=(validate plan plan:workloads deploy-order)
deploy_order=0
for i in "${!jobs[@]}"; do [ "${jobs[$i]}" = deploy-order ] && deploy_order=1 && unset 'jobs[i]'; done
jobs=("${jobs[@]}")
if [ ${#jobs[@]} -gt 0 ]; then
say "running ${jobs[*]} on a merge request from ${base:0:12} (gitlab-ci-local $("$root/node_modules/.bin/gitlab-ci-local" --version))"
"$root/node_modules/.bin/gitlab-ci-local" --force-shell-executor --shell-isolation --timestamps \
    --ignore-predefined-vars CI_PIPELINE_SOURCE,CI_PROJECT_ID,CI_API_V4_URL \
    --unset-variable CI_COMMIT_BRANCH \
    --variable CI_PIPELINE_SOURCE=merge_request_event \
    --variable CI_PROJECT_ID=42 \
    --variable CI_MERGE_REQUEST_IID=7 \
    --variable CI_MERGE_REQUEST_SOURCE_PROJECT_ID=42 \
    --variable CI_MERGE_REQUEST_DIFF_BASE_SHA="$base" \
    --variable CI_API_V4_URL="$api" \
    --variable MR_NOTE_TOKEN="$token" \
    --variable CI_MERGE_REQUEST_LABELS=allow-data-loss \
    --variable GITLAB_USER_LOGIN=pipeline-test \
    "${jobs[@]}" 2>&1 | tee "$scratch/pipeline.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || fail "a job failed (log above)"
fi

# 4. What the merge request got.
if [[ " ${jobs[*]} " == *" plan "* && " ${jobs[*]} " == *" plan:workloads "* ]]; then
STACKS="$(ls Pulumi.*.yaml | sed -E 's/^Pulumi\.(.*)\.yaml$/\1/' | tr '\n' ' ')" API=$api TOKEN=$token node --input-type=module - <<'JS' || fail "the merge request notes are not what the plan jobs should write"
const res = await fetch(`${process.env.API}/projects/42/merge_requests/7/notes?per_page=100&sort=asc`, { headers: { "PRIVATE-TOKEN": process.env.TOKEN } });
const notes = await res.json();
const find = (stack) => notes.filter((n) => n.body.startsWith(`<!-- gitlab-platform:plan:${stack} -->\n`));
const dev = find("dev"), prod = find("prod");
const problems = [];
const stacks = process.env.STACKS.trim().split(" ");
if (notes.length !== stacks.length || stacks.some((s) => find(s).length !== 1)) problems.push(`expected one note per stack, got: ${notes.map((n) => n.body.split("\n")[0]).join(", ")}`);
if (dev[0] && !(dev[0].body.includes('| `context` | `"gitlab-dev"` | `"gitlab-dev-mr"` |') && dev[0].body.includes("to replace"))) problems.push("the dev note does not show the context change and its replacements");
if (prod[0] && !prod[0].body.includes("**No changes**")) problems.push("the prod note should report no changes");
// The context change replaces dev's namespaces (data loss): the merge request opts in with its label.
if (dev[0] && !dev[0].body.includes("**Opted in**: the merge request !7 carries the label `allow-data-loss`; this pipeline was started by @pipeline-test.")) problems.push("the dev note does not say who opted in to its data loss");
if (problems.length) { console.error(problems.join("\n")); process.exit(1); }
JS
say "notes posted: one per stack; plan:dev (context change, replacements), plan:prod (no changes)"
say "job runtimes:"
grep -E '^\[[^]]*\] .* finished in' "$scratch/pipeline.log" | sed 's/^/pipeline:   /' || true
fi

# 5. The deploy order on the default branch, with markers for scripts.
[ "$deploy_order" = 1 ] || exit 0
NODE_PATH="$root/node_modules" node - <<'JS'
const fs = require("node:fs");
const YAML = require("yaml");
const doc = YAML.parse(fs.readFileSync(".gitlab-ci.yml", "utf8"));
const marker = 'echo "start $STACK" >> "$ORDER_LOG"; sleep 2; echo "end $STACK" >> "$ORDER_LOG"';
for (const job of ["validate", ".pulumi", ".deploy"]) {
    delete doc[job].before_script;
    delete doc[job].id_tokens;
    doc[job].script = [job === ".deploy" ? marker : "true"];
}
fs.writeFileSync(".gitlab-ci-deploy-order.yml", YAML.stringify(doc, { aliasDuplicateObjects: false }));
JS
main_vars=(--ignore-predefined-vars CI_PIPELINE_SOURCE,CI_COMMIT_BRANCH,CI_DEFAULT_BRANCH
    --variable CI_PIPELINE_SOURCE=push --variable CI_COMMIT_BRANCH=main --variable CI_DEFAULT_BRANCH=main)
manual=()
while IFS=';' read -r name _ when _; do
    [ "$when" = manual ] && manual+=(--manual "$name")
done < <("$root/node_modules/.bin/gitlab-ci-local" --file .gitlab-ci-deploy-order.yml --list-csv "${main_vars[@]}" 2>/dev/null | tail -n +2)
order_log="$scratch/deploy-order.log"
"$root/node_modules/.bin/gitlab-ci-local" --file .gitlab-ci-deploy-order.yml --force-shell-executor --state-dir .gitlab-ci-local-deploy \
    "${main_vars[@]}" --variable ORDER_LOG="$order_log" "${manual[@]}" > "$scratch/deploy-order-pipeline.log" 2>&1 \
    || { cat "$scratch/deploy-order-pipeline.log"; fail "the default branch's pipeline (deploy scripts stubbed) failed"; }
ORDER_LOG=$order_log node --input-type=module - <<'JS' || fail "a workloads stack is deployed before its platform stack (order: $(tr '\n' ' ' < "$order_log"))"
import { readFileSync } from "node:fs";
const order = readFileSync(process.env.ORDER_LOG, "utf8").trim().split("\n");
const at = (line) => order.indexOf(line);
const workloads = order.filter((l) => /^start .*-workloads$/.test(l)).map((l) => l.slice(6));
if (workloads.length === 0) { console.error("no workloads stack was deployed"); process.exit(1); }
const late = workloads.filter((s) => { const p = s.replace(/-workloads$/, ""); return at(`end ${p}`) < 0 || at(`end ${p}`) > at(`start ${s}`); });
if (late.length) { console.error(`started before their platform stack ended: ${late.join(", ")}`); process.exit(1); }
JS
say "deploy order: $(tr '\n' ' ' < "$order_log")"
