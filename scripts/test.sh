#!/usr/bin/env bash
# The whole test suite, runnable on a fresh machine: installs what it needs, then runs
# type check, lint and every test (unit, HTTP, reliability, browser, eval gates).
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
[ -d /usr/share/fonts/opentype/noto ] && ls /usr/share/fonts/opentype/noto 2>/dev/null | grep -qi cjk || need_apt+=(fonts-noto-cjk)
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "== installing system packages: ${need_apt[*]}"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # The README's first command: installs exactly the locked versions and leaves the lock as it is
  # (scripts/lock-file.test.ts checks that `npm ci` accepts it too).
  echo "== npm install"
  npm install --no-audit --no-fund
fi

echo "== typecheck"
npx --no-install tsc --noEmit -p .
echo "== lint"
npx --no-install eslint .
echo "== tests"
npx --no-install vitest run "$@"
