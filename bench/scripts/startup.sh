#!/usr/bin/env bash
# Start-up of the gateway: time from process start to readiness UP, and the resident memory of the idle
# process once ready, as the plain jar and as the image runs it (extracted jar + Java 25 AOT cache made
# by a training run, as the Dockerfile does). Usage: bench/scripts/startup.sh [runs] (default 5).
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS="${1:-5}"
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
FLAGS="-XX:MaxRAMPercentage=70 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:+ExitOnOutOfMemoryError"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
"$JAVA" -Djarmode=tools -jar target/tcp-gateway.jar extract --destination "$WORK/app" >/dev/null
# The training run: start, let the context refresh, exit; the JVM writes what it loaded and linked.
(cd "$WORK/app" && "$JAVA" $FLAGS -XX:AOTCacheOutput=app.aot -Dspring.context.exit=onRefresh \
  -jar tcp-gateway.jar --server.port=0 --gateway.listeners[0].port=0 >/dev/null 2>&1) || true
ls -la "$WORK/app/app.aot" >&2

measure() { # $1 = label, rest = command (run in $WORK/app)
  local label="$1"; shift
  local times=() rss=()
  for run in $(seq 1 "$RUNS"); do
    local mport=$((20000 + RANDOM % 20000)) lport=$((40000 + RANDOM % 20000))
    local start=$(date +%s%N)
    (cd "$WORK/app" && exec "$@" --server.port=$mport --gateway.listeners[0].port=$lport >/dev/null 2>&1) &
    local pid=$!
    until curl -s -o /dev/null -w '%{http_code}' "localhost:$mport/actuator/health/readiness" 2>/dev/null | grep -q 200; do
      sleep 0.02
    done
    local ready=$(( ($(date +%s%N) - start) / 1000000 ))
    sleep 2
    local kb=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
    kill -TERM $pid; wait $pid 2>/dev/null || true
    times+=("$ready"); rss+=("$kb")
  done
  local t=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  local r=$(printf '%s\n' "${rss[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '| %s | %s ms | %s MB |   (runs: %s ms)\n' "$label" "$t" "$((r / 1024))" "${times[*]}"
}

echo "| start-up | to readiness UP (median of $RUNS) | RSS when ready |"
echo "| --- | ---: | ---: |"
measure "java -jar (fat jar)" "$JAVA" $FLAGS -jar "$PWD/target/tcp-gateway.jar"
measure "extracted jar" "$JAVA" $FLAGS -jar tcp-gateway.jar
measure "extracted jar + AOT cache" "$JAVA" $FLAGS -XX:AOTCache=app.aot -jar tcp-gateway.jar
measure "extracted + AOT cache + lazy init" "$JAVA" $FLAGS -XX:AOTCache=app.aot -jar tcp-gateway.jar --spring.main.lazy-initialization=true
