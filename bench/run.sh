#!/usr/bin/env bash
# One command for the benchmark: builds the service, starts it against this machine's PostgreSQL
# (127.0.0.1:5432, database usage_bench created anew), measures the raw PostgreSQL baselines and the service's
# channels (the bench module's Java client drives them, with pgbench for baseline 1a and wrk for measurement 2),
# prints the table with ratios, and stops the service.
#   bash bench/run.sh            # 20 s warm-up per channel, then 15 s per measurement (after 8 s unmeasured)
#   BENCH_SECONDS=30 BENCH_SERVICE_WARMUP=60 bash bench/run.sh
#   BENCH_ONLY=2,5 bash bench/run.sh   # only these measurements (and the baselines they are compared with)
#   BENCH_ONLY=7 bash bench/run.sh     # only the meter's calculate over a customer-month of 1,000,000 events
#   BENCH_DB=usage_bench_2 BENCH_PORT=18091 bash bench/run.sh   # beside another run (its own database and port)
#   BENCH_FULL_STORE=30000000 bash bench/run.sh   # also: ingest on an empty store, then on a store of that many
#                                                  # events (loaded with SQL, 13 months), and the ratios full/empty
#   BENCH_ONLY=F BENCH_FULL_STORE=30000000 bash bench/run.sh   # the full-store measurements only
#   BENCH_ONLY=2,3,4,5,F BENCH_FULL_STORE=30000000 bash bench/run.sh   # issue 20's table on an empty store, then
#                                                  # the full-store ratios, then issue 20's table on the full store
#   BENCH_KEEP_DB=1 BENCH_ONLY=2,3,4,5 bash bench/run.sh   # on the database an earlier run left (not made anew):
#                                                  # the store as it is, in the account holding the most events
#   BENCH_PG_PORT=55439 bash bench/run.sh   # another PostgreSQL on 127.0.0.1 (its superuser postgres reachable
#                                           # over TCP), e.g. one with the settings the README gives operators
#   BENCH_ONLY=8 bash bench/run.sh     # the first 30 s after start against 30 s after the warm-up
#   BENCH_APP_JAVA_OPTS='-XX:TieredStopAtLevel=1' bash bench/run.sh   # JVM options added to bin/usage-events'
#
# Measurement 9, meters at scale (issue 16), runs only when asked (it is long: the load alone takes a while):
#   BENCH_ONLY=9 bash bench/run.sh                  # 9 alone (or BENCH_METERS=1 to add it to the others)
#   BENCH_ONLY=9f bash bench/run.sh                 # only its ingest with 5 meters against without (no load)
#   BENCH_KEEP_DB=1 BENCH_ONLY=9e,9c BENCH_DB=... bash bench/run.sh   # only these questions, on a kept store
#   BENCH_ONLY=9 BENCH_METER_EVENTS=300000 BENCH_DB=usage_bench_c BENCH_PORT=18190 bash bench/run.sh  # small
#   BENCH_KEEP_DB=1 BENCH_ONLY=9 BENCH_DB=... bash bench/run.sh   # on the store and meters an earlier run of 9 left
#                                                                 # in that database (no load; its largest account)
# It starts a second service on the same database, on BENCH_RAW_PORT (default BENCH_PORT + 1), with
# BENCH_RAW_ENV (default USAGE_METERS_ROLLUPS_ENABLED=false QUARKUS_HTTP_IDLE_TIMEOUT=30M: it computes every
# meter answer on read, neither building nor reading pre-aggregates, and keeps a connection open while it does),
# and asks both the same questions; every answer of the first must equal the second's. The loader (SQL, in Bench.loadMeterEvents) puts BENCH_METER_EVENTS (default 20,000,000) events
# into one new account straight into the monthly partitions (made first), each key claimed in usage_event_keys,
# in chunks of 500,000 (one transaction each, progress printed) without the indexes, which are built after (as a
# restore does), then VACUUM (ANALYZE) and a CHECKPOINT:
#   - times over 13 calendar months (UTC): the 12 before the current one, and the current one up to the load;
#     none within 6 h of Mantle's rolling edges at the load (24 h, 7, 30, 90, 365 days back) nor in the last 6 h,
#     so that GET /v1/customer answers the same for 6 h after the load;
#   - a tenth of the events are the largest customer's (customer-1: 2,000,000 of 20,000,000), all in the previous
#     calendar month; the rest go to BENCH_METER_CUSTOMERS customers (default events / 300, within 100..10,000)
#     by a Zipf-like law (rank floor((N + 1)^u), u uniform: customer-1 7.5%, customer-2 4.4%, ...), customer-1's
#     outside that month;
#   - 4 of 5 are api-request with {"tokens": 1..1000, "user": "user-0".."user-2000", "seats": 1..50,
#     "latency_ms": 0.0..2000.0}; the others message-sent, login, export, sync;
#   - event ids random UUIDv4 (one in ten a UUIDv7 of its time), row ids UUIDv7 of the receipt (2 s later).
# Then 5 meters on api-request (Sequence POST /api/usage-metrics: COUNT, SUM tokens, UNIQUE user, MAX latency_ms,
# LATEST seats), customer-1 identified through Mantle (its token for GET /v1/customer), the pre-aggregates awaited
# (meter_months rows = meters x months, or no growth for 600 s), and per question the p99 of BENCH_METER_CALLS
# (default 100, after at least 10 unmeasured and BENCH_METER_WARMUP_SECONDS of them, default 15, and until the
# service's JIT compiler threads used at most 1% of 5 s, for at most 120 s more) calls against BENCH_RAW_CALLS
# (default 5, after BENCH_RAW_WARMUP, default 1) calls of the raw service; last, the ingest rate with the 5 meters
# against without (9f).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${BENCH_SECONDS:-15}"
port="${BENCH_PORT:-18090}"
meters=""
if [ -n "${BENCH_METERS:-}" ] || [[ ",${BENCH_ONLY:-}," =~ ,9[a-e]?, ]]; then meters=1; fi
raw_port="${BENCH_RAW_PORT:-$((port + 1))}"
raw_env="${BENCH_RAW_ENV-USAGE_METERS_ROLLUPS_ENABLED=false QUARKUS_HTTP_IDLE_TIMEOUT=30M}"
db="${BENCH_DB:-usage_bench}"
password=usage_bench_password
token="bench-$RANDOM$RANDOM"

