#!/usr/bin/env bash
# Recording benchmark: N streams of about 2 Mbps published at once to a server that records
# every one of them, the server pinned to one core (SERVER_CORE), the publishers to the other
# (CLIENT_CORE). For each server configuration in SERVERS, in turn and ROUNDS times (the order
# alternating), it runs WARMUP seconds (40: the JIT compiles for half a minute at this load), then measures MEASURE seconds (30): the server's CPU (utime+stime of
# the process and its children, from /proc) and the bytes its recordings grew by.
#
#   NS=50 MEASURE=30 ROUNDS=2 bash sdk-bench/record.sh
#
# Servers: streamkit-mp4 and streamkit-flv (the demo server recording app rec, --no-hls --quiet),
# streamkit-off (the same without recording: what the streams cost without it), nginx-flv
# (nginx-rtmp from Debian with `record all`, which writes FLV) and nginx-off. The table gives CPU
# as a share of one core, CPU per stream, the write rate, and recording's own cost (a recording
# configuration minus its "off") with its ratio to nginx-rtmp's. Needs the build of compare.sh:
#   ./mvnw -q install -DskipTests -pl sdk-bench,sdk-examples -am
set -euo pipefail
WORK_PREFIX=streamkit-record
NGX_MODULE=/usr/lib/nginx/modules/ngx_rtmp_module.so
EXTRA_MISSING=()
[[ -f $NGX_MODULE ]] || EXTRA_MISSING+=("$NGX_MODULE (apt-get install libnginx-mod-rtmp)")
# shellcheck source=bench-common.sh
source "$(dirname "$0")/bench-common.sh"
require java ffmpeg nginx taskset awk du

NS=${NS:-50}
SECONDS_MEASURED=${MEASURE:-30}
WARMUP=${WARMUP:-40}
ROUNDS=${ROUNDS:-2}
SERVERS=${SERVERS:-"streamkit-mp4 streamkit-flv streamkit-off nginx-flv nginx-off"}
RSRC=$ROOT/sdk-bench/target/record-src.flv
NGX_RTMP=19451

# 30 s of 640x360 at 25 fps, H.264 at about 1.9 Mbps with a 2 s GOP, and AAC at 128 kbps.
if [[ ! -f $RSRC ]]; then
    echo "generating $RSRC" >&2
    ffmpeg -nostdin -loglevel error -y -f lavfi -i testsrc2=size=640x360:rate=25 \
        -f lavfi -i sine=frequency=440:sample_rate=44100 -c:v libx264 -preset veryfast -pix_fmt yuv420p \
        -b:v 1900k -minrate 1900k -maxrate 1900k -bufsize 1900k -x264-params nal-hrd=cbr -g 50 -keyint_min 50 \
        -sc_threshold 0 -c:a aac -b:a 128k -ar 44100 -t 30 -f flv "$RSRC"
fi

ticks() {   # pid: utime+stime of it and its children, in clock ticks
    local t=0 p
    for p in $1 $(pgrep -P "$1" || true); do
        t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
    done
    echo $t
}
HZ=$(getconf CLK_TCK)

start_nginx() {   # record: on|off
    mkdir -p "$WORK/nginx/logs" "$WORK/rec-nginx"
    local rec=""
    [[ $1 == on ]] && rec="record all; record_path $WORK/rec-nginx; record_unique on;"
    cat >"$WORK/nginx/nginx.conf" <<CONF
load_module $NGX_MODULE;
user root;
worker_processes 1;
worker_rlimit_nofile 20000;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 10000; }
rtmp {
    server {
        listen 127.0.0.1:$NGX_RTMP;
        chunk_size 4096;
        application rec { live on; $rec }
    }
}
CONF
    taskset -c "$SERVER_CORE" nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' \
        >"$WORK/nginx.log" 2>&1 &
    SERVER_PID=$!
    PIDS+=("$SERVER_PID")
    wait_port 127.0.0.1 $NGX_RTMP 10
    URL=rtmp://127.0.0.1:$NGX_RTMP/rec
    DIR=$WORK/rec-nginx
}

