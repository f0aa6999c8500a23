#!/usr/bin/env bash
# `dossier search` against `fzf --filter` on the same generated book: whole
# process, wall time and peak memory, median of ROUNDS runs, the two tools
# interleaved run by run so machine load hits both alike. Prints one line per
# size and query, and the ratio dossier / fzf (below 1: dossier is faster).
#
#   benches/fzf_compare.sh                 # 10000 100000 1000000
#   benches/fzf_compare.sh 10000 100000    # chosen sizes
#
# DOSSIER     the binary (default target/release/dossier; build it first)
# DOSSIER_BENCH_BOOKS  where books are kept (default /tmp/dossier-bench-books,
#             shared with the cargo benches); delete the 1M book when done
# ROUNDS      runs per tool and query (default 5)
# QUERY_LIST  queries, comma-separated (default: the seven of issue 15)
#
# fzf gets one line per customer, "name company city", exported from the
# same book; dossier searches its whole book (customers, deals, products,
# activities) and prints the best 200. fzf is installed from Debian's
# packages if it is missing.
set -euo pipefail

DOSSIER=${DOSSIER:-target/release/dossier}
DIR=${DOSSIER_BENCH_BOOKS:-/tmp/dossier-bench-books}
ROUNDS=${ROUNDS:-5}
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(10000 100000 1000000)
QUERIES=(zhang zhangwei shkj chongqing 138 acme "wang fang")
if [ -n "${QUERY_LIST:-}" ]; then IFS=, read -r -a QUERIES <<<"$QUERY_LIST"; fi

if ! command -v fzf >/dev/null; then
    echo "fzf is missing: installing it from Debian's packages" >&2
    if [ "$(id -u)" -eq 0 ]; then apt-get install -y fzf >&2; else sudo apt-get install -y fzf >&2; fi
fi
if [ ! -x "$DOSSIER" ]; then
    echo "no dossier binary at $DOSSIER — run: cargo build --release" >&2
    exit 1
fi
mkdir -p "$DIR"

# One run: prints "wall_seconds peak_kb cpu_seconds" (CPU: user + system,
# which other work on the machine inflates far less than wall time).
measure() {
    local out
    out=$(mktemp)
    /usr/bin/time -f "%e %M %U %S" -o "$out" "$@" >/dev/null 2>&1 || true
    tail -n 1 "$out" | awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }'
    rm -f "$out"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

load() { cut -d' ' -f1-3 /proc/loadavg; }

printf '%-8s %-10s %9s %8s %9s %9s %8s %8s %6s %6s  %s\n' \
    size query dossier_s cpu_s peak_MB fzf_s cpu_s peak_MB ratio cpu_r load
for n in "${SIZES[@]}"; do
    book="$DIR/gen-$n-classified.db"
    lines="$DIR/gen-$n-classified.txt"
    if [ ! -f "$book" ]; then
        echo "generating and classifying $book …" >&2
        rm -f "$book.part"*
        "$DOSSIER" --db "$book.part" gen --customers "$n" >&2
        "$DOSSIER" --db "$book.part" classify >/dev/null
        mv "$book.part" "$book"
    fi
    if [ ! -f "$lines" ]; then
        sqlite3 "file:$book?mode=ro" \
            "SELECT name || ' ' || company || ' ' || city FROM customers WHERE deleted_at IS NULL" \
            >"$lines"
    fi
    if [ ! -f "$book.search" ]; then
        # The first search of a book builds its index file (book.db.search);
        # every later one maps it. Timed apart: "wall peak_kb cpu".
        echo "building the search index of $book: $(measure "$DOSSIER" --db "$book" search zhang --limit 1)" >&2
    fi
    for q in "${QUERIES[@]}"; do
        d=$(mktemp)
        f=$(mktemp)
        for _ in $(seq "$ROUNDS"); do
            measure "$DOSSIER" --db "$book" search "$q" --limit 200 >>"$d"
            measure sh -c 'fzf --filter "$1" < "$2"' sh "$q" "$lines" >>"$f"
        done
        ds=$(cut -d' ' -f1 "$d" | median)
        dm=$(cut -d' ' -f2 "$d" | median)
        dc=$(cut -d' ' -f3 "$d" | median)
        fs=$(cut -d' ' -f1 "$f" | median)
        fm=$(cut -d' ' -f2 "$f" | median)
        fc=$(cut -d' ' -f3 "$f" | median)
        ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
        printf '%-8s %-10s %9s %8s %9d %9s %8s %8d %6s %6s  %s\n' \
            "$n" "$q" "$ds" "$dc" $((dm / 1024)) "$fs" "$fc" $((fm / 1024)) \
            "$(ratio "$ds" "$fs")" "$(ratio "$dc" "$fc")" "$(load)"
        rm -f "$d" "$f"
    done
done
