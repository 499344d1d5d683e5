#!/usr/bin/env bash
# Makes the Python virtualenv with Coldsweat 0.10.2 (a Fever API server) that
# the sync tests and the sync benchmark run. Cached: a second run returns at
# once. Needs python3 with venv (installed through apt when missing and root).
# Usage: tests/sync/setup-venv.sh [VENV_DIR]   (default: target/coldsweat-venv)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="${1:-$root/target/coldsweat-venv}"
stamp="$venv/.coldsweat-0.10.2"
[ -f "$stamp" ] && exit 0
mkdir -p "$(dirname "$venv")"
# Tests running in parallel make it once.
exec 9>"$venv.lock"
flock 9
[ -f "$stamp" ] && exit 0
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv
  else
    echo "setup-venv: python3 with the venv module is needed (apt-get install python3-venv)" >&2
    exit 1
  fi
fi
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check coldsweat==0.10.2
touch "$stamp"
