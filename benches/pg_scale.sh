#!/bin/bash
# A team book at scale: the same classified book on SQLite and on a
# throwaway PostgreSQL cluster, measured side by side in one run.
#
#   benches/pg_scale.sh BOOK.db            # start, copy up, measure, stop
#   PG_SCALE_DIR=/tmp/h28-pg benches/pg_scale.sh BOOK.db   # keep the cluster
#                                          # (and its copy) for the next run
#   benches/pg_scale.sh --stop DIR         # stop a kept cluster, delete it
#
# The cluster (initdb + pg_ctl, as the `postgres` user when run as root, on
# a free 127.0.0.1 port, trust authentication) lives in $PG_SCALE_DIR
# (default: a new /tmp/pg-scale-XXXX, stopped and deleted at the end). Its
# settings for a 1M book on this 2-core machine: shared_buffers=1GB (the
# hot tables fit), work_mem=64MB (the sweep's and copy's sorts stay in
# memory), maintenance_work_mem=512MB (index builds after COPY),
# effective_cache_size=8GB, max_wal_size=8GB (no checkpoint storm during the
# copy) and jit=off (JIT compiling costs 50-200 ms on a query the planner
# thinks is big, e.g. a first page over 1M rows: it is what a latency-bound
# client does not want). fsync stays on.
#
# BOOK is only read (`dossier copy --from BOOK`, `list`, `search`,
# `classify --dry-run` on a copy): the SQLite runs use a copy of it in the
# cluster folder, so a shared book is never written.
#
# Measured on both engines, ROUNDS times each (default 5), whole process:
#   first rows   `dossier list --limit 50`
#   search       `dossier search zhang` (PostgreSQL: the index is built from
#                one COPY per kind; cold = first run, then warm)
#   sweep        `dossier classify --json` (the daily sweep, due: the stamp
#                is cleared before each run)
#   TUI          first customer row on screen after launch (the whole
#                process in a tmux pane: connect, open, first page, first
#                frame), ROUNDS times; `benches/tui_ready.sh` (search
#                answered after launch, memory) once per engine.
#   FIRST_CLASSIFICATION=1 also times a sweep after every stored tag set
#                was deleted (every record's set written: the sweep's write
#                path at full size).
# and prints the median with min-max and the load average.
# DOSSIER: the binary (default target/release/dossier).
set -u
DOSSIER=${DOSSIER:-target/release/dossier}
ROUNDS=${ROUNDS:-5}

pg_bin() {
    local b
    b=$(command -v "$1" 2>/dev/null) && { echo "$b"; return; }
    ls -d /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -1
}
as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "${1:-}" = "--stop" ]; then
    as_pg "$(pg_bin pg_ctl)" -D "$2/data" -m fast -w stop
    rm -rf "$2"
    exit 0
fi

book=$1
keep=0
if [ -n "${PG_SCALE_DIR:-}" ]; then
    dir=$PG_SCALE_DIR
    keep=1
    mkdir -p "$dir"
else
    dir=$(mktemp -d /tmp/pg-scale-XXXX)
fi
[ "$(id -u)" = 0 ] && chown postgres: "$dir"
chmod 700 "$dir"

start_cluster() {
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        as_pg "$(pg_bin initdb)" -D "$dir/data" -U dossier_admin --auth=trust \
            --encoding=UTF8 --no-locale >/dev/null || exit 1
    fi
    if [ -f "$dir/port" ] && as_pg "$(pg_bin pg_ctl)" -D "$dir/data" status >/dev/null 2>&1; then
        port=$(cat "$dir/port")
        return
    fi
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    echo "$port" > "$dir/port"
    as_pg "$(pg_bin pg_ctl)" -D "$dir/data" -l "$dir/server.log" -w -t 120 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c shared_buffers=1GB -c work_mem=64MB -c maintenance_work_mem=512MB -c effective_cache_size=8GB -c max_wal_size=8GB -c jit=off -c max_connections=50" \
        start >/dev/null || { cat "$dir/server.log"; exit 1; }
}

# Seconds (wall) of one whole-process run of "$@", output discarded.
wall() {
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    t1=$(date +%s.%N)
    printf '%.3f\n' "$(echo "$t1 - $t0" | bc)"
}

# "median (min-max)" of the numbers on stdin.
summary() {
    sort -n | awk '{v[NR]=$1} END {m = (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2;
        printf "%.3f s (%.3f-%.3f, n=%d)", m, v[1], v[NR], NR}'
}

rounds() {
    local i
    for ((i = 0; i < ROUNDS; i++)); do wall "$@"; done | summary
}

load() { cut -d' ' -f1-3 /proc/loadavg; }

