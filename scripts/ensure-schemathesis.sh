#!/bin/sh
# Makes sure the schemathesis API fuzzer (PyPI) is installed in its own Python virtual
# environment, cached outside the repository, and prints the path of its `schemathesis` command.
# Needs python3 with venv; installs it with apt-get when missing and this runs as root.
set -eu
version=4.32.5
cache="${XDG_CACHE_HOME:-$HOME/.cache}/police-contact/schemathesis-$version"
command="$cache/bin/schemathesis"

if [ -x "$command" ] && [ -f "$cache/complete" ]; then
  echo "$command"
  exit 0
fi

if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "[setup] installing python3-venv for the API fuzzer" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >&2
  else
    echo "[setup] the API fuzzer needs python3 with venv" >&2
    exit 1
  fi
fi

echo "[setup] installing schemathesis $version from PyPI (once; cached in $cache)" >&2
rm -rf "$cache"
python3 -m venv "$cache"
"$cache/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version" >&2
"$command" --version >&2
touch "$cache/complete"
echo "$command"
