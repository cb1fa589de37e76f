#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# mariadb.sh start|stop STATE_FILE — a throw-away MariaDB on 127.0.0.1 for the ODBC adapter's
# integration tests: a temp data dir, a free port, utf8mb4 server charset, and a user
# ferry@127.0.0.1 with the password in STATE_FILE (the tests pass it through an environment
# variable, as a deployment would). `stop` shuts it down and removes the data dir.
set -eu
action=$1
state=$2
case "$action" in
start)
    if [ -f "$state" ]; then "$0" stop "$state" || true; fi
    dir=$(mktemp -d /tmp/ferry-odbc-maria.XXXXXX)
    port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    printf 'DIR=%s\nPORT=%s\nPASSWORD=%s\n' "$dir" "$port" "ferry-$$-pw" > "$state"
    mariadb-install-db --no-defaults --auth-root-authentication-method=normal --user="$(id -un)" \
        --datadir="$dir/data" > "$dir/install.log" 2>&1 || { cat "$dir/install.log"; exit 1; }
    mariadbd --no-defaults --user="$(id -un)" --datadir="$dir/data" --socket="$dir/s.sock" \
        --port="$port" --bind-address=127.0.0.1 --character-set-server=utf8mb4 \
        --pid-file="$dir/mariadbd.pid" --innodb-flush-log-at-trx-commit=0 \
        --skip-log-bin > "$dir/server.log" 2>&1 &
    tries=0
    until mariadb-admin --no-defaults --socket="$dir/s.sock" -uroot ping > /dev/null 2>&1; do
        tries=$((tries + 1))
        if [ "$tries" -gt 300 ]; then cat "$dir/server.log"; exit 1; fi
        sleep 0.1
    done
    mariadb --no-defaults --socket="$dir/s.sock" -uroot -e "
        CREATE DATABASE ferry CHARACTER SET utf8mb4;
        CREATE USER 'ferry'@'127.0.0.1' IDENTIFIED BY 'ferry-$$-pw';
        GRANT ALL ON ferry.* TO 'ferry'@'127.0.0.1';"
    echo "MariaDB on 127.0.0.1:$port ($dir)"
    ;;
stop)
    [ -f "$state" ] || exit 0
    . "$state"
    if [ -S "$DIR/s.sock" ]; then
        mariadb-admin --no-defaults --socket="$DIR/s.sock" -uroot shutdown > /dev/null 2>&1 || true
    fi
    if [ -f "$DIR/mariadbd.pid" ]; then
        pid=$(cat "$DIR/mariadbd.pid")
        tries=0
        while kill -0 "$pid" 2> /dev/null && [ "$tries" -lt 100 ]; do sleep 0.1; tries=$((tries + 1)); done
        kill -9 "$pid" 2> /dev/null || true
    fi
    rm -rf "$DIR" "$state"
    ;;
*)
    echo "usage: $0 start|stop STATE_FILE" >&2; exit 2 ;;
esac
