#!/usr/bin/env bash
# A PostgreSQL cluster of Fleet's own, from Debian's postgresql package (installed when missing).
#   bash infra/postgres/cluster.sh start DIR [tuning]   # initdb DIR if new, start on a free 127.0.0.1 port; prints
#                                                       # FLEET_PG_PORT=..., FLEET_PG_CONNECTION=... (append to env files)
#   bash infra/postgres/cluster.sh stop DIR
# PostgreSQL refuses to run as root: started as root, the cluster belongs to the system user 'fleetpg' (created here).
# The superuser 'fleet' has a generated password (DIR/password, owner-only). tuning=throwaway turns off fsync and
# synchronous commit: for test clusters whose data does not matter, never for a real one.
set -euo pipefail
umask 077
cmd="${1:?start|stop}"; dir="${2:?data directory}"; tuning="${3:-}"
mkdir -p "$dir"; dir="$(cd "$dir" && pwd)"

bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "fleet: installing Debian's postgresql" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  # Debian's package starts its own cluster on 5432; Fleet runs its own.
  if command -v systemctl >/dev/null 2>&1; then $SUDO systemctl stop postgresql >/dev/null 2>&1 || true; fi
  bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)"
fi

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u fleetpg -- "$@"; else "$@"; fi
}
if [ "$(id -u)" -eq 0 ]; then
  id fleetpg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin fleetpg
  chown fleetpg "$dir"
fi

case "$cmd" in
  start)
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      head -c 24 /dev/urandom | base64 | tr '+/' '-_' > "$dir/password"
      [ "$(id -u)" -eq 0 ] && chown fleetpg "$dir/password"
      as_owner "$bin/initdb" -D "$dir/data" -U fleet --pwfile="$dir/password" --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
      {
        echo "listen_addresses = '127.0.0.1'"
        echo "unix_socket_directories = '$dir'"
        echo "max_connections = 400"
        echo "shared_buffers = 128MB"
        if [ "$tuning" = "throwaway" ]; then echo "fsync = off"; echo "synchronous_commit = off"; echo "full_page_writes = off"; fi
      } | as_owner tee -a "$dir/data/postgresql.conf" >/dev/null
    fi
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "-p $port" -w -t 60 start >/dev/null \
      || { tail -n 30 "$dir/server.log" >&2; exit 1; }
    echo "FLEET_PG_PORT=$port"
    echo "FLEET_PG_CONNECTION='Host=127.0.0.1;Port=$port;Username=fleet;Password=$(cat "$dir/password")'"
    ;;
  stop)
    [ -f "$dir/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    ;;
  *) echo "usage: $0 start|stop DIR [throwaway]" >&2; exit 2 ;;
esac
