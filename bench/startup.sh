#!/usr/bin/env bash
# Time to ready: starts the built service through bin/usage-events against this machine's PostgreSQL
# (127.0.0.1:5432, database usage_startup created anew) RUNS times (default 5), each time measuring from the launch
# to the first 200 of /q/health/ready, then stops it. JAVA_OPTS are passed on (e.g. an AppCDS or AOT cache).
#   bash bench/startup.sh
#   JAVA_OPTS=-XX:SharedArchiveFile=/tmp/usage.jsa bash bench/startup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${RUNS:-5}"
port="${BENCH_PORT:-18091}"
db=usage_startup
password=usage_startup_password
psql_admin() { runuser -u postgres -- psql -v ON_ERROR_STOP=1 -q -d postgres "$@"; }
psql_admin -c "drop database if exists ${db}" -c "drop role if exists ${db}"
psql_admin -c "create role ${db} login password '${password}'" -c "create database ${db} owner ${db}"
times=()
for run in $(seq 1 "$runs"); do
  log=$(mktemp)
  launched=$(date +%s%N)
  QUARKUS_HTTP_PORT="$port" QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/${db}" \
  QUARKUS_DATASOURCE_USERNAME="$db" QUARKUS_DATASOURCE_PASSWORD="$password" bin/usage-events >"$log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:${port}/q/health/ready"; do
    kill -0 "$pid" 2>/dev/null || { cat "$log"; exit 1; }
    sleep 0.05
  done
  ms=$(( ($(date +%s%N) - launched) / 1000000 ))
  kill -0 "$pid" 2>/dev/null || { echo "the service exited (is port ${port} taken? set BENCH_PORT):"; cat "$log"; exit 1; }
  times+=("$ms")
  echo "run $run: ready ${ms} ms after launch; $(grep -o 'started in [0-9.]*s' "$log" | head -1) by Quarkus' count"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -f "$log"
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "median %d ms, min %d ms, max %d ms over %d runs\n", a[int((NR+1)/2)], a[1], a[NR], NR}'
