#!/usr/bin/env bash
# Fuzzes the parsers for longer than `./mvnw verify` does: one fuzz target (a *FuzzTest class
# of sdk-core, sdk-rtmp, sdk-http, sdk-httpflv, sdk-record or sdk-webhook) or all of them, one after the other, each for SECONDS.
#
#   sdk-bench/fuzz.sh --list                  the targets
#   sdk-bench/fuzz.sh H264SpsFuzzTest 600     one target for 10 minutes
#   sdk-bench/fuzz.sh all 600                 every target for 10 minutes each
#
# "all" leaves out the multiplexers (CoreParsersFuzzTest, RtmpParsersFuzzTest, HttpParsersFuzzTest,
# HttpFlvParsersFuzzTest, RecordParsersFuzzTest, WebhookParsersFuzzTest), which put
# every target of a module behind one for `./mvnw verify`; name one to fuzz it alone.
#
# Each run is the "fuzz" surefire execution of the target's module, under the build lock
# (/tmp/streamkit-build.lock): a fuzzer takes a whole core and must never overlap a build or a
# measurement, so this waits for the lock and holds it while it fuzzes. The corpus Jazzer grows
# stays in <module>/.cifuzz-corpus/ (ignored by git) and makes the next run start where this one
# stopped. A finding fails the run; Jazzer writes its input as crash-* into the target's seed
# directory under src/test/resources, where it stays as a regression test once the parser is
# fixed (sdk-bench/FUZZING.md says how). At the end one line per target says what ran:
# executions, seconds, and the result.
#
# Environment: FUZZ_HEAP (default 256m) is the heap of the fuzzing JVM; a small heap makes an
# allocation sized by a hostile length fail at once.
set -euo pipefail
cd "$(dirname "$0")/.."

targets() {
  find sdk-*/src/test/java -name '*FuzzTest.java' | sort
}

if [ "${1:-}" = "--list" ] || [ $# -eq 0 ]; then
  targets | sed 's|.*/||; s|\.java$||'
  [ $# -eq 0 ] && echo "usage: $0 TARGET|all [SECONDS]" >&2 && exit 2
  exit 0
fi

which="$1"
seconds="${2:-600}"
heap="${FUZZ_HEAP:-256m}"
summary=()
status=0

for file in $(targets); do
  class=$(basename "$file" .java)
  if [ "$which" != all ] && [ "$which" != "$class" ]; then
    continue
  fi
  if [ "$which" = all ] && [[ "$class" == *ParsersFuzzTest ]]; then
    continue   # the multiplexers verify fuzzes: every target of a module behind one
  fi
  module=${file%%/*}
  log="$module/target/fuzz-$class.log"
  mkdir -p "$module/target"
  echo "fuzz: $class ($module) for ${seconds}s; log in $log"
  start=$(date +%s)
  if flock /tmp/streamkit-build.lock ./mvnw -B -pl "$module" -am test-compile surefire:test@fuzz \
      -Dtest="$class" -Dsurefire.failIfNoSpecifiedTests=false -Dfuzz.seconds="$seconds" \
      -Dfuzz.argLine="-Xmx$heap -Dorg.slf4j.simpleLogger.defaultLogLevel=error" >"$log" 2>&1; then
    result=ok
  else
    result=FAILED
    status=1
  fi
  took=$(( $(date +%s) - start ))
  runs=$(grep -ho 'Done [0-9]* runs in [0-9]* second' "$module"/target/surefire-reports/*"$class"* "$log" 2>/dev/null \
    | tail -1 | sed 's/Done \([0-9]*\) runs in \([0-9]*\) second/\1 executions in \2 s/')
  summary+=("$class: ${runs:-executions unknown} ($took s with the build); $result")
done

if [ ${#summary[@]} -eq 0 ]; then
  echo "fuzz: no target named $which; $0 --list names them" >&2
  exit 2
fi
printf '%s\n' "${summary[@]}"
exit $status
