#!/usr/bin/env bash
# Measures Fleet.Agent's simulator under load: N virtual headsets (default 1000), one event per headset per 10 s, against a
# throwaway broker (Fleet's broker configuration, dynamic security) and API (Development seed, SQLite) in a temp directory.
#   bash infra/bench/agent-sim.sh [HEADSETS] [DURATION] [EVENT_INTERVAL] [SPEED]     e.g. bash infra/bench/agent-sim.sh 1000 5m 10s 1
# FLEET_DB=postgres runs the API on a durable PostgreSQL cluster of its own (infra/postgres/cluster.sh) instead of SQLite;
# the API's CPU then includes the PostgreSQL server processes, and the database's growth is reported either way.
# The agents' real default (heartbeat and battery each once a minute) is an event interval of 30s.
# Prints the simulator's own figures (CPU in cores over the steady window, peak RSS from /proc/self/status VmHWM),
# GNU time's maximum RSS, and the API's ingest counters. KEEP=1 keeps the temp directory (logs, outboxes, database).
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$(pwd)"
headsets="${1:-1000}"; duration="${2:-5m}"; interval="${3:-10s}"; speed="${4:-1}"
broker_port="${BENCH_BROKER_PORT:-18831}"; api_port="${BENCH_API_PORT:-18081}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "bench: building (Release)"
dotnet build Fleet.Api -c Release -v quiet -nologo >/dev/null
dotnet build Fleet.Agent -c Release -v quiet -nologo >/dev/null

work="$(mktemp -d /tmp/fleet-bench.XXXXXX)"
mkdir -p "$work/broker" "$work/api" "$work/agents"
chmod 711 "$work" # the broker drops root for the mosquitto user, which must reach its directory
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -n "${pg_dir:-}" ]; then bash "$root/infra/postgres/cluster.sh" stop "$pg_dir" >/dev/null 2>&1 || true; fi
  if [ "${KEEP:-0}" = "1" ]; then echo "bench: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT INT TERM

admin_password="$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')"
api_password="$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')"
mosquitto_ctrl dynsec init "$work/broker/dynamic-security.json" bench-admin "$admin_password" >/dev/null
plugin="$(dpkg -L mosquitto 2>/dev/null | grep -m1 'mosquitto_dynamic_security.so' || echo /usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so)"
sed -e "s#@DATA@#$work/broker#g" -e "s#@PLUGIN@#$plugin#g" -e "s#^listener 1883 #listener $broker_port #" \
  infra/broker/mosquitto.dev.conf > "$work/broker/mosquitto.conf"
if [ "$(id -u)" -eq 0 ] && id mosquitto >/dev/null 2>&1; then chown -R mosquitto "$work/broker"; fi
# A thousand agents and the API: more descriptors than the usual default of 1024.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
"$(command -v mosquitto || echo /usr/sbin/mosquitto)" -c "$work/broker/mosquitto.conf" >"$work/broker.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$broker_port") 2>/dev/null && break; sleep 0.2; done

db_env=()
if [ "${FLEET_DB:-sqlite}" = "postgres" ]; then
  pg_dir="$work/postgres"
  eval "$(bash infra/postgres/cluster.sh start "$pg_dir")" # durable: fsync and synchronous commit on
  db_env=(Fleet__Database__Provider=Postgres "Fleet__Database__ConnectionString=$FLEET_PG_CONNECTION;Database=fleet_bench")
fi
echo "bench: API on http://127.0.0.1:$api_port, broker on 127.0.0.1:$broker_port, database ${FLEET_DB:-sqlite}, data in $work"
env "${db_env[@]}" ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="http://127.0.0.1:$api_port" Fleet__DataDirectory="$work/api" \
Fleet__Mqtt__Port="$broker_port" Fleet__Mqtt__Password="$api_password" Fleet__Mqtt__ClientId=fleet-api-bench \
Fleet__Mqtt__AdminUsername=bench-admin Fleet__Mqtt__AdminPassword="$admin_password" \
  dotnet Fleet.Api/bin/Release/net10.0/Fleet.Api.dll >"$work/api.log" 2>&1 &
