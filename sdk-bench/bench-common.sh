# Shared by compare.sh and latency.sh (sourced, not run): the jars, the source FLV, a work
# directory whose processes are stopped on exit, and waiting for a port.
# Before sourcing: WORK_PREFIX (the work directory's name prefix). After: SK_JAVA_OPTS,
# SERVER_CORE, CLIENT_CORE, SK_RTMP, SK_HTTP, ROOT, BENCH_JAR, EXAMPLES_JAR, SRC, WORK, PIDS
# (append what you start), wait_port, start_demo.

# The demo server's JVM, the cores and the demo server's ports (env overrides the first three).
# Shenandoah's control thread wakes every 1 ms by default (about 500 context switches a second
# on the one core here); 10-100 ms leaves the core to the event loop (+10-15 % Mbit per CPU-s).
SK_JAVA_OPTS=${SK_JAVA_OPTS:-"-Xms512m -Xmx512m -XX:+AlwaysPreTouch -XX:+UseShenandoahGC -XX:+UnlockExperimentalVMOptions -XX:ShenandoahControlIntervalMin=10 -XX:ShenandoahControlIntervalMax=100"}
SERVER_CORE=${SERVER_CORE:-0}
CLIENT_CORE=${CLIENT_CORE:-1}
SK_RTMP=19350 SK_HTTP=18080

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_JAR=$ROOT/sdk-bench/target/benchmarks.jar
EXAMPLES_JAR=$(ls "$ROOT"/sdk-examples/target/streamkit-examples-*.jar 2>/dev/null | grep -v -e sources -e javadoc -e tests | head -1 || true)
SRC=$ROOT/sdk-bench/target/compare-src.flv

# Checks tools and the build; exits with the list of what is missing.
require() {   # tool...
    local missing=() tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null || missing+=("$tool")
    done
    [[ -f $BENCH_JAR ]] || missing+=("$BENCH_JAR (./mvnw -q install -DskipTests -pl sdk-bench,sdk-examples -am)")
    [[ -n $EXAMPLES_JAR ]] || missing+=("sdk-examples/target/streamkit-examples-*.jar (same build)")
    missing+=("${EXTRA_MISSING[@]}")
    if ((${#missing[@]})); then
        printf 'missing: %s\n' "${missing[@]}" >&2
        exit 1
    fi
}

# The source: 20 s of 720p25 H.264 (about 1 Mbps, 2 s GOP) + AAC, looped by the publisher.
make_source() {
    [[ -f $SRC ]] && return 0
    echo "generating $SRC" >&2
    ffmpeg -nostdin -loglevel error -y \
        -f lavfi -i testsrc2=size=1280x720:rate=25 -f lavfi -i sine=frequency=440:sample_rate=44100 \
        -c:v libx264 -preset veryfast -pix_fmt yuv420p -b:v 900k -maxrate 1M -bufsize 1M \
        -g 50 -keyint_min 50 -sc_threshold 0 -c:a aac -b:a 96k -ar 44100 -t 20 -f flv "$SRC"
}

WORK=$(mktemp -d "/tmp/${WORK_PREFIX:-streamkit-bench}.XXXXXX")
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    sleep 1
    for pid in "${PIDS[@]}"; do
        kill -9 "$pid" 2>/dev/null || true
    done
    [[ ${KEEP:-0} == 1 ]] && echo "work dir kept: $WORK" >&2 || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_port() {   # host port seconds
    local i
    for ((i = 0; i < $3 * 10; i++)); do
        (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && return 0
        sleep 0.1
    done
    echo "port $2 did not open" >&2
    return 1
}

# Starts the demo server on SERVER_CORE doing the work nginx-rtmp does in these benchmarks (no
# HLS, no log line per player), waits for its RTMP port and sets SERVER_PID. DEMO_CP, when set,
# is the class path of another build's demo server (compare.sh's BEFORE).
demo_knows() {   # option classpath: whether the class path's DemoServer takes the option
    local entry
    IFS=: read -ra entries <<<"$2"
    for entry in "${entries[@]}"; do
        if [[ -f $entry/io/streamkit/examples/DemoServer.class ]]; then
            grep -aq -- "$1" "$entry/io/streamkit/examples/DemoServer.class" && return 0
        elif [[ $entry == *.jar && -f $entry ]]; then
            unzip -p "$entry" io/streamkit/examples/DemoServer.class 2>/dev/null | grep -aq -- "$1" && return 0
        fi
    done
    return 1
}

start_demo() {   # log rtmp-port http-port [java option...] -- [demo server option...]
    local log=$1 rtmp=$2 http=$3 jvm=()
    shift 3
    while (($#)) && [[ $1 != -- ]]; do
        jvm+=("$1")
        shift
    done
    (($#)) && shift
    local cp=${DEMO_CP:-$EXAMPLES_JAR:$BENCH_JAR} rtsp=()
    # A demo server with RTSP opens 8554 and UDP 8000-8001 unless told otherwise: two servers of one run
    # (compare.sh's before and after) would take the same ports, so each gets a free RTSP port and no UDP.
    # A build from before RTSP refuses the options, so they are given only where DemoServer knows them.
    if [[ " $* " != *" --rtsp-port "* ]] && demo_knows --rtsp-port "$cp"; then
        rtsp=(--rtsp-port 0 --rtsp-udp-port -1)
    fi
    # shellcheck disable=SC2086
    taskset -c "$SERVER_CORE" java $SK_JAVA_OPTS "${jvm[@]}" -cp "$cp" \
        io.streamkit.examples.DemoServer --rtmp-port "$rtmp" --http-port "$http" --no-hls --quiet "${rtsp[@]}" "$@" \
        >"$log" 2>&1 &
    SERVER_PID=$!
    PIDS+=("$SERVER_PID")
    wait_port 127.0.0.1 "$rtmp" 30
}
