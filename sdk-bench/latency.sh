#!/usr/bin/env bash
# Server latency per frame: the load tool publishes an FLV itself (real time, looped) and
# times every video frame from its send to each player's receipt. The demo server is pinned
# to core 0, the load tool (publisher and players) to core 1. See sdk-bench/README.md.
#
# Env: N=1000 (players), DURATION=30 (s measured), RATE=200 (players/s), WARMUP_ROUNDS=3
#      (unreported rounds of N players first, so the JIT is warm), WRITE_BATCH="0 350"
#      (the demo server's --write-batch values to measure, in ms), SK_JAVA_OPTS as compare.sh,
#      SERVER_CORE=0, CLIENT_CORE=1, KEEP=1 (keep the work dir).
# Build first: ./mvnw -q install -DskipTests -pl sdk-bench,sdk-examples -am
set -euo pipefail

N=${N:-1000}
DURATION=${DURATION:-30}
RATE=${RATE:-200}
WRITE_BATCH=${WRITE_BATCH:-"0 350"}

EXTRA_MISSING=()
WORK_PREFIX=streamkit-latency
# shellcheck source=sdk-bench/bench-common.sh
. "$(dirname "$0")/bench-common.sh"
require java ffmpeg taskset awk
make_source

load() {   # stream log [load tool options]
    local stream=$1 log=$2
    shift 2
    taskset -c "$CLIENT_CORE" java -cp "$BENCH_JAR" io.streamkit.bench.load.LoadTool \
        --url "rtmp://127.0.0.1:$SK_RTMP/live/$stream" --publish "$SRC" --players "$N" "$@" >"$log" 2>&1
}

printf '| --write-batch ms | N | latency p50 ms | p99 ms | max ms | samples | max lag ms |\n|---:|---:|---:|---:|---:|---:|---:|\n'
for batch in $WRITE_BATCH; do
    start_demo "$WORK/server-$batch.log" $SK_RTMP $SK_HTTP -- --write-batch "$batch"
    server=$SERVER_PID
    for ((r = 1; r <= ${WARMUP_ROUNDS:-3}; r++)); do
        load "warm$r" "$WORK/warmup-$batch-$r.log" --rate 400 --duration 12 || true
        sleep 2
    done
    # a stream of its own: the load tool matches frames by the timestamps it sent
    load measured "$WORK/load-$batch.log" --rate "$RATE" --duration "$DURATION" --warmup-players 20 || true
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    grep '^FINAL' "$WORK/load-$batch.log" | awk -v b="$batch" -v n="$N" '
        function kv(key,   m) { if (match($0, " " key "=[^ ]*")) return substr($0, RSTART + length(key) + 2, RLENGTH - length(key) - 2); return "-" }
        { printf "| %s | %s | %s | %s | %s | %s | %s |\n", b, n, kv("lat_p50_ms"), kv("lat_p99_ms"), kv("lat_max_ms"), kv("lat_samples"), kv("maxlag_max_ms") }'
done
