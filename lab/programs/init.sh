#!/bin/bash
# init.sh: the seed's bash init, a loop of `sleep 100`. bash running a script installs no
# SIGTERM handler, so as PID 1 it ignores `kill 1` from inside its namespace.
while true; do
  sleep 100
done
