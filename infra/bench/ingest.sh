#!/usr/bin/env bash
# Benchmark: N publishing connections -> Mosquitto -> API -> SQLite or PostgreSQL at QoS 1, with a plain mosquitto_sub
# baseline measured in the same run.
# Usage: bash infra/bench/ingest.sh [--connections 20] [--seconds 60] [--rate 15000] [--rounds 3]
#                                   [--db sqlite|postgres] [--instances 1|2] [--full-speed 1|0]
# --rounds 0 skips the backlog-drain rounds; --db postgres starts a durable PostgreSQL cluster of its own
# (infra/postgres/cluster.sh); --instances 2 runs two API instances sharing the ingestion (shared subscription);
# --full-speed 0 skips the overload phase (publishers as fast as they can), leaving the phase held at --rate.
# Writes the report to infra/bench/results/ingest-<date>.md as well as the terminal.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash infra/install.sh test >/dev/null
dotnet build Fleet.sln -c Release -v quiet -nologo >/dev/null
mkdir -p infra/bench/results
out="infra/bench/results/ingest-$(date -u +%Y%m%d-%H%M).md"
dotnet infra/bench/Fleet.Bench/bin/Release/net10.0/Fleet.Bench.dll ingest --out "$out" "$@"
echo "report: $out"
