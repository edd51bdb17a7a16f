#!/usr/bin/env bash
# Side-by-side fan-out: Streamkit's demo server vs nginx-rtmp, each pinned to core 0 in turn,
# one ffmpeg publisher and the load tool pinned to core 1. See sdk-bench/README.md.
#
# Env: NS="100 500 1000 2000" (players per step), DURATION=20 (seconds per step),
#      RATE=200 (players started per second), THREADS=1 (load tool event loops),
#      WARMUP=12 (seconds per unreported warm-up round of the largest N at WARMUP_RATE=400/s; a
#      JVM server repeats rounds, at most WARMUP_ROUNDS=6, until its JIT is quiet: fewer than
#      JIT_QUIET=50 methods compiled in a round; a one-core JVM compiles for a minute or more
#      and that start-up cost is reported apart, not charged to the first steps),
#      WARMUP_PLAYERS=20 (unmeasured players each step's load tool plays with first, so its own
#      JVM is warm before the measured ramp; their few seconds of CPU count against the server),
#      SERVERS="streamkit streamkit-nobatch nginx" (streamkit: the demo server with its default
#      350 ms write batching; streamkit-nobatch: --write-batch 0, every frame written at once;
#      both with --no-hls --quiet, as nginx-rtmp here segments no HLS and logs no line per player),
#      SK_JAVA_OPTS="-Xms512m -Xmx512m -XX:+AlwaysPreTouch -XX:+UseShenandoahGC" (the demo server's
#      JVM; its GC log is summarised; the heap is touched at start so RSS growth is per player),
#      SERVER_CORE=0, CLIENT_CORE=1, KEEP=1 (keep the work dir).
# Build first: mvn -q install -DskipTests -pl sdk-bench,sdk-examples -am
set -euo pipefail

NS=${NS:-"100 500 1000 2000"}
DURATION=${DURATION:-20}
RATE=${RATE:-200}
THREADS=${THREADS:-1}
SERVERS=${SERVERS:-"streamkit streamkit-nobatch nginx"}
NGX_RTMP=19351

NGX_MODULE=/usr/lib/nginx/modules/ngx_rtmp_module.so
EXTRA_MISSING=()
[[ -f $NGX_MODULE ]] || EXTRA_MISSING+=("$NGX_MODULE (apt-get install libnginx-mod-rtmp)")
WORK_PREFIX=streamkit-compare
# shellcheck source=sdk-bench/bench-common.sh
. "$(dirname "$0")/bench-common.sh"
require java jstat ffmpeg nginx taskset awk
make_source

