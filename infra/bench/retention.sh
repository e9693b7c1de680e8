#!/usr/bin/env bash
# Benchmark: what the 14-day telemetry retention leaves behind. Readings older than 14 days (battery every 60 s, device
# info every 6 h, heartbeat keys every 60 s: the agent's defaults) are written straight into the running API's database,
# the API's own retention job folds them into telemetry_hourly, and the report gives the bytes per hourly row (with its
# index), hence per headset per year, the bytes freed and how fast the job folded. Fails if the folded rows are wrong.
# Usage: bash infra/bench/retention.sh [--db sqlite|postgres] [--headsets 50] [--days 3] [--interval 2]
# --interval is Fleet:Jobs:IntervalSeconds for the run (60 in service); --db postgres starts a durable PostgreSQL
# cluster of its own (infra/postgres/cluster.sh).
# Writes the report to infra/bench/results/retention-<db>-<date>.md as well as the terminal.
set -euo pipefail
cd "$(dirname "$0")/../.."
db=sqlite
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  if [ "${args[i]}" = "--db" ] && [ $((i + 1)) -lt ${#args[@]} ]; then db="${args[i + 1]}"; fi
done
bash infra/install.sh test >/dev/null
dotnet build Fleet.sln -c Release -v quiet -nologo >/dev/null
mkdir -p infra/bench/results
out="infra/bench/results/retention-$db-$(date -u +%Y%m%d-%H%M).md"
dotnet infra/bench/Fleet.Bench/bin/Release/net10.0/Fleet.Bench.dll retention --out "$out" "$@"
echo "report: $out"
