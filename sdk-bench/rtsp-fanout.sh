#!/usr/bin/env bash
# RTSP (TCP interleaved) fan-out next to RTMP's, in one run: the demo server pinned to core 0 with
# one ffmpeg publisher; the publisher and the load tool on core 1. After unreported warm-up rounds
# of both, each round is one step of N RTMP players, then one of N RTSP players, DURATION seconds
# each; for each step the server's CPU seconds (utime + stime from /proc/PID/stat) and the bits
# the players received give CPU seconds per delivered Gbit, and the table gives RTSP's over RTMP's.
# See sdk-bench/README.md.
#
# Env: N=1000 (players per step), DURATION=20 (seconds per step), ROUNDS=1 (RTMP and RTSP steps,
#      interleaved; the ratio is the median of the rounds'), RATE=200 (players started per
#      second), THREADS=1 (load tool event loops), WARMUP_PLAYERS=20 (unmeasured players each
#      step's load tool plays with first; their seconds of CPU count against the server),
#      WARMUP=12 (seconds per unreported warm-up step of WARMUP_N=N players at WARMUP_RATE=400/s,
#      RTMP then RTSP, repeated until a pair compiles fewer than JIT_QUIET=50 methods, at most
#      WARMUP_ROUNDS=4 pairs; 0 skips), WRITE_BATCH (the demo server's --write-batch, which is
#      RTMP's and HTTP's: unset, its default of 350 ms; RTSP's is RtspConfig's default, 0),
#      BEHIND_MS=1000 (a player whose lag at the end is over this is counted behind),
#      SK_JAVA_OPTS (the demo server's JVM, see bench-common.sh), SERVER_CORE=0, CLIENT_CORE=1,
#      KEEP=1 (keep the work dir: logs, per-player CSVs).
# Build first: ./mvnw -q install -DskipTests -pl sdk-bench,sdk-examples -am
set -euo pipefail

N=${N:-1000}
DURATION=${DURATION:-20}
ROUNDS=${ROUNDS:-1}
RATE=${RATE:-200}
THREADS=${THREADS:-1}
BEHIND_MS=${BEHIND_MS:-1000}
WARMUP_N=${WARMUP_N:-$N}

EXTRA_MISSING=()
WORK_PREFIX=streamkit-rtsp-fanout
# shellcheck source=sdk-bench/bench-common.sh
. "$(dirname "$0")/bench-common.sh"
require java jstat ffmpeg taskset awk
make_source

# Ports of their own, clear of compare.sh's (19350-19352, 18080-18082) and of the demo's defaults;
# one already taken would be answered by another server, so that stops the run.
RTMP_PORT=$((SK_RTMP + 10)) HTTP_PORT=$((SK_HTTP + 10)) RTSP_PORT=$((SK_HTTP + 484))
for port in "$RTMP_PORT" "$HTTP_PORT" "$RTSP_PORT"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "port $port is taken by another process: stop it first" >&2
        exit 1
    fi
done
HZ=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# Methods the JIT has compiled so far.
jit_compiled() { { jstat -compiler "$1" 2>/dev/null || true; } | awk 'NR == 2 {print $1}'; }
url_of() {   # protocol
    case $1 in
        rtmp) echo "rtmp://127.0.0.1:$RTMP_PORT/live/demo" ;;
        rtsp) echo "rtsp://127.0.0.1:$RTSP_PORT/live/demo" ;;
    esac
}

batch=()
[[ -n ${WRITE_BATCH:-} ]] && batch=(--write-batch "$WRITE_BATCH")
start_demo "$WORK/server.log" "$RTMP_PORT" "$HTTP_PORT" -- --no-record --rtsp-port "$RTSP_PORT" --rtsp-udp-port -1 \
    "${batch[@]}"
wait_port 127.0.0.1 "$RTSP_PORT" 10
taskset -c "$CLIENT_CORE" ffmpeg -nostdin -loglevel error -re -stream_loop -1 -i "$SRC" -c copy \
    -f flv "$(url_of rtmp)" >"$WORK/ffmpeg.log" 2>&1 &
FF_PID=$!
PIDS+=("$FF_PID")
sleep 5   # the publisher connects and fills the GOP cache

