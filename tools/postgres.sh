#!/usr/bin/env bash
# Make sure a PostgreSQL server answers, sourced by the other tools.
# Order: the server PGHOST/PGPORT (or the local socket) point to; if none
# answers, a private cluster under $CACHE_DIR/pg, started with initdb/pg_ctl
# (when we are root: as the `postgres` system user, since initdb refuses root,
# under /var/cache/client_status/pg, since that user cannot enter /root).
# Odoo refuses the `postgres` role: it connects as the current user, which the
# private cluster creates as a superuser.

pg_bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$dir" ] && [ -x "$dir/initdb" ] && { printf '%s\n' "$dir"; return; }
    command -v initdb >/dev/null && { dirname "$(command -v initdb)"; return; }
    return 1
}

ensure_postgres() {
    [ -n "$PGHOST" ] && export PGHOST
    export PGPORT
    if pg_isready -q; then
        return 0
    fi
    if [ -z "$PGHOST" ] && command -v pg_lsclusters >/dev/null; then
        local version cluster
        read -r version cluster _ < <(pg_lsclusters --no-header | awk -v p="$PGPORT" '$3 == p') || true
        if [ -n "${cluster:-}" ]; then
            log "starting the system PostgreSQL cluster $version/$cluster"
            pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start || true
            pg_isready -q -t 10 && return 0
        fi
    fi
    start_private_cluster
}

start_private_cluster() {
    local bindir pgdir data run runas=() me
    bindir=$(pg_bindir) || die "no PostgreSQL server answers and none is installed (apt-get install postgresql)"
    pgdir=${PG_DIR:-$CACHE_DIR/pg}
    me=$(id -un)
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || die "initdb refuses root and there is no postgres user to run it as"
        runas=(runuser -u postgres --)
        pgdir=${PG_DIR:-/var/cache/client_status/pg}
    fi
    data=$pgdir/data
    run=$pgdir/run
    if PGHOST=$run pg_isready -q; then
        export PGHOST=$run
        return 0
    fi
    mkdir -p "$data" "$run"
    [ ${#runas[@]} -eq 0 ] || chown -R postgres "$pgdir"
    if [ ! -f "$data/PG_VERSION" ]; then
        log "initialising a private PostgreSQL cluster in $data"
        "${runas[@]}" "$bindir/initdb" -D "$data" -U postgres --auth=trust -E UTF8 >/dev/null
    fi
    log "starting the private PostgreSQL cluster (socket $run, port $PGPORT)"
    "${runas[@]}" "$bindir/pg_ctl" -D "$data" -l "$pgdir/server.log" -w \
        -o "-k $run -p $PGPORT -c listen_addresses=''" start >/dev/null
    export PGHOST=$run
    psql -U postgres -d postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$me'" | grep -q 1 \
        || psql -q -U postgres -d postgres -c "CREATE ROLE \"$me\" SUPERUSER LOGIN"
    pg_isready -q -t 10 || die "the private PostgreSQL cluster did not start (see $pgdir/server.log)"
}
