#!/usr/bin/env bash
# Runs the Node.js gRPC client's tests against the built service:
#   ./mvnw -pl app -am package -DskipTests && bash clients/node/ci.sh
# Starts app/target/quarkus-app/quarkus-run.jar on a free local port with its own embedded PostgreSQL in a
# temporary directory, creates an account through the admin API, runs `npm test` with its Sequence credentials,
# and always stops the service.
set -euo pipefail

NODE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$NODE_DIR/../.." && pwd)"
JAR="$ROOT/app/target/quarkus-app/quarkus-run.jar"
STARTUP_SECONDS="${USAGE_CI_STARTUP_SECONDS:-180}"

if [[ ! -f "$JAR" ]]; then
  echo "node-client: $JAR is missing; build it first: ./mvnw -pl app -am package -DskipTests" >&2
  exit 1
fi

(cd "$NODE_DIR" && npm ci --no-audit --no-fund)

WORK="$(mktemp -d "${TMPDIR:-/tmp}/usage-events-node-ci.XXXXXX")"
PORT="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
TOKEN="$(node -e "console.log(require('crypto').randomBytes(24).toString('hex'))")"
BASE="http://127.0.0.1:$PORT"
APP_PID=""

stop_app() {
  local status=$?
  if [[ -n "$APP_PID" ]] && kill -0 "$APP_PID" 2>/dev/null; then
    kill -TERM "$APP_PID" 2>/dev/null || true
    for _ in $(seq 1 60); do
      kill -0 "$APP_PID" 2>/dev/null || break
      sleep 0.5
    done
    if kill -0 "$APP_PID" 2>/dev/null; then
      echo "node-client: the service did not stop in 30 s; killing it" >&2
      kill -KILL "$APP_PID" 2>/dev/null || true
    fi
    wait "$APP_PID" 2>/dev/null || true
  fi
  if [[ $status -ne 0 && -f "$WORK/app.log" ]]; then
    echo "node-client: failed; the last lines of the service's log:" >&2
    tail -n 60 "$WORK/app.log" >&2
  fi
  rm -rf "$WORK"
  exit $status
}
trap stop_app EXIT

echo "node-client: starting the service on $BASE (data in $WORK)"
USAGE_DATA_DIR="$WORK/data" USAGE_ADMIN_TOKEN="$TOKEN" QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$PORT" \
  java -jar "$JAR" >"$WORK/app.log" 2>&1 &
APP_PID=$!

deadline=$((SECONDS + STARTUP_SECONDS))
until curl -sf -o /dev/null "$BASE/q/health/ready"; do
  if ! kill -0 "$APP_PID" 2>/dev/null; then
    echo "node-client: the service exited during start" >&2
    exit 1
  fi
  if ((SECONDS >= deadline)); then
    echo "node-client: the service was not ready within $STARTUP_SECONDS s" >&2
    exit 1
  fi
  sleep 1
done
echo "node-client: the service is ready"

ACCOUNT="$(curl -sf -X POST "$BASE/admin/accounts" -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/json' -d '{"name":"node-ci"}')"
read_field() {
  node -e "const a=JSON.parse(process.argv[1]); console.log(a.sequence[process.argv[2]])" "$ACCOUNT" "$1"
}
CLIENT_ID="$(read_field clientId)"
CLIENT_SECRET="$(read_field clientSecret)"

cd "$NODE_DIR"
USAGE_GRPC_ADDRESS="127.0.0.1:$PORT" USAGE_CLIENT_ID="$CLIENT_ID" USAGE_CLIENT_SECRET="$CLIENT_SECRET" npm test
