#!/usr/bin/env bash
# `npm run test:e2e`: build, install the e2e tools (scripts/e2e/setup.sh), run the extension test suite in
# code-server + Chromium, run the Neovim smoke test. Ends with one line "N passed, N failed" that sums both;
# exits non-zero if anything failed. Nothing is skipped: a tool that cannot be installed is a failure.
set -uo pipefail
cd "$(dirname "$0")/../.."
results=$(mktemp -d "${TMPDIR:-/tmp}/usercube-conf-e2e-results-XXXXXX")
trap 'rm -rf "$results"' EXIT

passed=0
failed=0
timings=()
now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

finish() {
  echo
  echo "e2e timings: ${timings[*]}"
  echo "$passed passed, $failed failed"
  [ "$failed" = 0 ] && exit 0 || exit 1
}

# Adds the counts of a runner's result file ({"passed":N,"failed":N}); a missing file counts as one failure.
add_result() {
  local file=$1 name=$2 p f
  if [ -s "$file" ] && read -r p f < <(node -e 'const r = require(process.argv[1]); console.log(r.passed | 0, r.failed | 0)' "$file"); then
    passed=$((passed + p)); failed=$((failed + f))
  else
    echo "e2e: $name reported no result"
    failed=$((failed + 1))
  fi
}

t=$(now)
echo "== build"
if ! npm run build --silent; then
  echo "e2e FAILED: npm run build failed"
  failed=$((failed + 1)); timings+=("build=$(seconds "$t")s"); finish
fi
timings+=("build=$(seconds "$t")s")

t=$(now)
echo "== setup (scripts/e2e/setup.sh)"
if ! bash scripts/e2e/setup.sh; then
  echo "e2e FAILED: the e2e tools could not be installed (see above); nothing was run"
  failed=$((failed + 1)); timings+=("setup=$(seconds "$t")s"); finish
fi
timings+=("setup=$(seconds "$t")s")

t=$(now)
echo "== extension tests in code-server"
node scripts/e2e/run-code-server-suite.js --result "$results/code-server.json"
add_result "$results/code-server.json" "the code-server suite"
timings+=("code-server=$(seconds "$t")s")

t=$(now)
echo "== Neovim smoke test"
bash scripts/e2e/run-nvim-smoke.sh --result "$results/nvim.json"
add_result "$results/nvim.json" "the Neovim smoke test"
timings+=("neovim=$(seconds "$t")s")

finish
