#!/usr/bin/env bash
# What a fresh machine needs for the VS Code tests (test/vscode/), as root, with no stdin.
# Idempotent: what is there already is left alone, so .ci/run can call it on every run.
#
#   bash scripts/ci-vscode-deps.sh        # then: npm ci && npm test
#
# 1. Debian packages: chromium (playwright-core drives it; it brings no browser of its own),
#    ripgrep (code-server's @vscode/ripgrep would download rg from GitHub: its download cache
#    is seeded with Debian's rg instead), libkrb5-dev and a C++ toolchain (code-server's native
#    modules build from source), python3 with venv (the UI test and `npm start --check` push to
#    moto, which test/support/moto.ts installs with pip into .venv from PyPI).
# 2. code-server 4.100.3 from the npm registry into ~/.cache/iam-policy-tools/ (or
#    $IAM_POLICY_CODE_SERVER_DIR), outside the repository: scripts/install-code-server.mjs, which
#    also seeds the ripgrep cache and sets npm_config_unsafe_perm / npm_config_yes for that
#    install only. The tests run the same script when the install is missing, so this step
#    only moves the wait (about 45 s) out of the test run.
# No environment variable is needed afterwards. Optional: IAM_POLICY_CHROMIUM (another
# Chromium binary), IAM_POLICY_CODE_SERVER_DIR (another install folder; set it for the tests too).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
packages=(chromium ripgrep libkrb5-dev build-essential python3 python3-venv)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$package")
done
if ((${#missing[@]} > 0)); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "ci-vscode-deps: missing Debian packages (${missing[*]}); run this script as root." >&2
    exit 1
  fi
  echo "ci-vscode-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q </dev/null
  apt-get install -y -q "${missing[@]}" </dev/null
fi

node "$here/install-code-server.mjs" </dev/null