load() {   # protocol players duration log [load tool option...]
    local protocol=$1 players=$2 duration=$3 log=$4
    shift 4
    kill -0 "$FF_PID" 2>/dev/null || { echo "the publisher died: $(cat "$WORK/ffmpeg.log")" >&2; exit 1; }
    taskset -c "$CLIENT_CORE" java -cp "$BENCH_JAR" io.streamkit.bench.load.LoadTool --url "$(url_of "$protocol")" \
        --players "$players" --duration "$duration" --threads "$THREADS" "$@" >"$log" 2>&1 || true
}

# Warm-up: the JIT compiles for a minute or more of load on one core; each protocol's paths are
# compiled here, not in the first measured step. Reported, not counted.
warm_cpu0=$(cpu_ticks "$SERVER_PID")
rounds=0
while ((${WARMUP:-12} > 0 && rounds < ${WARMUP_ROUNDS:-4})); do
    compiled0=$(jit_compiled "$SERVER_PID")
    rounds=$((rounds + 1))
    for protocol in rtmp rtsp; do
        load "$protocol" "$WARMUP_N" "${WARMUP:-12}" "$WORK/load-warmup-$protocol-$rounds.log" --rate "${WARMUP_RATE:-400}"
        sleep 2
    done
    compiled1=$(jit_compiled "$SERVER_PID")
    echo "   warm-up round $rounds: $((compiled1 - compiled0)) methods compiled" >&2
    ((compiled1 - compiled0 < ${JIT_QUIET:-50})) && break
done
echo "== demo server (pid $SERVER_PID): $rounds warm-up round(s), $(awk -v t=$(( $(cpu_ticks "$SERVER_PID") - warm_cpu0 )) \
    -v hz="$HZ" 'BEGIN{printf "%.1f", t/hz}') CPU-s" >&2

RESULTS=$WORK/results.txt
: >"$RESULTS"
for ((round = 1; round <= ROUNDS; round++)); do
    for protocol in rtmp rtsp; do
        log=$WORK/load-$protocol-$round.log
        csv=$WORK/players-$protocol-$round.csv
        cpu0=$(cpu_ticks "$SERVER_PID")
        load "$protocol" "$N" "$DURATION" "$log" --rate "$RATE" --report 5 --warmup-players "${WARMUP_PLAYERS:-20}" --csv "$csv"
        cpu1=$(cpu_ticks "$SERVER_PID")
        final=$(grep '^FINAL' "$log" || true)
        if [[ -z $final ]]; then
            echo "load tool gave no FINAL line for $protocol round $round:" >&2
            tail -5 "$log" >&2
            final="FINAL"
        fi
        rtsp=$(grep '^RTSP ' "$log" | sed 's/^RTSP //' || true)
        # behind: players (not failed) whose lag at the end exceeds BEHIND_MS (the CSV's final_lag_ms)
        behind=$(awk -F, -v ms="$BEHIND_MS" 'NR > 1 && $9 == "false" && $8 != "" && $8 + 0 > ms { n++ } END { print n + 0 }' \
            "$csv" 2>/dev/null || echo "-")
        echo "   round $round $protocol cpu=$(awk -v t=$((cpu1 - cpu0)) -v hz="$HZ" 'BEGIN{printf "%.2f", t/hz}')s behind=$behind $final $rtsp" >&2
        echo "$protocol $round $((cpu1 - cpu0)) $behind $final $rtsp" >>"$RESULTS"
        sleep 2   # let the server close the step's players
    done
done
stop_pid() {
    kill "$1" 2>/dev/null || true
    local i
    for ((i = 0; i < 50; i++)); do
        kill -0 "$1" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -9 "$1" 2>/dev/null || true
}
stop_pid "$FF_PID"
stop_pid "$SERVER_PID"

