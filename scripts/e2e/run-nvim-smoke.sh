#!/usr/bin/env bash
# Neovim smoke test of the language server over stdio (scripts/e2e/nvim-smoke.lua) on a scratch copy of
# test/e2e/workspace. Needs `npm run build` and nvim >= 0.7 (scripts/e2e/setup.sh installs it).
# Usage: run-nvim-smoke.sh [--result FILE]   (FILE gets {"passed":N,"failed":N} for run-all.sh)
set -uo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
RESULT=
[ "${1:-}" = --result ] && RESULT=$2

work=$(mktemp -d "${TMPDIR:-/tmp}/usercube-conf-nvim-XXXXXX")
cleanup() { rm -rf "$work"; }
trap cleanup EXIT

report() { # passed failed
  echo "[neovim] $1 checks passed, $2 failed"
  [ -z "$RESULT" ] || printf '{"passed":%d,"failed":%d}\n' "$1" "$2" > "$RESULT"
}

if ! command -v nvim >/dev/null 2>&1; then echo "[neovim] FAILED: nvim not found (run scripts/e2e/setup.sh)"; report 0 1; exit 1; fi
if [ ! -f "$REPO/dist/server.js" ]; then echo "[neovim] FAILED: dist/server.js missing (run npm run build)"; report 0 1; exit 1; fi

cp -r "$REPO/test/e2e/workspace" "$work/workspace"
mkdir -p "$work/home"
out="$work/result.txt"
start=$(date +%s.%N)
(
  cd "$work/workspace" &&
  HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share" \
  XDG_STATE_HOME="$work/home/.local/state" XDG_CACHE_HOME="$work/home/.cache" \
  USERCUBE_SERVER="$REPO/bin/usercube-conf-server.js" NVIM_SMOKE_OUT="$out" \
  timeout 120 nvim --headless -n -i NONE -u "$REPO/scripts/e2e/nvim-smoke.lua" Conf/Jobs.xml </dev/null >"$work/nvim.log" 2>&1
)
rc=$?
elapsed=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')

if [ ! -s "$out" ]; then
  echo "[neovim] FAILED: no result (nvim exit code $rc$([ $rc = 124 ] && echo ', timeout after 120 s'))"
  sed 's/^/  /' "$work/nvim.log" | tail -20
  [ -f "$work/home/.cache/nvim/lsp.log" ] && tail -20 "$work/home/.cache/nvim/lsp.log" | sed 's/^/  lsp.log: /'
  report 0 1
  exit 1
fi
grep -v '^RESULT' "$out" | sed 's/^/  /'
read -r _ passed failed < <(grep '^RESULT' "$out")
echo "[neovim] finished in ${elapsed}s, exit code $rc"
if [ "$failed" != 0 ] || [ "$rc" != 0 ]; then
  [ -f "$work/home/.cache/nvim/lsp.log" ] && tail -20 "$work/home/.cache/nvim/lsp.log" | sed 's/^/  lsp.log: /'
  [ "$failed" = 0 ] && failed=1
fi
report "$passed" "$failed"
[ "$failed" = 0 ]