# CPU clock ticks (utime+stime) and RSS in KiB, summed over a process and its children.
proc_pids() { echo "$1" $(pgrep -P "$1" || true); }
cpu_ticks() {
    local t=0 p
    for p in $(proc_pids "$1"); do
        t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
    done
    echo $t
}
rss_kb() {
    local r=0 p
    for p in $(proc_pids "$1"); do
        r=$((r + $(awk '/^VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)))
    done
    echo $r
}
HZ=$(getconf CLK_TCK)
# Methods the JIT has compiled so far, or nothing for a process that is not a JVM.
jit_compiled() { { jstat -compiler "$1" 2>/dev/null || true; } | awk 'NR == 2 {print $1}'; }
WARMUP_N=${WARMUP_N:-$(echo $NS | tr ' ' '\n' | sort -n | tail -1)}

start_streamkit() {   # name [demo server options]
    local name=$1
    shift
    start_demo "$WORK/$name.log" -Xlog:gc:file="$WORK/gc-$name.log" -- "$@"
    URL=rtmp://127.0.0.1:$SK_RTMP/live/demo
}

start_nginx() {
    mkdir -p "$WORK/nginx/logs"
    cat >"$WORK/nginx/nginx.conf" <<CONF
load_module $NGX_MODULE;
worker_processes 1;
worker_rlimit_nofile 20000;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 10000; }
rtmp {
    server {
        listen 127.0.0.1:$NGX_RTMP;
        chunk_size 4096;
        application live { live on; }
    }
}
CONF
    taskset -c "$SERVER_CORE" nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' \
        >"$WORK/nginx.log" 2>&1 &
    SERVER_PID=$!
    PIDS+=("$SERVER_PID")
    wait_port 127.0.0.1 $NGX_RTMP 10
    URL=rtmp://127.0.0.1:$NGX_RTMP/live/demo
}

stop_pid() {
    kill "$1" 2>/dev/null || true
    local i
    for ((i = 0; i < 50; i++)); do
        kill -0 "$1" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -9 "$1" 2>/dev/null || true
}

RESULTS=$WORK/results.txt
: >"$RESULTS"
for server in $SERVERS; do
    case $server in
        streamkit) start_streamkit streamkit ;;
        streamkit-nobatch) start_streamkit streamkit-nobatch --write-batch 0 ;;
        nginx) start_nginx ;;
        *) echo "unknown server $server (streamkit, streamkit-nobatch, nginx)" >&2; exit 2 ;;
    esac
    taskset -c "$CLIENT_CORE" ffmpeg -nostdin -loglevel error -re -stream_loop -1 -i "$SRC" -c copy \
        -f flv "$URL" >"$WORK/ffmpeg-$server.log" 2>&1 &
    FF_PID=$!
    PIDS+=("$FF_PID")
    sleep 5   # the publisher connects and fills the GOP cache
    start_rss=$(rss_kb "$SERVER_PID")
    warm_cpu0=$(cpu_ticks "$SERVER_PID")
    rounds=0
    while ((${WARMUP:-12} > 0 && rounds < ${WARMUP_ROUNDS:-6})); do
        compiled0=$(jit_compiled "$SERVER_PID")
        rounds=$((rounds + 1))
        taskset -c "$CLIENT_CORE" java -cp "$BENCH_JAR" io.streamkit.bench.load.LoadTool --url "$URL" \
            --players "$WARMUP_N" --rate "${WARMUP_RATE:-400}" --duration "${WARMUP:-12}" --threads "$THREADS" \
            >"$WORK/load-$server-warmup-$rounds.log" 2>&1 || true
        sleep 2
        compiled1=$(jit_compiled "$SERVER_PID")
        # not a JVM (nginx): one round; a JVM: until a round compiles almost nothing new
        [[ -z $compiled0 ]] && break
        echo "   warm-up round $rounds: $((compiled1 - compiled0)) methods compiled" >&2
        ((compiled1 - compiled0 < ${JIT_QUIET:-50})) && break
    done
    warm_cpu=$(( $(cpu_ticks "$SERVER_PID") - warm_cpu0 ))
    base_rss=$(rss_kb "$SERVER_PID")
    echo "== $server (pid $SERVER_PID, RSS $((start_rss / 1024)) MiB idle, $((base_rss / 1024)) MiB after $rounds warm-up rounds of $(awk -v t=$warm_cpu -v hz="$HZ" 'BEGIN{printf "%.1f", t/hz}') CPU-s) $URL" >&2
    echo "warmup $server $rounds $warm_cpu $start_rss $base_rss" >>"$WORK/warmup.txt"
    for n in $NS; do
        kill -0 "$FF_PID" 2>/dev/null || { echo "publisher for $server died: $(cat "$WORK/ffmpeg-$server.log")" >&2; exit 1; }
        cpu0=$(cpu_ticks "$SERVER_PID")
        taskset -c "$CLIENT_CORE" java -cp "$BENCH_JAR" io.streamkit.bench.load.LoadTool --url "$URL" \
            --players "$n" --rate "$RATE" --duration "$DURATION" --threads "$THREADS" --report 5 \
            --warmup-players "${WARMUP_PLAYERS:-20}" \
            --csv "$WORK/players-$server-$n.csv" >"$WORK/load-$server-$n.log" 2>&1 &
        LOAD_PID=$!
        PIDS+=("$LOAD_PID")
        max_rss=0
        while kill -0 "$LOAD_PID" 2>/dev/null; do
            r=$(rss_kb "$SERVER_PID")
            ((r > max_rss)) && max_rss=$r
            sleep 1
        done
        wait "$LOAD_PID" || true
        cpu1=$(cpu_ticks "$SERVER_PID")
        final=$(grep '^FINAL' "$WORK/load-$server-$n.log" || true)
        if [[ -z $final ]]; then
            echo "load tool gave no FINAL line for $server N=$n:" >&2
            tail -5 "$WORK/load-$server-$n.log" >&2
            final="FINAL"
        fi
        echo "   N=$n cpu=$(awk -v t=$((cpu1 - cpu0)) -v hz="$HZ" 'BEGIN{printf "%.2f", t/hz}')s maxRSS=$((max_rss / 1024))MiB $final" >&2
        echo "$server $n $((cpu1 - cpu0)) $max_rss $base_rss $final" >>"$RESULTS"
        sleep 2   # let the server close the previous step's players
    done
    stop_pid "$FF_PID"
    stop_pid "$SERVER_PID"
