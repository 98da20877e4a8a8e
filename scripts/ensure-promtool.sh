#!/bin/sh
# Makes sure promtool (Prometheus's rule checker) is built: the tests check and unit-test the alert
# rules in ops/prometheus with it. Built once from the Go module, cached outside the repository (as
# the Temporal binaries are). Prints the path of the `promtool` binary.
set -eu
PROMETHEUS_VERSION=v0.316.0
cache_dir="${XDG_CACHE_HOME:-$HOME/.cache}/police-contact/promtool-$PROMETHEUS_VERSION"

if [ -x "$cache_dir/promtool" ]; then
  echo "$cache_dir/promtool"
  exit 0
fi

go_bin=$(command -v go || true)
[ -n "$go_bin" ] || [ ! -x /usr/local/go/bin/go ] || go_bin=/usr/local/go/bin/go
[ -n "$go_bin" ] || { echo "[setup] promtool is missing and Go is not installed to build it" >&2; exit 1; }

echo "[setup] building promtool from github.com/prometheus/prometheus $PROMETHEUS_VERSION with go install (once; cached in $cache_dir)" >&2
build_dir=$(mktemp -d)
trap 'rm -rf "$build_dir"' EXIT
GOBIN="$build_dir" GOFLAGS=-mod=mod "$go_bin" install "github.com/prometheus/prometheus/cmd/promtool@$PROMETHEUS_VERSION" >&2
mkdir -p "$cache_dir"
# Moved into place whole, so that a build cut short never leaves a binary behind.
mv "$build_dir/promtool" "$cache_dir/promtool.partial"
mv "$cache_dir/promtool.partial" "$cache_dir/promtool"
echo "$cache_dir/promtool"
