#!/usr/bin/env bash
# Benchmark: the assignment gate's latency (readiness, assign + end) with no load and while ingestion is fed
# 15,000 events/s, beside an empty endpoint in the same API process as the baseline.
# Usage: bash infra/bench/gate.sh [--seconds 20] [--rate 15000] [--connections 20] [--concurrency 4] [--nice 10] [--set Fleet:Mqtt:Key=value]...
# The load comes from a separate process at nice 10 (headsets bring their own CPUs); --connections is how many headsets
# it publishes as (more headsets per ingestion batch cost more; see the README); --set changes an API setting or
# environment variable for the run (e.g. --set Fleet:Mqtt:ReceiveMaximum=2000, --set DOTNET_GCgen0size=0x1000000),
# named in the report, to compare against the defaults.
# Writes the report to infra/bench/results/gate-<date>.md as well as the terminal.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash infra/install.sh test >/dev/null
dotnet build Fleet.sln -c Release -v quiet -nologo >/dev/null
mkdir -p infra/bench/results
out="infra/bench/results/gate-$(date -u +%Y%m%d-%H%M).md"
dotnet infra/bench/Fleet.Bench/bin/Release/net10.0/Fleet.Bench.dll gate --out "$out" "$@"
echo "report: $out"