# PostgreSQL with pgbench (the load client of baseline 1a), and wrk (the load client of measurement 2).
missing=()
command -v pg_ctlcluster >/dev/null 2>&1 || missing+=(postgresql)
command -v pgbench >/dev/null 2>&1 || missing+=(postgresql-client)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
pg_port="${BENCH_PG_PORT:-5432}"
if [ "$pg_port" = 5432 ] && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -n | tail -1)" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
if [ "$pg_port" = 5432 ]; then
  psql_admin() { runuser -u postgres -- psql -v ON_ERROR_STOP=1 -q -d postgres "$@"; }
else
  psql_admin() { psql -h 127.0.0.1 -p "$pg_port" -U postgres -v ON_ERROR_STOP=1 -q -d postgres "$@"; }
fi
if [ -z "${BENCH_KEEP_DB:-}" ]; then
  psql_admin -c "drop database if exists ${db}" -c "drop role if exists ${db}"
  psql_admin -c "create role ${db} login password '${password}'" -c "create database ${db} owner ${db}"
fi
psql_admin -c "alter database ${db} set log_min_duration_statement = ${BENCH_LOG_SLOWER_THAN_MS:--1}"
psql_admin -c "grant pg_checkpoint to ${db}"   # the full-store load ends with a CHECKPOINT

./mvnw -B -q --no-transfer-progress package -DskipTests -pl app,bench -am

jdbc="jdbc:postgresql://127.0.0.1:${pg_port}/${db}"
log=$(mktemp)
# The service as the README starts it: bin/usage-events, with its JVM options (BENCH_APP_JAVA_OPTS adds to them,
# as JAVA_OPTS does for a user). The launcher execs java: $! is the JVM, whose peak RSS measurement 6 reads.
launched=$(date +%s%N)
QUARKUS_HTTP_PORT="$port" QUARKUS_DATASOURCE_JDBC_URL="$jdbc" QUARKUS_DATASOURCE_USERNAME="$db" \
QUARKUS_DATASOURCE_PASSWORD="$password" USAGE_ADMIN_TOKEN="$token" JAVA_OPTS="${BENCH_APP_JAVA_OPTS:-}" \
  bin/usage-events >"$log" 2>&1 &
