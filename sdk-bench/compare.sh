#!/usr/bin/env bash
# Side-by-side fan-out: Streamkit's demo server vs nginx-rtmp, all pinned to core 0, each with
# its own ffmpeg publisher; the publishers and the load tool on core 1. See sdk-bench/README.md.
#
# The servers run together and the steps interleave: for each N, ROUNDS rounds, each round one
# step per server in turn. A ratio is taken within a round (the servers measured a minute apart)
# and the table gives the median of the rounds' ratios and every round's, because this VM's
# speed drifts 15-30 % over minutes and one step per server cannot tell 1.1x from 1.3x.
#
# Env: NS="100 500 1000 2000" (players per step), ROUNDS=3, DURATION=20 (seconds per step),
#      RATE=200 (players started per second), THREADS=1 (load tool event loops),
#      WARMUP=12 (seconds per unreported warm-up round of the largest N at WARMUP_RATE=400/s; a
#      JVM server repeats rounds, at most WARMUP_ROUNDS=6, until its JIT is quiet: fewer than
#      JIT_QUIET=50 methods compiled in a round; a one-core JVM compiles for a minute or more
#      and that start-up cost is reported apart, not charged to the first steps),
#      WARMUP_PLAYERS=20 (unmeasured players each step's load tool plays with first, so its own
#      JVM is warm before the measured ramp; their few seconds of CPU count against the server),
#      SERVERS="streamkit streamkit-nobatch nginx" (streamkit: the demo server with its default
#      350 ms write batching; streamkit-nobatch: --write-batch 0, every frame written at once;
#      both with --no-hls --quiet, as nginx-rtmp here segments no HLS and logs no line per player;
#      before, before-nobatch: the same two from another checkout's build, BEFORE=<its root>,
#      so a change is measured against the code before it in the same rounds),
#      HTTP_SHARE=0 (the share of each Streamkit server's players that play HTTP-FLV from its HTTP
#      port rather than RTMP, 0 to 1; nginx-rtmp has no HTTP-FLV and its players stay RTMP, so with
#      a share the "vs nginx" column compares unlike players: compare Streamkit's rows then),
#      SK_JAVA_OPTS (the demo server's JVM, see bench-common.sh; its GC log is summarised),
#      SERVER_CORE=0, CLIENT_CORE=1, KEEP=1 (keep the work dir).
# Build first: ./mvnw -q install -DskipTests -pl sdk-bench,sdk-examples -am
set -euo pipefail

NS=${NS:-"100 500 1000 2000"}
ROUNDS=${ROUNDS:-3}
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

start_streamkit() {   # name rtmp-port http-port [demo server options]
    local name=$1 rtmp=$2 http=$3
    shift 3
    start_demo "$WORK/$name.log" "$rtmp" "$http" -Xlog:gc:file="$WORK/gc-$name.log" -- "$@"
    URL=rtmp://127.0.0.1:$rtmp/live/demo
    HTTP_URL=http://127.0.0.1:$http/live/demo.flv
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
    SERVER_PID=$!   # the master; cpu_ticks and rss_kb add its worker
    PIDS+=("$SERVER_PID")
    wait_port 127.0.0.1 $NGX_RTMP 10
    URL=rtmp://127.0.0.1:$NGX_RTMP/live/demo
    HTTP_URL=
}

# The class path of BEFORE's build: its benchmark jar (which holds the demo server's classes) and examples jar.
before_cp() {
    local jar ex
    jar=${BEFORE:?set BEFORE to the root of a checkout built with ./mvnw -q install -DskipTests -pl sdk-bench,sdk-examples -am}/sdk-bench/target/benchmarks.jar
    ex=$(ls "$BEFORE"/sdk-examples/target/streamkit-examples-*.jar 2>/dev/null | grep -v -e sources -e javadoc -e tests | head -1)
    [[ -f $jar && -n $ex ]] || { echo "BEFORE=$BEFORE has no built jars" >&2; exit 1; }
    echo "$ex:$jar"
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

BEFORE_CP=
if [[ " $SERVERS " == *" before"* ]]; then
    BEFORE_CP=$(before_cp) || exit 1
fi

RESULTS=$WORK/results.txt
: >"$RESULTS"
declare -A SPID SURL SHTTP SFF BASE_RSS
port=0
for server in $SERVERS; do
    case $server in
        streamkit) start_streamkit streamkit $((SK_RTMP + port)) $((SK_HTTP + port)) ;;
        streamkit-nobatch) start_streamkit streamkit-nobatch $((SK_RTMP + port)) $((SK_HTTP + port)) --write-batch 0 ;;
        before) DEMO_CP=$BEFORE_CP start_streamkit before $((SK_RTMP + port)) $((SK_HTTP + port)) ;;
        before-nobatch) DEMO_CP=$BEFORE_CP start_streamkit before-nobatch $((SK_RTMP + port)) $((SK_HTTP + port)) \
            --write-batch 0 ;;
        nginx) start_nginx ;;
        *) echo "unknown server $server (streamkit, streamkit-nobatch, before, before-nobatch, nginx)" >&2; exit 2 ;;
    esac
    port=$((port + 2))   # 19350, 19352: clear of nginx-rtmp's 19351
    SPID[$server]=$SERVER_PID
    SURL[$server]=$URL
    SHTTP[$server]=$HTTP_URL
    taskset -c "$CLIENT_CORE" ffmpeg -nostdin -loglevel error -re -stream_loop -1 -i "$SRC" -c copy \
        -f flv "$URL" >"$WORK/ffmpeg-$server.log" 2>&1 &
    SFF[$server]=$!
    PIDS+=("${SFF[$server]}")
