#!/usr/bin/env bash
# Installs what Fleet needs and is missing, and nothing else. Safe to run again.
#   bash infra/install.sh run    # the broker (to run Fleet)
#   bash infra/install.sh test   # the broker, its clients, python paho, Chromium, and the npm test tools
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-run}"

need=()
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || need+=(mosquitto)
if [ "$mode" = "test" ]; then
  command -v mosquitto_pub >/dev/null 2>&1 || need+=(mosquitto-clients)
  /usr/bin/python3 -c "import paho.mqtt" >/dev/null 2>&1 || need+=(python3-paho-mqtt)
  [ -x /usr/bin/chromium ] || need+=(chromium)
fi
command -v sqlite3 >/dev/null 2>&1 || need+=(sqlite3)

if [ ${#need[@]} -gt 0 ]; then
  echo "fleet: installing Debian packages: ${need[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# Debian starts a system-wide broker on 1883 when the package is installed with systemd present;
# Fleet runs its own broker with its own configuration, so stop that one if it is running.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet mosquitto 2>/dev/null; then
  echo "fleet: stopping the Debian system mosquitto service (Fleet runs its own broker)"
  ${SUDO:-} systemctl stop mosquitto || true
fi

if [ "$mode" = "test" ] && [ -f tests/fhir-validation/package.json ]; then
  if [ ! -d tests/fhir-validation/node_modules ]; then
    echo "fleet: installing the FHIR validator (npm)"
    (cd tests/fhir-validation && npm ci --no-audit --no-fund --silent)
  fi
fi
