#!/usr/bin/env bash
# Times what a new user waits for: `npm install` in a fresh clone of HEAD, the first `npm start` (embedded
# PostgreSQL, migrations, demo data) and two restarts, each until the "Argus is running" line.
# Usage: bench/start-times.sh [PORT] (default 4791; the embedded PostgreSQL takes PORT + 50000).
set -u
port=${1:-4791}
repo=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d /tmp/argus-start-times.XXXXXX)
git clone -q "$repo" "$dir/argus" && cd "$dir/argus" || exit 1
git checkout -q "$(git -C "$repo" rev-parse HEAD)"
export PORT=$port ARGUS_EMBEDDED_PG_PORT=$((port + 50000))
unset DATABASE_URL
now() { date +%s.%N; }
s=$(now); npm install --no-audit --no-fund > "$dir/install.log" 2>&1; e=$(now)
echo "npm install: $(echo "$e - $s" | bc) s ($(grep -o 'compiled in [0-9.]* s' "$dir/install.log"))"
start_once() {
  local label=$1 log="$dir/$1.log" pid s e
  s=$(now)
  setsid npm start > "$log" 2>&1 &
  pid=$!
  until grep -q "Argus is running" "$log"; do
    sleep 0.1
    if ! kill -0 "$pid" 2>/dev/null; then echo "$label: exited"; cat "$log"; return 1; fi
  done
  e=$(now)
  echo "$label npm start: serving after $(echo "$e - $s" | bc) s"
  kill -INT -- -"$pid"; wait "$pid" 2>/dev/null; sleep 1
}
start_once first && start_once restart && start_once restart-again
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); node $(node -v); clone in $dir"
