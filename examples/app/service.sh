#!/bin/sh
# The example's application: a service that starts two workers and never forwards a signal
# to them, like many real ones. Each worker logs the SIGTERM it gets. Under pidone they get
# it even though the service does not pass it on: when the service exits, pidone sends
# SIGTERM to everything left and waits its grace period (--grace, 5s) before SIGKILL.

worker() {
  sleep 100000 &
  nap=$!
  trap 'echo "worker $1: got SIGTERM, exiting"; kill $nap 2>/dev/null; exit 0' TERM
  echo "worker $1: running"
  wait $nap
}

worker 1 &
worker 2 &
echo "service: started 2 workers"
wait
