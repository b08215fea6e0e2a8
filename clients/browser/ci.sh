#!/usr/bin/env bash
# The browser test: a page of another origin sends a Mantle event with a customer token (browser.test.mjs), in
# headless Chromium against the built service (clients/chromium-test.sh starts and stops it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
exec bash "$here/../chromium-test.sh" "$here" "browser test"
