#!/usr/bin/env bash
# Prepares and starts Fleet's development broker in ./data/broker (called by infra/run.sh; prints the broker's PID).
# First run: generates the broker administrator's and the API's passwords into data/broker/secrets.env (mode 600,
# never committed) and initialises the dynamic-security plugin with that administrator.
set -euo pipefail
umask 077
cd "$(dirname "$0")/../.."
data="$(pwd)/data/broker"
mkdir -p "$data" data/logs

if [ ! -f "$data/secrets.env" ]; then
  umask 077
  {
    echo "FLEET_BROKER_ADMIN_USER=fleet-admin"
    echo "FLEET_BROKER_ADMIN_PASSWORD=$(head -c 24 /dev/urandom | base64 | tr '+/' '-_')"
    echo "FLEET_BROKER_API_PASSWORD=$(head -c 24 /dev/urandom | base64 | tr '+/' '-_')"
  } > "$data/secrets.env"
fi
# shellcheck disable=SC1091
source "$data/secrets.env"

if [ ! -f "$data/dynamic-security.json" ]; then
  mosquitto_ctrl dynsec init "$data/dynamic-security.json" "$FLEET_BROKER_ADMIN_USER" "$FLEET_BROKER_ADMIN_PASSWORD" >/dev/null
fi

plugin="$(dpkg -L mosquitto 2>/dev/null | grep -m1 'mosquitto_dynamic_security.so' || true)"
[ -n "$plugin" ] || plugin=/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so
sed -e "s#@DATA@#$data#g" -e "s#@PLUGIN@#$plugin#g" infra/broker/mosquitto.dev.conf > "$data/mosquitto.conf"

# Started as root, Mosquitto switches to the 'mosquitto' user, which must then own its files.
if [ "$(id -u)" -eq 0 ] && id mosquitto >/dev/null 2>&1; then chown -R mosquitto "$data"; chmod 700 "$data"; fi

mosquitto_bin="$(command -v mosquitto || echo /usr/sbin/mosquitto)"
"$mosquitto_bin" -c "$data/mosquitto.conf" >data/logs/broker.log 2>&1 &
pid=$!
for _ in $(seq 1 50); do
  if (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null; then echo "$pid"; exit 0; fi
  if ! kill -0 "$pid" 2>/dev/null; then break; fi
  sleep 0.2
done
echo "fleet: the broker did not start; see data/logs/broker.log" >&2
tail -n 20 data/logs/broker.log >&2
exit 1
