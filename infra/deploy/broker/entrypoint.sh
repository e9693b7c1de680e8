#!/bin/sh
# First start: create the dynamic-security store with the administrator the API uses to manage headset accounts.
set -eu
store=/var/lib/mosquitto/dynamic-security.json
if [ ! -f "$store" ]; then
  : "${FLEET_BROKER_ADMIN_PASSWORD:?set it in secrets/broker.env}"
  mosquitto_ctrl dynsec init "$store" fleet-admin "$FLEET_BROKER_ADMIN_PASSWORD" >/dev/null
fi
chown -R mosquitto /var/lib/mosquitto
exec mosquitto -c /etc/mosquitto/fleet.conf
