#!/usr/bin/env bash
# Runs every test of Fleet: unit, integration (real SQLite, real PostgreSQL, real Mosquitto, real HTTP) and browser
# (Chromium). The API integration tests run twice: on SQLite, and on a throwaway PostgreSQL cluster started here
# (Debian's postgresql, installed when missing; as the system user 'fleetpg' when run as root). A test that only makes
# sense on one provider says so in its name (...OnSqlite, ...OnPostgres) and runs in that pass only.
# Extra arguments go to every dotnet test call.
set -euo pipefail
cd "$(dirname "$0")/.."
bash infra/install.sh test
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool restore >/dev/null
dotnet build Fleet.sln -c Release -warnaserror

pgdir="$(mktemp -d /tmp/fleet-test-pg.XXXXXX)"
stop_cluster() { bash infra/postgres/cluster.sh stop "$pgdir" || true; rm -rf "$pgdir"; }
trap stop_cluster EXIT
eval "$(bash infra/postgres/cluster.sh start "$pgdir" throwaway)"

# Each run also writes a TRX file, so the end of the output can name every failed test (a CI log shows only its tail).
results="$(mktemp -d /tmp/fleet-test-results.XXXXXX)"
report_failures() {
  local failed
  failed="$(grep -ho '<UnitTestResult [^>]*outcome="Failed"[^>]*' "$results"/*.trx 2>/dev/null | grep -o 'testName="[^"]*"' | sort -u || true)"
  [[ -n "$failed" ]] && { echo "fleet: failed tests:"; echo "$failed" | sed 's/^testName=/  /'; }
  return 0
}

status=0
echo "fleet: every test project, the API's on SQLite"
# One project at a time (-m:1): run side by side on two cores, the browser tests' page loads met the API suite's
# processes and timed out (two CI runs of 5 Dec failed that way, each on a different browser test).
FLEET_TEST_DB=sqlite dotnet test Fleet.sln -m:1 -c Release --no-build --logger "console;verbosity=minimal" \
  --logger "trx;LogFilePrefix=sqlite" --results-directory "$results" --filter "FullyQualifiedName!~OnPostgres" "$@" || status=1
echo "fleet: the API tests on PostgreSQL"
FLEET_TEST_DB=postgres FLEET_TEST_PG="$FLEET_PG_CONNECTION" dotnet test tests/Fleet.Api.Tests/Fleet.Api.Tests.csproj -c Release --no-build \
  --logger "console;verbosity=minimal" --logger "trx;LogFilePrefix=postgres" --results-directory "$results" \
  --filter "FullyQualifiedName!~OnSqlite" "$@" || status=1
report_failures
exit $status
