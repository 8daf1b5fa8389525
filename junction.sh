#!/usr/bin/env bash
# Junction's two set-up commands: `./junction.sh start` runs Junction, `./junction.sh test` runs every test.
set -euo pipefail
cd "$(dirname "$0")"

install_dependencies() {
  if ! command -v node >/dev/null 2>&1; then
    echo "Node.js 20 or newer is required: install it (e.g. apt-get install nodejs npm) and run this again." >&2
    exit 1
  fi
  # npm ci only when the lock file changed since the last install.
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund
  fi
}

case "${1:-}" in
  start) install_dependencies; exec node tools/start.mjs ;;
  test) shift; install_dependencies; exec node tools/run-tests.mjs "$@" ;;
  *) echo "usage: ./junction.sh start | test" >&2; exit 2 ;;
esac
