#!/usr/bin/env bash
# The seed's three problems, each with a naive PID 1 and then with pidone, in real PID
# namespaces (util-linux unshare/nsenter; needs root). Every wait is bounded, and every
# namespace dies with its PID 1 (--kill-child), so nothing outlives the demo.
set -uo pipefail
PIDONE=$(readlink -f "${1:-build/release/pidone}")
[ -x "$PIDONE" ] || { echo "demo: no pidone at $PIDONE (run make build)" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "demo: needs root to create PID namespaces" >&2; exit 2; }
UNSHARE=(unshare --pid --fork --mount-proc --kill-child)

# The host PID of the namespace's PID 1 under unshare process $1. It refuses anything that is
# not PID 1 of a namespace other than ours: `kill 1` must never reach this machine's init.
pid1_of() {
  local u=$1 c i
  for i in $(seq 200); do
    c=$(awk '{print $1}' "/proc/$u/task/$u/children" 2>/dev/null)
    if [ -n "$c" ] && awk '/^NSpid:/ { exit !(NF == 3 && $3 == 1) }' "/proc/$c/status" 2>/dev/null
    then echo "$c"; return 0; fi
    sleep 0.01
  done
  echo "demo: no PID 1 of a new namespace under $u" >&2
  return 1
}
alive() { kill -0 "$1" 2>/dev/null; }
gone_within() { local i; for i in $(seq "$(($1 * 20))"); do alive "$2" || return 0; sleep 0.05; done; return 1; }
zombies_in() { nsenter -t "$1" -p -m ps -e -o stat= | grep -c '^Z'; }
# Ends a namespace: SIGKILL to unshare ($2), whose --kill-child then SIGKILLs PID 1 ($1).
finish() { kill -KILL "$2" 2>/dev/null; wait "$2" 2>/dev/null; gone_within 5 "$1"; }
say() { printf '\n== %s\n' "$*"; }

say "1. 'kill 1' from inside the container (as docker exec ... kill 1)"
"${UNSHARE[@]}" sh -c 'sleep 30; exit 0' & u=$!
p=$(pid1_of $u) || exit 1
nsenter -t "$p" -p -m kill -TERM 1
if gone_within 1 "$p"; then echo "   sh:     died (unexpected)"
else echo "   sh:     still running: it has no SIGTERM handler, so the kernel drops SIGTERM sent to an init"; fi
finish "$p" $u
"${UNSHARE[@]}" "$PIDONE" -- sleep 30 & u=$!
p=$(pid1_of $u) || exit 1
nsenter -t "$p" -p -m kill -TERM 1
if gone_within 5 "$p"; then wait $u; echo "   pidone: forwarded SIGTERM to sleep and exited with its status, $? (128+15)"
else echo "   pidone: still running (unexpected)"; finish "$p" $u; fi

say "2. zombies: orphans of a PID 1 that never calls wait()"
orphans='for i in $(seq 20); do sh -c "sleep 0.1 & exit 0"; done; exec sleep 30'
"${UNSHARE[@]}" sh -c "$orphans" & u=$!
p=$(pid1_of $u) || exit 1
sleep 1
echo "   sleep as PID 1 (never waits): $(zombies_in "$p") zombies"
finish "$p" $u
"${UNSHARE[@]}" "$PIDONE" -- sh -c "$orphans" & u=$!
p=$(pid1_of $u) || exit 1
sleep 1
echo "   pidone as PID 1:              $(zombies_in "$p") zombies (orphans are reparented to it and reaped)"
finish "$p" $u

say "3. docker stop: do the other processes get SIGTERM?"
worker='trap "echo \"   worker: got SIGTERM, cleaning up\"; exit 0" TERM; while :; do sleep 1 & wait $!; done'
main="sh -c '$worker' & trap 'exit 0' TERM; while :; do sleep 1 & wait \$!; done"
echo "   sh as PID 1 exits on SIGTERM, then the kernel SIGKILLs the worker (no line from it):"
"${UNSHARE[@]}" sh -c "$main" & u=$!
p=$(pid1_of $u) || exit 1
sleep 0.5; kill -TERM "$p"; gone_within 5 "$p"; wait $u 2>/dev/null
echo "   pidone forwards SIGTERM; when the main child exits it sends SIGTERM to the rest:"
"${UNSHARE[@]}" "$PIDONE" -- sh -c "$main" & u=$!
p=$(pid1_of $u) || exit 1
sleep 0.5; kill -TERM "$p"; gone_within 5 "$p"; wait $u 2>/dev/null
echo
