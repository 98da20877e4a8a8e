#!/bin/sh
# Makes sure Temporal's time-skipping test server (Java SDK, Maven Central
# io.temporal:temporal-test-server) is cached outside the repository, with a launcher the
# TypeScript SDK's time-skipping environment starts as an existing executable (it must never
# download one). Prints the launcher's path. Needs Java 17 and Maven; installs them with apt-get
# when they are missing and this runs as root.
set -eu
cd "$(dirname "$0")"
version=1.38.0   # the Java SDK release whose test server is used
cache="${XDG_CACHE_HOME:-$HOME/.cache}/police-contact/temporal-test-server-$version"
launcher="$cache/test-server"

if [ -x "$launcher" ] && [ -f "$cache/complete" ]; then
  echo "$launcher"
  exit 0
fi

if ! command -v java >/dev/null 2>&1 || ! command -v mvn >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "[setup] installing Java and Maven for the time-skipping test server" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless maven >&2
  else
    echo "[setup] the time-skipping test server needs Java 17 and Maven (mvn)" >&2
    exit 1
  fi
fi

echo "[setup] fetching the Temporal time-skipping test server $version from Maven Central (once; cached in $cache)" >&2
mkdir -p "$cache/lib"
mvn -q -B -f test-server/pom.xml dependency:copy-dependencies -Dtemporal.version="$version" -DincludeScope=runtime -DoutputDirectory="$cache/lib" >&2
cat > "$launcher" <<LAUNCHER
#!/bin/sh
# Started by @temporalio/testing as \`test-server <port>\`: it drives time skipping itself, so the
# server starts with skipping locked (no --enable-time-skipping, which would unbalance that lock).
exec java -Xss1m -cp "$cache/lib/*" io.temporal.testserver.TestServer "\$@"
LAUNCHER
chmod +x "$launcher"
touch "$cache/complete"
echo "$launcher"
