#!/usr/bin/env bash
# A local Kafka broker (KRaft, one node that is its own controller) from Maven artifacts: no Docker, no download
# beyond Maven Central. For trying forward listeners by hand (README, "Kafka") and for `bench.jar forward`.
#
#   bench/scripts/kafka-local.sh start              # the broker on 127.0.0.1:9092 (KAFKA_PORT), data in
#                                                   # target/kafka-local (KAFKA_DIR); Ctrl-C stops it
#   bench/scripts/kafka-local.sh consume TOPIC      # print TOPIC's records from the start: key, headers, value
#   bench/scripts/kafka-local.sh produce TOPIC      # one record per line read, "key<TAB>value"
#   bench/scripts/kafka-local.sh classpath          # the path of the file holding the class path (made once)
#
# Any java 17 or newer runs it (JAVA, else JAVA_HOME's, else the one on the PATH).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
port=${KAFKA_PORT:-9092}
controller=${KAFKA_CONTROLLER_PORT:-$((port + 1))}
dir=${KAFKA_DIR:-$root/target/kafka-local}
java=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/java}}
java=${java:-java}
cpfile=$root/target/kafka-local.classpath

classpath() {
  if [ ! -s "$cpfile" ]; then
    mkdir -p "$root/target"
    "$root/mvnw" -q -B -f "$root/bench/kafka/pom.xml" dependency:build-classpath -Dmdep.outputFile="$cpfile" >&2
  fi
  echo "$cpfile"
}

run() {
  local main=$1; shift
  exec "$java" -Xmx512m -XX:+UseSerialGC -Dorg.slf4j.simpleLogger.defaultLogLevel="${KAFKA_LOG_LEVEL:-warn}" \
    -cp "$(cat "$(classpath)")" "$main" "$@"
}

case "${1:-}" in
  classpath) classpath ;;
  start)
    mkdir -p "$dir"
    config=$dir/server.properties
    cat > "$config" <<PROPERTIES
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
broker.session.timeout.ms=2000
broker.heartbeat.interval.ms=500
auto.create.topics.enable=true
PROPERTIES
    if [ ! -f "$dir/data/meta.properties" ]; then
      id=$("$java" -cp "$(cat "$(classpath)")" kafka.tools.StorageTool random-uuid)
      (run kafka.tools.StorageTool format -t "$id" -c "$config") >/dev/null
    fi
    echo "Kafka on 127.0.0.1:$port (data in $dir)" >&2
    run kafka.Kafka "$config" ;;
  consume)
    run org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server "127.0.0.1:$port" --topic "$2" --from-beginning \
      --property print.key=true --property print.headers=true ;;
  produce)
    run org.apache.kafka.tools.ConsoleProducer --bootstrap-server "127.0.0.1:$port" --topic "$2" \
      --property parse.key=true ;;
  *) sed -n '2,12p' "$0"; exit 2 ;;
esac
