#!/usr/bin/env bash
# A headless-Chromium test against the built service: starts app/target/quarkus-app/quarkus-run.jar on a free port
# with its own embedded database, runs `node --test` in the client folder given (USAGE_BASE_URL and
# USAGE_ADMIN_TOKEN in its environment), and always stops the service. Installs what it needs: Debian's chromium
# when missing (as root), the npm packages of the folder's package-lock.json.
#   bash clients/chromium-test.sh clients/browser "browser test"
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
here="$(cd "$1" && pwd)"
label="$2"
jar="$root/app/target/quarkus-app/quarkus-run.jar"

if [[ ! -f "$jar" ]]; then
  echo "== building the service jar"
  (cd "$root" && ./mvnw -B --no-transfer-progress -pl app -am package -DskipTests)
fi
if ! command -v chromium >/dev/null; then
  echo "== installing Debian's chromium"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
cd "$here"
npm ci --no-audit --no-fund --loglevel=error

work="$(mktemp -d)"
port="$(node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })")"
admin_token="browser-test-$(node -e "console.log(require('crypto').randomBytes(16).toString('hex'))")"
app_pid=""
stop() {
  if [[ -n "$app_pid" ]] && kill -0 "$app_pid" 2>/dev/null; then
    kill "$app_pid"
    wait "$app_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap stop EXIT

echo "== starting the service on 127.0.0.1:$port"
USAGE_DATA_DIR="$work/data" USAGE_ADMIN_TOKEN="$admin_token" QUARKUS_HTTP_PORT="$port" QUARKUS_HTTP_HOST=127.0.0.1 \
  java -Xmx512m -jar "$jar" >"$work/app.log" 2>&1 &
app_pid=$!
for _ in $(seq 1 180); do
  if ! kill -0 "$app_pid" 2>/dev/null; then
    echo "the service exited before it was ready:"; cat "$work/app.log"; exit 1
  fi
  if curl -sf "http://127.0.0.1:$port/q/health/ready" >/dev/null; then
    break
  fi
  sleep 1
done
if ! curl -sf "http://127.0.0.1:$port/q/health/ready" >/dev/null; then
  echo "the service was not ready in 180 s:"; cat "$work/app.log"; exit 1
fi

echo "== $label (headless Chromium)"
status=0
USAGE_BASE_URL="http://127.0.0.1:$port" USAGE_ADMIN_TOKEN="$admin_token" node --test || status=$?
if [[ $status -ne 0 ]]; then
  echo "== the service's log"; tail -n 100 "$work/app.log"
fi
exit $status