# Seconds from launch until the terminal UI shows its first customer row
# (whole process: connect, open, first page, first frame).
tui_first_rows() {
    local s=pg-scale-tui-$$ t0 t1
    t0=$(date +%s.%N)
    tmux new-session -d -s "$s" -x 120 -y 40 "$DOSSIER --db $1"
    # The first line under the table's header holds a name.
    while ! tmux capture-pane -p -t "$s" | sed -n 4p | grep -q '^│[^ │]'; do
        if (($(echo "$(date +%s.%N) - $t0 > 120" | bc))); then
            echo "(no first row after 120 s)" >&2
            break
        fi
        sleep 0.01
    done
    t1=$(date +%s.%N)
    tmux kill-session -t "$s"
    printf '%.3f\n' "$(echo "$t1 - $t0" | bc)"
}

start_cluster
admin="postgres://dossier_admin@127.0.0.1:$port"
psql_bin=$(pg_bin psql)
db=book_$(basename "$book" .db | tr -c 'a-zA-Z0-9\n' '_')
url="$admin/$db"
export DOSSIER_TEAM_INDEX_DIR=$dir/team-index
lite=$dir/$(basename "$book")
echo "# pg_scale: $book, ROUNDS=$ROUNDS, $($DOSSIER --version 2>/dev/null), $(date -u +%FT%TZ)"
echo "cluster: $dir (port $port), $("$psql_bin" -tA "$admin/postgres" -c 'SHOW server_version')"
if [ ! -f "$lite" ]; then
    cp "$book" "$lite"
    chmod 600 "$lite"
fi
if [ "$("$psql_bin" -tA "$admin/postgres" -c "SELECT count(*) FROM pg_database WHERE datname = '$db'")" = 0 ]; then
    "$psql_bin" -q "$admin/postgres" -c "CREATE DATABASE $db"
    t=$(wall "$DOSSIER" copy --from "$lite" --to "$url")
    echo "copy up (dossier copy, COPY FROM STDIN): $t s (load $(load))"
fi
echo "PostgreSQL data folder: $(du -sh "$dir/data" | cut -f1)"

for engine in sqlite postgres; do
    if [ $engine = sqlite ]; then target=$lite; else target=$url; fi
    echo "## $engine"
    # Bring both to today's sweep first, so the figures below are a
    # normal day's (the book was classified on another day).
    "$DOSSIER" --db "$target" classify --json >/dev/null 2>&1
    echo "first rows, dossier list customers --limit 50: $(rounds "$DOSSIER" --db "$target" list customers --limit 50) (load $(load))"
    if [ $engine = sqlite ]; then rm -f "$lite.search"; else rm -rf "$DOSSIER_TEAM_INDEX_DIR"; fi
    echo "search cold (index built), dossier search zhang: $(wall "$DOSSIER" --db "$target" search zhang) s (load $(load))"
    echo "search warm (index file, caught up), dossier search zhang: $(rounds "$DOSSIER" --db "$target" search zhang) (load $(load))"
    echo "daily sweep, dossier classify --json: $(rounds "$DOSSIER" --db "$target" classify --json) (load $(load))"
    "$DOSSIER" --db "$target" classify --json 2>/dev/null | python3 -c 'import json,sys; r=json.load(sys.stdin); print("  last sweep: changed", r.get("changed"), "phases (ms)", r.get("phases_ms"))' 2>/dev/null
    if command -v tmux >/dev/null; then
        firsts=$(for ((i = 0; i < ROUNDS; i++)); do tui_first_rows "$target"; done | summary)
        echo "TUI first customer row after launch: $firsts (load $(load))"
        # (All its output read: cutting it short would stop it before it
        # closes its tmux session.)
        ready=$(DOSSIER=$DOSSIER "$(dirname "$0")/tui_ready.sh" "$target")
        echo "TUI: ${ready//$'\n'/; }"
    fi
    if [ "${FIRST_CLASSIFICATION:-0}" = 1 ]; then
        # Every record's set written (as after a bulk import): the sweep's
        # write path at full size.
        if [ $engine = sqlite ]; then
            python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('DELETE FROM tag_sets'); c.commit()" "$lite"
        else
            "$psql_bin" -q "$url" -c "DELETE FROM tag_sets"
        fi
        echo "first classification (every set written): $(wall "$DOSSIER" --db "$target" classify --json) s (load $(load))"
    fi
done

if [ $keep = 0 ]; then
    as_pg "$(pg_bin pg_ctl)" -D "$dir/data" -m fast -w stop >/dev/null
    rm -rf "$dir"
else
    echo "cluster kept in $dir (stop: $0 --stop $dir)"
fi