done
sleep 5   # the publishers connect and fill the GOP caches

for server in $SERVERS; do
    pid=${SPID[$server]} url=${SURL[$server]}
    start_rss=$(rss_kb "$pid")
    warm_cpu0=$(cpu_ticks "$pid")
    rounds=0
    while ((${WARMUP:-12} > 0 && rounds < ${WARMUP_ROUNDS:-6})); do
        compiled0=$(jit_compiled "$pid")
        rounds=$((rounds + 1))
        taskset -c "$CLIENT_CORE" java -cp "$BENCH_JAR" io.streamkit.bench.load.LoadTool --url "$url" \
            --players "$WARMUP_N" --rate "${WARMUP_RATE:-400}" --duration "${WARMUP:-12}" --threads "$THREADS" \
            >"$WORK/load-$server-warmup-$rounds.log" 2>&1 || true
        sleep 2
        compiled1=$(jit_compiled "$pid")
        # not a JVM (nginx): one round; a JVM: until a round compiles almost nothing new
        [[ -z $compiled0 ]] && break
        echo "   warm-up round $rounds: $((compiled1 - compiled0)) methods compiled" >&2
        ((compiled1 - compiled0 < ${JIT_QUIET:-50})) && break
    done
    warm_cpu=$(( $(cpu_ticks "$pid") - warm_cpu0 ))
    base_rss=$(rss_kb "$pid")
    echo "== $server (pid $pid, RSS $((start_rss / 1024)) MiB idle, $((base_rss / 1024)) MiB after $rounds warm-up rounds of $(awk -v t=$warm_cpu -v hz="$HZ" 'BEGIN{printf "%.1f", t/hz}') CPU-s) $url" >&2
    echo "warmup $server $rounds $warm_cpu $start_rss $base_rss" >>"$WORK/warmup.txt"
    BASE_RSS[$server]=$base_rss
done

for n in $NS; do
    for ((round = 1; round <= ROUNDS; round++)); do
        for server in $SERVERS; do
            pid=${SPID[$server]}
            kill -0 "${SFF[$server]}" 2>/dev/null || { echo "publisher for $server died: $(cat "$WORK/ffmpeg-$server.log")" >&2; exit 1; }
            log=$WORK/load-$server-$n-$round.log
            cpu0=$(cpu_ticks "$pid")
            http=()
            if [[ -n ${SHTTP[$server]} && ${HTTP_SHARE:-0} != 0 ]]; then
                http=(--url "${SHTTP[$server]}" --http-share "$HTTP_SHARE")
            fi
            taskset -c "$CLIENT_CORE" java -cp "$BENCH_JAR" io.streamkit.bench.load.LoadTool --url "${SURL[$server]}" \
                "${http[@]}" --players "$n" --rate "$RATE" --duration "$DURATION" --threads "$THREADS" --report 5 \
                --warmup-players "${WARMUP_PLAYERS:-20}" \
                --csv "$WORK/players-$server-$n-$round.csv" >"$log" 2>&1 &
            LOAD_PID=$!
            PIDS+=("$LOAD_PID")
            max_rss=0
            while kill -0 "$LOAD_PID" 2>/dev/null; do
                r=$(rss_kb "$pid")
                ((r > max_rss)) && max_rss=$r
                sleep 1
            done
            wait "$LOAD_PID" || true
            cpu1=$(cpu_ticks "$pid")
            final=$(grep '^FINAL' "$log" || true)
            if [[ -z $final ]]; then
                echo "load tool gave no FINAL line for $server N=$n round $round:" >&2
                tail -5 "$log" >&2
                final="FINAL"
            fi
            echo "   N=$n round $round $server cpu=$(awk -v t=$((cpu1 - cpu0)) -v hz="$HZ" 'BEGIN{printf "%.2f", t/hz}')s maxRSS=$((max_rss / 1024))MiB $final" >&2
            echo "$server $n $round $((cpu1 - cpu0)) $max_rss ${BASE_RSS[$server]} $final" >>"$RESULTS"
            sleep 2   # let the server close the previous step's players
        done
    done