results=()
for ((round = 1; round <= ROUNDS; round++)); do
    order=$SERVERS
    ((round % 2 == 0)) && order=$(echo "$SERVERS" | tr ' ' '\n' | tac | tr '\n' ' ')
    for server in $order; do
        rm -rf "$WORK/rec-"*
        case $server in
            streamkit-mp4) start_demo "$WORK/$server.log" $SK_RTMP $SK_HTTP -- --record-dir "$WORK/rec-sk" --record-format mp4
                URL=rtmp://127.0.0.1:$SK_RTMP/rec DIR=$WORK/rec-sk ;;
            streamkit-flv) start_demo "$WORK/$server.log" $SK_RTMP $SK_HTTP -- --record-dir "$WORK/rec-sk" --record-format flv
                URL=rtmp://127.0.0.1:$SK_RTMP/rec DIR=$WORK/rec-sk ;;
            streamkit-off) start_demo "$WORK/$server.log" $SK_RTMP $SK_HTTP -- --no-record
                URL=rtmp://127.0.0.1:$SK_RTMP/rec DIR=$WORK/rec-sk ;;
            nginx-flv) start_nginx on ;;
            nginx-off) start_nginx off ;;
            *) echo "unknown server $server" >&2; exit 2 ;;
        esac
        mkdir -p "$DIR"
        taskset -c "$CLIENT_CORE" java -Xmx512m -cp "$BENCH_JAR" io.streamkit.bench.load.PublishMany "$URL" "$NS" "$RSRC" \
            $((WARMUP + SECONDS_MEASURED + 2)) >"$WORK/publish-$server.log" 2>&1 &
        PUB=$!
        PIDS+=("$PUB")
        sleep "$WARMUP"
        t0=$(ticks "$SERVER_PID") b0=$(du -sb "$DIR" | awk '{print $1}')
        sleep "$SECONDS_MEASURED"
        t1=$(ticks "$SERVER_PID") b1=$(du -sb "$DIR" | awk '{print $1}')
        if ! wait "$PUB"; then
            echo "publishers failed against $server:" >&2
            cat "$WORK/publish-$server.log" >&2
        fi
        files=$(find "$DIR" -type f \( -name '*.mp4' -o -name '*.fmp4' -o -name '*.flv' \) | wc -l)
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        cpu=$(awk -v a="$t0" -v b="$t1" -v hz="$HZ" -v s="$SECONDS_MEASURED" 'BEGIN {printf "%.3f", (b - a) / hz / s}')
        mbs=$(awk -v a="$b0" -v b="$b1" -v s="$SECONDS_MEASURED" 'BEGIN {printf "%.2f", (b - a) / s / 1048576}')
        echo "round $round $server: cpu $cpu of a core, writes $mbs MiB/s, $files files; $(tail -1 "$WORK/publish-$server.log")" >&2
        results+=("$round $server $cpu $mbs")
        sleep 2
    done
done

printf '%s\n' "${results[@]}" | awk -v n="$NS" '
    { cpu[$2] += $3; mbs[$2] += $4; rounds[$2]++ }
    END {
        printf "| server | CPU (share of one core) | CPU ms per stream per second | recordings written MiB/s | recording alone, CPU share | vs nginx-rtmp |\n|---|---|---|---|---|---|\n"
        ngx = ("nginx-flv" in cpu) && ("nginx-off" in cpu) ? cpu["nginx-flv"] / rounds["nginx-flv"] - cpu["nginx-off"] / rounds["nginx-off"] : 0
        for (s in cpu) {
            c = cpu[s] / rounds[s]; m = mbs[s] / rounds[s]
            base = s ~ /^streamkit/ ? "streamkit-off" : "nginx-off"
            alone = "-"; ratio = "-"
            if (s !~ /-off$/ && (base in cpu)) {
                a = c - cpu[base] / rounds[base]
                alone = sprintf("%.3f", a)
                if (ngx > 0) ratio = sprintf("%.2fx", a / ngx)
            }
            printf "| %s | %.3f | %.2f | %.2f | %s | %s |\n", s, c, c * 1000 / n, m, alone, ratio
        }
    }'
