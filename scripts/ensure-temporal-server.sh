#!/bin/sh
# Makes sure the real Temporal server and its SQL schema tool are built: the cluster profile runs
# the system on them (npm run test:cluster). Both come from Go modules, built once and cached
# outside the repository. Prints the directory that holds `temporal-server` and `temporal-sql-tool`.
set -eu
TEMPORAL_SERVER_VERSION=v1.29.1
cache_dir="${XDG_CACHE_HOME:-$HOME/.cache}/police-contact/temporal-server-$TEMPORAL_SERVER_VERSION"

if [ -x "$cache_dir/temporal-server" ] && [ -x "$cache_dir/temporal-sql-tool" ]; then
  echo "$cache_dir"
  exit 0
fi

go_bin=$(command -v go || true)
[ -n "$go_bin" ] || [ ! -x /usr/local/go/bin/go ] || go_bin=/usr/local/go/bin/go
[ -n "$go_bin" ] || { echo "[setup] the Temporal server is missing and Go is not installed to build it" >&2; exit 1; }

echo "[setup] building the Temporal server $TEMPORAL_SERVER_VERSION and its SQL tool with go install (once; cached in $cache_dir)" >&2
build_dir=$(mktemp -d)
trap 'rm -rf "$build_dir"' EXIT
# Without the gRPC health and reflection modules the binary is smaller; nothing here needs them.
GOBIN="$build_dir" GOFLAGS=-mod=mod "$go_bin" install -tags disable_grpc_modules "go.temporal.io/server/cmd/server@$TEMPORAL_SERVER_VERSION" >&2
GOBIN="$build_dir" GOFLAGS=-mod=mod "$go_bin" install "go.temporal.io/server/cmd/tools/sql@$TEMPORAL_SERVER_VERSION" >&2
mkdir -p "$cache_dir"
mv "$build_dir/server" "$cache_dir/temporal-server"
mv "$build_dir/sql" "$cache_dir/temporal-sql-tool"
echo "$cache_dir"