app_pid=$!
raw_pid=""
raw_log=$(mktemp)
trap 'kill $app_pid $raw_pid 2>/dev/null; wait $app_pid $raw_pid 2>/dev/null || true; rm -f "$log" "$raw_log"' EXIT
for _ in $(seq 1 900); do
  curl -sf "http://127.0.0.1:${port}/q/health/ready" >/dev/null && break
  kill -0 "$app_pid" 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.1
done
ready_ms=$(( ($(date +%s%N) - launched) / 1000000 ))
sleep 0.2
kill -0 "$app_pid" 2>/dev/null || { echo "the service exited (is port ${port} taken? set BENCH_PORT):"; cat "$log"; exit 1; }
echo "service ready ${ready_ms} ms after launch (bin/usage-events${BENCH_APP_JAVA_OPTS:+, JAVA_OPTS=$BENCH_APP_JAVA_OPTS}); $(grep -o 'started in [0-9.]*s' "$log" | head -1) by Quarkus' count"

if [ -n "$meters" ]; then
  # (9)'s second service: the same database, its meter answers computed on read.
  # shellcheck disable=SC2086 # raw_env holds NAME=value words
  env QUARKUS_HTTP_PORT="$raw_port" QUARKUS_DATASOURCE_JDBC_URL="$jdbc" QUARKUS_DATASOURCE_USERNAME="$db" \
    QUARKUS_DATASOURCE_PASSWORD="$password" USAGE_ADMIN_TOKEN="$token" JAVA_OPTS="${BENCH_APP_JAVA_OPTS:-}" \
    $raw_env bin/usage-events >"$raw_log" 2>&1 &
  raw_pid=$!
  for _ in $(seq 1 900); do
    curl -sf "http://127.0.0.1:${raw_port}/q/health/ready" >/dev/null && break
    kill -0 "$raw_pid" 2>/dev/null || { echo "the compute-on-read service exited (is port ${raw_port} taken? set BENCH_RAW_PORT):"; cat "$raw_log"; exit 1; }
    sleep 0.1
  done
  echo "compute-on-read service ready on port ${raw_port} (${raw_env:-no extra environment})"
fi

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -m), $(psql --version | head -1), $(java -version 2>&1 | head -1), $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)"
java -Xmx512m -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.usageevents.bench.Bench \
  --jdbc-url="$jdbc" --db-user="$db" --db-password="$password" \
  --app="http://127.0.0.1:${port}" --admin-token="$token" --app-pid="$app_pid" --seconds="$seconds" \
  --wrk-script=bench/wrk/sequence.lua \
  --service-warmup="${BENCH_SERVICE_WARMUP:-20}" ${BENCH_ONLY:+--only="$BENCH_ONLY"} \
  ${BENCH_FULL_STORE:+--full-store="$BENCH_FULL_STORE"} ${BENCH_KEEP_DB:+--keep-store=1} \
  ${meters:+--app-raw="http://127.0.0.1:${raw_port}" --meter-events="${BENCH_METER_EVENTS:-20000000}"} \
  ${meters:+--meter-calls="${BENCH_METER_CALLS:-100}" --raw-calls="${BENCH_RAW_CALLS:-5}"} \
  ${meters:+--raw-warmup="${BENCH_RAW_WARMUP:-1}" --meter-warmup-seconds="${BENCH_METER_WARMUP_SECONDS:-15}"} \
  ${BENCH_METER_CUSTOMERS:+--meter-customers="$BENCH_METER_CUSTOMERS"}

echo
echo "group commit over the whole run:"
curl -s "http://127.0.0.1:${port}/q/metrics" | grep -E '^usage_commit_(groups_total|group_(events|requests)_(count|sum|max)|duration_seconds_(count|sum|max))' || true
