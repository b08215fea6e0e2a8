#!/usr/bin/env bash
# Runs the persistence adapter's tests against this machine's PostgreSQL at 127.0.0.1:5432, in a role and a
# database of their own (dropped and created anew). Installs and starts the server when it is missing or down.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  version=$(ls /etc/postgresql | sort -n | tail -1)
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi

role=usage_ci
password=usage_ci_password
psql_admin() { runuser -u postgres -- psql -v ON_ERROR_STOP=1 -q -d postgres "$@"; }
psql_admin -c "drop database if exists ${role}" -c "drop role if exists ${role}"
psql_admin -c "create role ${role} login password '${password}'" -c "create database ${role} owner ${role}"

USAGE_TEST_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/${role}" \
USAGE_TEST_DB_USER="${role}" \
USAGE_TEST_DB_PASSWORD="${password}" \
  ./mvnw -B --no-transfer-progress -pl adapters-persistence -am test
