#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# postgres.sh start|stop STATE_FILE — a throw-away PostgreSQL 15 on 127.0.0.1 for the ODBC
# adapter's integration tests: a temp data dir owned by the postgres user (initdb refuses root),
# trust auth, fsync off, a free port. `start` writes STATE_FILE (DIR=…, PORT=…); `stop` stops
# the server and removes the data dir (also after a failed start).
set -eu
action=$1
state=$2
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$action" in
start)
    if [ -f "$state" ]; then "$0" stop "$state" || true; fi
    dir=$(mktemp -d /tmp/ferry-odbc-pg.XXXXXX)
    chmod 755 "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
    port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    printf 'DIR=%s\nPORT=%s\n' "$dir" "$port" > "$state"
    as_postgres "$pgbin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-sync > "$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log"; exit 1; }
    as_postgres "$pgbin/pg_ctl" -D "$dir/data" -w -t 30 -l "$dir/server.log" \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start > /dev/null \
        || { cat "$dir/server.log"; exit 1; }
    as_postgres "$pgbin/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE ferry" postgres
    echo "PostgreSQL on 127.0.0.1:$port ($dir)"
    ;;
stop)
    [ -f "$state" ] || exit 0
    . "$state"
    if [ -d "$DIR/data" ]; then as_postgres "$pgbin/pg_ctl" -D "$DIR/data" -m immediate stop > /dev/null 2>&1 || true; fi
    rm -rf "$DIR" "$state"
    ;;
*)
    echo "usage: $0 start|stop STATE_FILE" >&2; exit 2 ;;
esac
