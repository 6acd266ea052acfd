#!/usr/bin/env bash
# The base side of a merge request's plan diff: the offline plan of <stack> as the program stood at the
# merge request's base commit, planned in a throwaway git worktree with that commit's own plan tool.
#
#   tools/plan-diff/base-plan.sh <stack> <out.json>
#
# Base commit: $BASE_SHA if set; else CI_MERGE_REQUEST_TARGET_BRANCH_SHA (set in merged-results pipelines,
# whose head is the merge commit); else CI_MERGE_REQUEST_DIFF_BASE_SHA (the merge base). Planning the base
# here, rather than taking the target branch pipeline's artifact, needs no API token (forks work), no
# earlier pipeline and no unexpired artifact, and compares exactly against what the merge request changes.
# A base without this stack (or without the offline plan) yields an empty plan: everything shows as added.
set -euo pipefail

usage="usage: tools/plan-diff/base-plan.sh <stack> <out.json>"
stack=${1:?$usage}
out=${2:?$usage}
base=${BASE_SHA:-${CI_MERGE_REQUEST_TARGET_BRANCH_SHA:-${CI_MERGE_REQUEST_DIFF_BASE_SHA:-}}}
if [ -z "$base" ]; then
    echo "base-plan: no base commit (expected CI_MERGE_REQUEST_DIFF_BASE_SHA in a merge request pipeline, or BASE_SHA)" >&2
    exit 2
fi

root=$(pwd)
mkdir -p "$(dirname "$out")"
out="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"

if ! git cat-file -e "$base^{commit}" 2>/dev/null; then
    echo "base-plan: $base is not in this clone (shallow?): fetching it"
    git fetch --quiet --depth=1 origin "$base"
fi

work=$(mktemp -d)
cleanup() {
    git -C "$root" worktree remove --force "$work/base" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
git worktree add --quiet --detach "$work/base" "$base"
cd "$work/base"

if [ ! -f tools/plan.ts ] || [ ! -f "Pulumi.$stack.yaml" ]; then
    echo "base-plan: ${base:0:12} has no offline plan of stack $stack: every resource of the head plan shows as added"
    printf '{"version":1,"project":"","stack":"%s","resources":[],"outputs":{}}\n' "$stack" >"$out"
    exit 0
fi

# Same lock file: the head's installed packages are the base's. Otherwise install the base's own.
if git -C "$root" diff --quiet "$base" -- package-lock.json; then
    ln -s "$root/node_modules" node_modules
else
    echo "base-plan: package-lock.json changed since ${base:0:12}: installing the base's dependencies"
    npm ci --cache "$root/.npm" --prefer-offline
fi
echo "base-plan: planning stack $stack at ${base:0:12}"
npm run --silent plan -- --stack "$stack" --json "$out"