# One row per protocol (the rounds' medians; keyframes the worst round, lag and behind the
# largest), then RTSP's CPU seconds per delivered Gbit over RTMP's, per round and the median.
echo
rtmp_batch="${WRITE_BATCH:-350} ms"
[[ -z ${WRITE_BATCH:-} ]] && rtmp_batch="350 ms (the demo server's default)"
echo "N=$N, DURATION=${DURATION}s, ROUNDS=$ROUNDS; write batch: RTMP $rtmp_batch, RTSP 0 ms (RtspConfig's default)"
echo
awk -v hz="$HZ" -v behindms="$BEHIND_MS" '
function kv(line, key,   m) { if (match(line, " " key "=[^ ]*")) { m = substr(line, RSTART + length(key) + 2, RLENGTH - length(key) - 2); return m } return "-" }
function median(list,   v, k, i, j, t) {
    k = split(list, v, " ")
    if (k == 0) return "-"
    for (i = 2; i <= k; i++) { t = v[i] + 0; for (j = i - 1; j >= 1 && v[j] + 0 > t; j--) v[j + 1] = v[j]; v[j + 1] = t }
    return k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2
}
function add(list, x) { return list == "" ? x : list " " x }
{
    p = $1; r = $2; line = $0
    c = $3 / hz; bytes = kv(line, "bytes"); gbit = (bytes == "-" ? 0 : bytes * 8 / 1e9)
    per = gbit > 0 ? c / gbit : 0
    eff[p, r] = per; if (r > rounds) rounds = r
    cpu[p] = add(cpu[p], c); gbits[p] = add(gbits[p], gbit); pers[p] = add(pers[p], per)
    m = kv(line, "steady_mbps"); if (m != "-") mbps[p] = add(mbps[p], m)
    l = kv(line, "maxlag_max_ms"); if (l != "-" && (!(p in lag) || l + 0 > lag[p] + 0)) lag[p] = l
    l = kv(line, "lag_now_p99_ms"); if (l != "-" && (!(p in lagnow) || l + 0 > lagnow[p] + 0)) lagnow[p] = l
    k = kv(line, "keyframe") + 0; n = kv(line, "players")
    if (!(p in kf) || k < kf[p]) { kf[p] = k; pl[p] = n }
    f = kv(line, "failed") + 0; if (f > failed[p] + 0) failed[p] = f
    if ($4 != "-" && $4 + 0 > behind[p] + 0) behind[p] = $4 + 0
    if (p == "rtsp") {
        lost[p] += kv(line, "lost_packets"); ssrc[p] += kv(line, "ssrc_changes")
        wire = kv(line, "wire_bytes"); rtp = kv(line, "rtp_bytes")
        if (wire != "-" && rtp + 0 > 0) overhead = add(overhead, sprintf("%.2f", (wire / rtp - 1) * 100))
    }
}
END {
    printf "| protocol | players with keyframe | failed | behind (lag > %d ms at the end) | delivered Mbps | delivered Gbit | server CPU s | CPU s per Gbit | max lag ms | lag now p99 ms |\n", behindms
    printf "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    split("rtmp rtsp", ps, " ")
    for (i = 1; i <= 2; i++) {
        p = ps[i]
        if (!(p in cpu)) continue
        printf "| %s | %d/%s | %d | %d | %.1f | %.2f | %.2f | %.2f | %s | %s |\n", p, kf[p], pl[p], failed[p], behind[p], \
            median(mbps[p]), median(gbits[p]), median(cpu[p]), median(pers[p]), lag[p], lagnow[p]
    }
    ratios = ""
    for (r = 1; r <= rounds; r++)
        if ((("rtsp", r) in eff) && (("rtmp", r) in eff) && eff["rtmp", r] > 0)
            ratios = add(ratios, sprintf("%.2f", eff["rtsp", r] / eff["rtmp", r]))
    printf "\nRTSP / RTMP, CPU s per delivered Gbit: %s (rounds: %s)\n", ratios == "" ? "-" : sprintf("%.2fx", median(ratios)), \
        ratios == "" ? "-" : ratios
    if ("rtsp" in cpu)
        printf "RTSP: delivered = RTP packets; the interleaved headers, RTCP and responses add %s %% on the wire; %d RTP packets not sent (sequence gaps), %d SSRC changes within sessions\n", \
            median(overhead), lost["rtsp"], ssrc["rtsp"]
}' "$RESULTS"

# What the server logged beyond its start-up lines (--quiet: nothing per player).
problems=$(grep -c -E 'WARN|ERROR|Exception' "$WORK/server.log" || true)
echo "Server log: $problems WARN/ERROR/exception line(s)"
if ((problems > 0)); then
    grep -E 'WARN|ERROR|Exception' "$WORK/server.log" | head -5 | cut -c1-300
fi
