#!/bin/bash
# How soon the terminal UI answers a search after it starts, and its memory.
#
#   benches/tui_ready.sh BOOK [QUERY] [EXPECT]
#
# Starts `dossier --db BOOK` in a detached tmux session (120x40), presses
# Ctrl-K, types QUERY (default zhang) and polls the screen until EXPECT (a
# regular expression, default "customer  *张": a result line of the search
# pane, kind then name, which the customer list does not show) shows; prints the seconds from launch, the
# load average, and the process's memory from /proc: RssAnon (heap),
# RssFile (file-backed pages: the mapped search index and SQLite's mapped
# database) and VmHWM (peak, file pages included). Needs tmux and bc.
# DOSSIER: the binary (default target/release/dossier).
set -u
book=$1
q=${2:-zhang}
expect=${3:-customer  *张}
DOSSIER=${DOSSIER:-target/release/dossier}
s=dossier-ready-$$
start=$(date +%s.%N)
tmux new-session -d -s "$s" -x 120 -y 40 "$DOSSIER --db $book"
sleep 0.3
tmux send-keys -t "$s" C-k
sleep 0.2
tmux send-keys -t "$s" -l "$q"
while ! tmux capture-pane -p -t "$s" | grep -q "$expect"; do
    if (($(echo "$(date +%s.%N) - $start > 300" | bc))); then
        echo "no answer after 300 s" >&2
        break
    fi
    sleep 0.05
done
end=$(date +%s.%N)
echo "search answered $(echo "$end - $start" | bc) s after launch (load $(cut -d' ' -f1-3 /proc/loadavg))"
pid=$(pgrep -f "^$DOSSIER --db $book" | head -1)
sleep 1
grep -E "VmHWM|RssAnon|RssFile" "/proc/$pid/status" | tr -s ' \t' ' ' | tr '\n' ' '
echo
tmux kill-session -t "$s"
