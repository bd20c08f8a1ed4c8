#!/usr/bin/env bash
# The Dockerfile's steps without Docker, for machines without a Docker engine: from the committed
# tree, `npm ci`, build and `npm run kb:build`; then, in a separate folder, production
# dependencies alone (`npm ci --omit=dev`) with the built output, started as an unprivileged user
# whose only writable folder is .cache. Checks /readyz, a chat turn, that the built index was
# read, the image's HEALTHCHECK command, and a clean SIGTERM. Uses the `node` on PATH.
#
#   bash scripts/dist-smoke.sh            # as root: the server runs as `nobody`
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill -KILL "$server_pid"; fi
  rm -rf "$work"
}
trap cleanup EXIT
echo "== node $(node --version), npm $(npm --version); working in $work"

echo "== build stage: npm ci, build, kb:build"
mkdir "$work/build" "$work/app"
git archive HEAD | tar -x -C "$work/build"
(cd "$work/build" && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build && npm run --silent kb:build)

echo "== runtime stage: production dependencies only"
cp "$work/build/package.json" "$work/build/package-lock.json" "$work/app/"
(cd "$work/app" && npm ci --omit=dev --no-audit --no-fund --loglevel=error)
for dev in tsx typescript vitest eslint minisearch; do
  if [ -e "$work/app/node_modules/$dev" ]; then echo "dev dependency $dev in the runtime install" >&2; exit 1; fi
done
cp -r "$work/build/dist" "$work/build/knowledge" "$work/build/prompts" "$work/app/"
mkdir -p "$work/app/src/widget" "$work/app/.cache"
cp -r "$work/build/src/widget/public" "$work/app/src/widget/"
cp -r "$work/build/.cache/index" "$work/app/.cache/"
chmod -R a+rX,go-w "$work"
chown -R nobody "$work/app/.cache"

echo "== start as nobody"
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
log="$work/server.log"
(cd "$work/app" && exec setpriv --reuid=nobody --regid=nogroup --clear-groups env NODE_ENV=production HOST=127.0.0.1 PORT="$port" "$(command -v node)" dist/src/server.js) >"$log" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do
  if curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; then break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then cat "$log" >&2; exit 1; fi
  sleep 0.1
done
curl -sf "http://127.0.0.1:$port/readyz"; echo
grep -q '"msg":"search index read from the built index"' "$log" || { echo "the built index was not read" >&2; cat "$log" >&2; exit 1; }
curl -sf -XPOST "http://127.0.0.1:$port/v1/chat" -H 'content-type: application/json' -d '{"message":"医保转移要多久"}' | head -c 200; echo
(cd "$work/app" && PORT=$port node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))") && echo "HEALTHCHECK command: healthy"
echo "server runs as: $(ps -o user= -p "$server_pid")"

kill -TERM "$server_pid"
wait "$server_pid" && echo "== exit 0 after SIGTERM"
server_pid=""
