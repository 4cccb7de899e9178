# A throw-away PostgreSQL server for the tests; sourced by .ci/run and .ci/test-on-postgres.
#
# install_postgres  installs Debian's postgresql package when no server binaries are here
#                   (as root, non-interactively); fails quietly where that is impossible.
# start_postgres    initdb + pg_ctl on a free port of 127.0.0.1 in a temporary folder,
#                   trust authentication, no fsync (nothing here must survive a crash);
#                   exports WINDYKACJA_TEST_PG and stops and deletes the server on exit.
#
# The cluster sorts text by Polish rules (ICU "pl-PL") where the server supports it, as an
# office's server would: a test that expects SQLite's order then shows whether the code
# asked for a deterministic one.

pg_bin_dir() {
    # Debian keeps initdb and pg_ctl in /usr/lib/postgresql/N/bin, off the PATH.
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
        return 0
    fi
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$found" ] && [ -x "$found/initdb" ] && echo "$found"
}

install_postgres() {
    [ -n "$(pg_bin_dir)" ] && return 0
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        echo "PostgreSQL is not installed and cannot be installed here (needs root and apt-get)."
        return 1
    fi
    echo "Installing PostgreSQL from the distribution's packages ..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null &&
        apt-get install -y -qq --no-install-recommends postgresql >/dev/null </dev/null || {
        echo "Installing PostgreSQL failed."
        return 1
    }
    [ -n "$(pg_bin_dir)" ]
}

# Runs a command as the server's owner: root may not run the server, so as root that is
# the postgres user (which Debian's package creates); anyone else runs it as themselves.
_as_pg_owner() {
    if [ "$(id -u)" = 0 ]; then
        su postgres -s /bin/sh -c "$1"
    else
        sh -c "$1"
    fi
}

start_postgres() {
    local bin data port icu
    bin=$(pg_bin_dir) || return 1
    [ -n "$bin" ] || return 1
    if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
        echo "No postgres user to run the server as."
        return 1
    fi
    data=$(mktemp -d /tmp/windykacja-pg.XXXXXX)
    [ "$(id -u)" = 0 ] && chown postgres "$data"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    icu="--locale-provider=icu --icu-locale=pl-PL --locale=C.UTF-8"
    if ! _as_pg_owner "'$bin/initdb' -D '$data/db' -A trust -U postgres -E UTF8 $icu" >"$data/initdb.log" 2>&1; then
        rm -rf "$data/db"  # a server without ICU: its default collation
        _as_pg_owner "'$bin/initdb' -D '$data/db' -A trust -U postgres -E UTF8" >"$data/initdb.log" 2>&1 || {
            echo "initdb failed:"; cat "$data/initdb.log"; rm -rf "$data"; return 1
        }
    fi
    _as_pg_owner "'$bin/pg_ctl' -D '$data/db' -l '$data/db/server.log' -w -o '-p $port -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200' start" >/dev/null || {
        echo "The PostgreSQL server did not start:"; cat "$data/db/server.log"; rm -rf "$data"; return 1
    }
    # shellcheck disable=SC2064  # the folder and binaries are fixed now
    trap "_as_pg_owner \"'$bin/pg_ctl' -D '$data/db' -m immediate stop\" >/dev/null 2>&1; rm -rf '$data'" EXIT
    export WINDYKACJA_TEST_PG="postgresql://postgres@127.0.0.1:$port/postgres"
}
