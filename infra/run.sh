#!/usr/bin/env bash
# Installs what is missing and runs Fleet on its embedded defaults:
#   broker 127.0.0.1:1883 (Mosquitto, accounts in ./data/broker, secrets generated on first run)
#   API    http://127.0.0.1:5080 (SQLite in ./data/api, development seed data)
#   web    http://127.0.0.1:5090 (the pages nurses, schedulers, biomed and infection prevention use)
#   agents a simulated demo fleet: FLEET_DEMO_HEADSETS (12) virtual headsets at FLEET_DEMO_SPEED (x30); 0 headsets: none
# FLEET_DB=postgres runs the scale-out shape instead: a local PostgreSQL cluster in ./data/postgres (Debian's, installed
# when missing) and TWO API instances on it, http://127.0.0.1:5080 and :5081 (shared MQTT subscription, clustered
# scheduler); the web app and the agents use the first, a token from either works on both.
# Stop with Ctrl-C. Everything it starts is stopped with it.
set -euo pipefail
# Everything Fleet writes (database, keys, logs, broker state, agent outboxes) is readable by its owner only.
umask 077
cd "$(dirname "$0")/.."
root="$(pwd)"
bash infra/install.sh run
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 ASPNETCORE_ENVIRONMENT=Development

echo "fleet: building"
dotnet build Fleet.sln -c Release -v quiet -nologo >/dev/null

mkdir -p data/logs
pids=()
cleanup() {
  trap - INT TERM EXIT
  echo; echo "fleet: stopping"
  # Newest first, each given a moment: the agents flush and say goodbye through the broker before it stops.
  for (( i=${#pids[@]}-1; i>=0; i-- )); do
    kill "${pids[i]}" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "${pids[i]}" 2>/dev/null || break; sleep 0.2; done
  done
  wait 2>/dev/null || true
  if declare -F pg_stop >/dev/null; then pg_stop; fi
}
trap cleanup INT TERM EXIT

wait_for() { # url name log
  for _ in $(seq 1 120); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  echo "fleet: $2 did not come up; see $3" >&2; tail -n 30 "$3" >&2; exit 1
}

echo "fleet: starting the broker on 127.0.0.1:1883"
pids+=("$(bash infra/broker/start.sh)")
# shellcheck disable=SC1091
source data/broker/secrets.env

start_api() { # port data-directory log [extra VAR=value ...]
  local port="$1" dir="$2" log="$3"; shift 3
  env Fleet__DataDirectory="$dir" ASPNETCORE_URLS="http://127.0.0.1:$port" \
    Fleet__Mqtt__Password="$FLEET_BROKER_API_PASSWORD" \
    Fleet__Mqtt__AdminUsername="$FLEET_BROKER_ADMIN_USER" Fleet__Mqtt__AdminPassword="$FLEET_BROKER_ADMIN_PASSWORD" \
    "$@" dotnet Fleet.Api/bin/Release/net10.0/Fleet.Api.dll >"$log" 2>&1 &
  pids+=($!)
}

if [ "${FLEET_DB:-sqlite}" = "postgres" ]; then
  echo "fleet: starting PostgreSQL (./data/postgres)"
  # Run as root, the cluster belongs to the user 'fleetpg' (PostgreSQL refuses root), who must be able to reach its
  # directory: ./data becomes traversable (not listable); everything in it stays owner-only.
  mkdir -p "$root/data/postgres"; [ "$(id -u)" -eq 0 ] && chmod 711 "$root/data"
  pg_out="$(bash infra/postgres/cluster.sh start "$root/data/postgres")"
  pg_stop() { bash infra/postgres/cluster.sh stop "$root/data/postgres"; }
  eval "$pg_out"
  # Both instances: one database, their own data directory, broker account and client id, the shared subscription.
  for i in 0 1; do
    port=$((5080 + i)); name=$([ $i -eq 0 ] && echo a || echo b)
    echo "fleet: starting API instance $name on http://127.0.0.1:$port"
    start_api "$port" "$root/data/api-$name" "data/logs/api-$name.log" \
      Fleet__Database__Provider=Postgres Fleet__Database__ConnectionString="$FLEET_PG_CONNECTION;Database=fleet" \
      Fleet__Mqtt__Username="fleet-api-$name" Fleet__Mqtt__ClientId="fleet-api-$name" Fleet__Mqtt__SharedSubscription=true
  done
  wait_for http://127.0.0.1:5080/health/ready "API instance a" data/logs/api-a.log
  wait_for http://127.0.0.1:5081/health/ready "API instance b" data/logs/api-b.log
else
  echo "fleet: starting the API on http://127.0.0.1:5080"
  start_api 5080 "$root/data/api" data/logs/api.log
  wait_for http://127.0.0.1:5080/health/ready "the API" data/logs/api.log
fi

echo "fleet: starting the web app on http://127.0.0.1:5090"
Fleet__ApiBaseUrl=http://127.0.0.1:5080 ASPNETCORE_URLS=http://127.0.0.1:5090 \
  dotnet Fleet.Web/bin/Release/net10.0/Fleet.Web.dll >data/logs/web.log 2>&1 &
pids+=($!)
wait_for http://127.0.0.1:5090/signin "the web app" data/logs/web.log

demo_headsets="${FLEET_DEMO_HEADSETS:-12}"; demo_speed="${FLEET_DEMO_SPEED:-30}"
if [ "$demo_headsets" -gt 0 ]; then
  echo "fleet: bringing $demo_headsets simulated headsets to life (speed x$demo_speed)"
  dotnet Fleet.Agent/bin/Release/net10.0/Fleet.Agent.dll simulate --headsets "$demo_headsets" --speed "$demo_speed" \
    --api http://127.0.0.1:5080 --broker 127.0.0.1:1883 --data "$root/data/agents" >data/logs/agent.log 2>&1 &
  pids+=($!)
fi

cat <<'TXT'

Fleet is running.
  Web      http://127.0.0.1:5090   (sign in with a login below)
  API      http://127.0.0.1:5080   (OpenAPI: /openapi/v1.json, health: /health/ready)
TXT
[ "${FLEET_DB:-sqlite}" = "postgres" ] && cat <<'TXT'
           http://127.0.0.1:5081   (second instance; both on PostgreSQL in data/postgres, logs api-a.log, api-b.log)
TXT
cat <<'TXT'
  Broker   127.0.0.1:1883          (agents enroll through the API; secrets in data/broker/secrets.env)
  Agents   simulated headsets live a hospital day (sessions, cleanings, UV-C, charging): progress and what
           each headset shows in data/logs/agent.log, status files in data/agents/<id>/status.json
  Logins (development only, password "fleet"):
    nurse, scheduler, biomed, infection (infection_control), admin
  Logs in ./data/logs. Press Ctrl-C to stop.
TXT
wait