done

# One table, the servers side by side. Mbit/CPU-s = megabits delivered in the step / server
# CPU seconds in the step; ratio = that server's Mbit/CPU-s over nginx's at the same N.
awk -v hz="$HZ" -v servers="$SERVERS" '
function kv(line, key,   m) { if (match(line, " " key "=[^ ]*")) { m = substr(line, RSTART + length(key) + 2, RLENGTH - length(key) - 2); return m } return "-" }
{
    s = $1; n = $2; line = $0
    cpu[s, n] = $3 / hz; rss[s, n] = $4 / 1024; base[s] = $5 / 1024
    bytes = kv(line, "bytes"); mbps[s, n] = kv(line, "steady_mbps")
    mbit[s, n] = (bytes == "-" ? 0 : bytes * 8 / 1e6)
    eff[s, n] = cpu[s, n] > 0 ? mbit[s, n] / cpu[s, n] : 0
    ttfk[s, n] = kv(line, "ttfk_p50_ms") " / " kv(line, "ttfk_p99_ms"); lag[s, n] = kv(line, "maxlag_max_ms")
    ok[s, n] = kv(line, "keyframe") "/" kv(line, "players")
    if (!(n in seen)) { seen[n] = 1; order[++count] = n }
    if (!(s in maxn) || n + 0 > maxn[s] + 0) maxn[s] = n
}
END {
    ns = split(servers, ss, " ")
    printf "| N | server | players with keyframe | delivered Mbps | server CPU s | Mbit per CPU-s | vs nginx | TTFK p50 / p99 ms | max lag ms | peak RSS MiB |\n"
    printf "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    for (i = 1; i <= count; i++) {
        n = order[i]
        for (j = 1; j <= ns; j++) {
            s = ss[j]
            if (!((s, n) in cpu)) continue
            ratio = ((("nginx", n) in eff) && eff["nginx", n] > 0) ? sprintf("%.2fx", eff[s, n] / eff["nginx", n]) : "-"
            printf "| %s | %s | %s | %s | %.2f | %.1f | %s | %s | %s | %.0f |\n", n, s, ok[s, n], mbps[s, n], cpu[s, n], eff[s, n], ratio, ttfk[s, n], lag[s, n], rss[s, n]
        }
    }
    printf "\nMemory: baseline RSS (warmed up, the publisher and no player) and growth per player at the largest N\n"
    for (j = 1; j <= ns; j++) {
        s = ss[j]
        if (!(s in maxn)) continue
        printf "  %s: baseline %.0f MiB, %.1f KiB per player at N=%s\n", s, base[s], (rss[s, maxn[s]] - base[s]) * 1024 / maxn[s], maxn[s]
    }
}' "$RESULTS"

# What the warm-up cost each server before the measured steps.
awk -v hz="$HZ" '{ printf "Warm-up %s: %d round(s), %.1f CPU-s; RSS %.0f MiB idle, %.0f MiB after\n", $2, $3, $4 / hz, $5 / 1024, $6 / 1024 }' "$WORK/warmup.txt"

# GC pauses of each Streamkit run (unified logging: "... Pause ... 1.234ms").
for log in "$WORK"/gc-*.log; do
    [[ -f $log ]] || continue
    name=$(basename "$log" .log)
    { grep ' Pause ' "$log" || true; } | awk '$NF ~ /ms$/ {print substr($NF, 1, length($NF) - 2)}' | sort -n | awk -v name="${name#gc-}" -v opts="$SK_JAVA_OPTS" '
        { p[NR] = $1 }
        END {
            if (NR == 0) { printf "GC %s (%s): no pause\n", name, opts; exit }
            i99 = int(NR * 0.99); if (i99 < 1) i99 = 1
            printf "GC %s (%s): %d pauses, p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", name, opts, NR, p[int((NR + 1) / 2)], p[i99], p[NR]
        }'
done
