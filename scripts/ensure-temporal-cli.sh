#!/bin/sh
# Makes sure a Temporal CLI is available: $TEMPORAL_CLI, else `temporal` on PATH, else the build
# cached outside the repository, else build one now from Go modules and cache it.
# Prints the path of the CLI it found or built.
set -eu
TEMPORAL_CLI_VERSION=v1.5.1   # newer releases carry a replace directive and cannot be `go install`ed by version
cache_bin="${XDG_CACHE_HOME:-$HOME/.cache}/police-contact/bin"

if [ -n "${TEMPORAL_CLI:-}" ]; then
  [ -x "$TEMPORAL_CLI" ] || { echo "[setup] TEMPORAL_CLI=$TEMPORAL_CLI is not executable" >&2; exit 1; }
  exit 0
fi
if command -v temporal >/dev/null 2>&1 || [ -x "$cache_bin/temporal" ]; then
  exit 0
fi

go_bin=$(command -v go || true)
[ -n "$go_bin" ] || [ ! -x /usr/local/go/bin/go ] || go_bin=/usr/local/go/bin/go
[ -n "$go_bin" ] || { echo "[setup] the Temporal CLI is missing and Go is not installed to build it" >&2; exit 1; }

echo "[setup] building the Temporal CLI $TEMPORAL_CLI_VERSION with go install (once; cached in $cache_bin)"
mkdir -p "$cache_bin"
GOBIN="$cache_bin" GOFLAGS=-mod=mod "$go_bin" install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION"
"$cache_bin/temporal" --version
