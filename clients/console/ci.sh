#!/usr/bin/env bash
# The console test: the web console from sign-in to sign-out (console.test.mjs), in headless Chromium against the
# built service (clients/chromium-test.sh starts and stops it); screenshots in $CONSOLE_OUTPUT.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export CONSOLE_OUTPUT="${CONSOLE_OUTPUT:-$here/test-output}"
echo "== screenshots in $CONSOLE_OUTPUT"
exec bash "$here/../chromium-test.sh" "$here" "console test"