api_pid=$!
pids+=($api_pid)
for _ in $(seq 1 120); do curl -fsS -o /dev/null "http://127.0.0.1:$api_port/health/ready" 2>/dev/null && break; sleep 0.5; done
# The API's CPU (user + system clock ticks) over the simulator's whole run, ramp-up included; on PostgreSQL with the
# server's processes (the postmaster's children, as they are when read).
api_ticks() {
  local pids="$api_pid"
  if [ -n "${pg_dir:-}" ]; then
    local postmaster; postmaster="$(head -n1 "$pg_dir/data/postmaster.pid")"
    pids="$pids $postmaster $(pgrep -P "$postmaster" | tr '\n' ' ')"
  fi
  for p in $pids; do awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || true; done | awk '{s += $1} END {print s}'
}
db_bytes() {
  if [ -n "${pg_dir:-}" ]; then du -sb "$pg_dir/data/base" | cut -f1; else du -cb "$work/api"/*.db* | tail -n1 | cut -f1; fi
}
api_before="$(api_ticks)"; started="$(date +%s.%N)"; db_before="$(db_bytes)"
stored_now() {
  local token
  token="$(curl -fsS -H 'Content-Type: application/json' -d '{"username":"biomed","password":"fleet"}' \
    "http://127.0.0.1:$api_port/api/v1/auth/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])')"
  curl -fsS -H "Authorization: Bearer $token" "http://127.0.0.1:$api_port/api/v1/ingest/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["stored"])'
}
# The API's steady cost is measured over the second half of the simulated run (which starts once every headset is
# enrolled, so enrolment through REST is not in it): its CPU and the events stored are sampled half-way and at the end.
run_seconds="$(python3 -c "import re,sys; n,u=re.fullmatch(r'(\d+)([smh]?)', sys.argv[1]).groups(); print(int(n)*{'':1,'s':1,'m':60,'h':3600}[u])" "$duration")"
( until grep -qs '^simulate: enrolled [0-9]* headsets' "$work/sim.log"; do sleep 1; done
  sleep $((run_seconds / 2)); t="$(api_ticks)"; w="$(date +%s.%N)"; n="$(stored_now)"; echo "$t $w $n" > "$work/half-way" ) &
pids+=($!)

# .NET sizes its gen0 allocation budget from the L3 cache the CPU reports; this VM reports 300 MiB, which makes a budget of
# about 150 MB of memory touched between collections. 8 MB is what a typical server CPU's cache gives. GEN0= (empty) measures without.
gen0="${GEN0-0x800000}"
echo "bench: simulating $headsets headsets for $duration (event interval $interval, speed x$speed, DOTNET_GCgen0size=${gen0:-default})"
DOTNET_GCgen0size="$gen0" /usr/bin/time -v -o "$work/time.txt" dotnet Fleet.Agent/bin/Release/net10.0/Fleet.Agent.dll simulate \
  --headsets "$headsets" --speed "$speed" --event-interval "$interval" --duration "$duration" --measure-after 60s \
  --api "http://127.0.0.1:$api_port" --broker "127.0.0.1:$broker_port" --data "$work/agents" --summary "$work/summary.json" \
  2>&1 | tee "$work/sim.log" | grep --line-buffered -E '^(sim |simulate:)' || true

api_after="$(api_ticks)"; ended="$(date +%s.%N)"
api_cpu_seconds="$(python3 -c "print(($api_after - $api_before) / $(getconf CLK_TCK))")"
echo "bench: API CPU $(python3 -c "print(f'{$api_cpu_seconds / ($ended - $started):.3f}')") cores over the simulator's run (ramp-up included; with PostgreSQL's processes on postgres), API peak RSS $(awk '/VmHWM/ {printf "%.0f MB", $2/1024}' "/proc/$api_pid/status")"
token="$(curl -fsS -H 'Content-Type: application/json' -d '{"username":"biomed","password":"fleet"}' \
  "http://127.0.0.1:$api_port/api/v1/auth/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])')"
sleep 3 # the API commits what the broker still holds
curl -fsS -H "Authorization: Bearer $token" "http://127.0.0.1:$api_port/api/v1/ingest/stats" > "$work/ingest.json"
read -r half_ticks half_at half_stored < "$work/half-way" || { half_ticks=0; half_at=0; half_stored=0; }
if [ -n "${pg_dir:-}" ]; then
  PGPASSWORD="$(cat "$pg_dir/password")" psql -h 127.0.0.1 -p "$FLEET_PG_PORT" -U fleet -d fleet_bench -qc CHECKPOINT >/dev/null 2>&1 || true
fi
db_after="$(db_bytes)"
python3 - "$work/summary.json" "$work/ingest.json" "$work/time.txt" "$api_cpu_seconds" "$db_before" "$db_after" \
  "$half_ticks" "$half_at" "$half_stored" "$api_after" "$ended" "$(getconf CLK_TCK)" <<'PY'
import json, re, sys
s = json.load(open(sys.argv[1])); i = json.load(open(sys.argv[2])); t = open(sys.argv[3]).read()
cpu, db_before, db_after = float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
half_ticks, half_at, half_stored, end_ticks, end_at, tck = (float(a) for a in sys.argv[7:13])
max_rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) / 1024
gaps = sum(h["missingCount"] for h in i["headsets"])
print(f"bench: {s['headsets']} headsets, {s['measuredSeconds']:.0f} s measured: {s['eventsPerSecond']:.1f} events/s, "
      f"CPU {s['cpuCores']:.3f} cores, peak RSS {s['peakRssMb']:.0f} MB (GNU time max RSS {max_rss:.0f} MB)")
print(f"bench: agents produced {s['eventsProduced']}, acknowledged {s['eventsAcknowledged']}, left in outboxes {s['outboxDepth']}; "
      f"API stored {i['stored']}, duplicates {i['duplicates']}, dead-lettered {i['deadLettered']}, seq gaps {gaps}")
hours = s['measuredSeconds'] / 3600
print(f"bench: per headset per hour {s['eventsPerSecond'] * 3600 / s['headsets']:.0f} events (steady window); "
      f"API CPU per stored event {cpu / max(i['stored'], 1) * 1e6:,.0f} µs (whole run); "
      f"database growth {(db_after - db_before) / max(i['stored'], 1):,.0f} bytes per stored event (whole run, WAL included on SQLite)")
if half_at > 0 and i['stored'] > half_stored:
    steady = (end_ticks - half_ticks) / tck
    events = i['stored'] - half_stored
    print(f"bench: steady (second half of the run, {end_at - half_at:.0f} s): {events} events stored, "
          f"{events / (end_at - half_at):.1f} events/s, API CPU {steady / (end_at - half_at):.3f} cores, "
          f"{steady / events * 1e6:,.0f} µs of API CPU per stored event")
else:
    print("bench: steady window not measured (the half-way sample is missing)")
PY
# Where the bytes went, largest tables first: the capacity model reads the permanent part (ingested_events, audit) apart
# from the raw telemetry that retention folds into hourly rows after 14 days.
echo "bench: database size by table (bytes with indexes, and rows); simulated time covered: $duration x $speed"
if [ -n "${pg_dir:-}" ]; then
  PGPASSWORD="$(cat "$pg_dir/password")" psql -h 127.0.0.1 -p "$FLEET_PG_PORT" -U fleet -d fleet_bench -Atc \
    "SELECT relname, pg_total_relation_size(c.oid), (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I', relname), false, true, '')))[1]::text
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 2 DESC LIMIT 12" | sed 's/^/bench:   /; s/|/ /; s/|/ bytes, rows /'
else
  python3 - "$work/api/fleet.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
tables = dict(c.execute("SELECT name, tbl_name FROM sqlite_master WHERE type IN ('table', 'index')").fetchall())
sizes = {}
for name, size in c.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"):
    table = tables.get(name, name)
    sizes[table] = sizes.get(table, 0) + size
for table, size in sorted(sizes.items(), key=lambda kv: -kv[1])[:12]:
    rows = c.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    print(f"bench:   {table} {size} bytes, rows {rows}")
PY
fi
