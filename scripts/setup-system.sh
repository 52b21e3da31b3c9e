#!/usr/bin/env bash
# Installs the Debian packages tripleaim's tests need, only when missing:
# a Java runtime (17+) for Apache Spark, Chromium for the browser tests, Node.js/npm for
# the NHS.UK front end, and a PostgreSQL server when none is reachable.
# Runs unattended (CI has no standard input); needs root or passwordless sudo to install.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo -n"; fi
export DEBIAN_FRONTEND=noninteractive
updated=0
apt_install() {
  if [ "$updated" -eq 0 ]; then $SUDO apt-get update -q; updated=1; fi
  $SUDO apt-get install -y -q --no-install-recommends "$@"
}

java_major() {
  java -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print (v[1] == "1" ? v[2] : v[1])}'
}
if ! command -v java >/dev/null 2>&1 || [ "$(java_major)" -lt 17 ]; then
  echo "setup-system: installing a Java runtime for Spark"
  apt_install openjdk-17-jre-headless
fi

if [ "${TRIPLEAIM_SKIP_BROWSER:-0}" != "1" ] && [ ! -x /usr/bin/chromium ]; then
  echo "setup-system: installing Chromium for the browser tests"
  apt_install chromium
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "setup-system: installing Node.js and npm for the NHS.UK front end"
  apt_install nodejs npm
fi

pg_reachable() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h "${PGHOST:-127.0.0.1}" -p "${PGPORT:-5432}"
  else
    (exec 3<>"/dev/tcp/${PGHOST:-127.0.0.1}/${PGPORT:-5432}") 2>/dev/null
  fi
}
if ! pg_reachable; then
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    echo "setup-system: installing PostgreSQL"
    apt_install postgresql
  fi
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  echo "setup-system: starting PostgreSQL $version"
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start || $SUDO pg_ctlcluster "$version" main start
  for _ in $(seq 1 30); do pg_reachable && break; sleep 1; done
  pg_reachable || { echo "setup-system: PostgreSQL did not start" >&2; exit 1; }
fi