done
for server in $SERVERS; do
    stop_pid "${SFF[$server]}"
    stop_pid "${SPID[$server]}"
done

# One table, the servers side by side, one row per server and N over the rounds. Mbit/CPU-s =
# megabits delivered in a step / the server's CPU seconds in that step; a round's ratio = that
# over nginx's in the same round; the row gives the median of the rounds' values (the ratio's
# median is of the rounds' ratios, and every round's ratio is listed), the fewest players with a
# keyframe, the largest lag and the peak RSS over the rounds.
awk -v hz="$HZ" -v servers="$SERVERS" '
function kv(line, key,   m) { if (match(line, " " key "=[^ ]*")) { m = substr(line, RSTART + length(key) + 2, RLENGTH - length(key) - 2); return m } return "-" }
function median(list,   v, k, i, j, t) {   # of a space-separated list of numbers
    k = split(list, v, " ")
    if (k == 0) return "-"
    for (i = 2; i <= k; i++) { t = v[i] + 0; for (j = i - 1; j >= 1 && v[j] + 0 > t; j--) v[j + 1] = v[j]; v[j + 1] = t }
    return k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2
}
function add(list, x) { return list == "" ? x : list " " x }
{
    s = $1; n = $2; r = $3; line = $0
    c = $4 / hz; bytes = kv(line, "bytes"); mbit = (bytes == "-" ? 0 : bytes * 8 / 1e6)
    e = c > 0 ? mbit / c : 0
    eff[s, n, r] = e; rounds[n] = (r > rounds[n] ? r : rounds[n])
    cpu[s, n] = add(cpu[s, n], c); effs[s, n] = add(effs[s, n], e)
    m = kv(line, "steady_mbps"); if (m != "-") mbps[s, n] = add(mbps[s, n], m)
    t = kv(line, "ttfk_p50_ms"); if (t != "-") t50[s, n] = add(t50[s, n], t)
    t = kv(line, "ttfk_p99_ms"); if (t != "-") t99[s, n] = add(t99[s, n], t)
    l = kv(line, "maxlag_max_ms"); if (l != "-" && (!((s, n) in lag) || l + 0 > lag[s, n] + 0)) lag[s, n] = l
    k = kv(line, "keyframe") + 0; p = kv(line, "players")
    if (!((s, n) in kf) || k < kf[s, n]) { kf[s, n] = k; pl[s, n] = p }
    if ($5 / 1024 > rss[s, n] + 0) rss[s, n] = $5 / 1024
    base[s] = $6 / 1024
    if (!(n in seen)) { seen[n] = 1; order[++count] = n }
    if (!(s in maxn) || n + 0 > maxn[s] + 0) maxn[s] = n
}
END {
    ns = split(servers, ss, " ")
    printf "| N | server | players with keyframe | delivered Mbps | server CPU s | Mbit per CPU-s | vs nginx | rounds vs nginx | TTFK p50 / p99 ms | max lag ms | peak RSS MiB |\n"
    printf "|---:|---|---:|---:|---:|---:|---:|---|---:|---:|---:|\n"
    for (i = 1; i <= count; i++) {
        n = order[i]
        for (j = 1; j <= ns; j++) {
            s = ss[j]
            if (!((s, n) in cpu)) continue
            ratios = ""
            for (r = 1; r <= rounds[n]; r++)
                if (((s, n, r) in eff) && (("nginx", n, r) in eff) && eff["nginx", n, r] > 0)
                    ratios = add(ratios, sprintf("%.2f", eff[s, n, r] / eff["nginx", n, r]))
            printf "| %s | %s | %d/%s | %.2f | %.2f | %.1f | %s | %s | %.1f / %.1f | %s | %.0f |\n", n, s, kf[s, n], pl[s, n], \
                median(mbps[s, n]), median(cpu[s, n]), median(effs[s, n]), \
                ratios == "" ? "-" : sprintf("%.2fx", median(ratios)), ratios == "" ? "-" : ratios, \
                median(t50[s, n]), median(t99[s, n]), lag[s, n], rss[s, n]
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
