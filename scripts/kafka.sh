#!/usr/bin/env bash
# A real single-node Apache Kafka broker (KRaft, broker+controller) on 127.0.0.1 for the tests,
# without Docker: the jars come from Maven Central through Maven and are cached outside the repo.
#
#   scripts/kafka.sh start  [--version 3.9|4.1|X.Y.Z] [--name NAME]   prints KAFKA_BROKERS=127.0.0.1:PORT
#   scripts/kafka.sh stop   [--name NAME]     stops the broker it started (by pid) and deletes its data
#   scripts/kafka.sh status [--name NAME]
#   scripts/kafka.sh halt   [--name NAME]     stops the broker but keeps its data, ports and config
#   scripts/kafka.sh resume [--name NAME]     starts a halted broker again on the same port
#
# Environment: KAFKA_VERSION (default below), K1S0_KAFKA_CACHE (jar cache, default
# ~/.cache/k1s0-kafka), K1S0_KAFKA_STATE (state files, default $TMPDIR/k1s0-kafka-state).
# Progress goes to stderr; stdout carries only the KAFKA_BROKERS line, so that
# `eval "$(scripts/kafka.sh start)"` works.
set -euo pipefail

KAFKA_DEFAULT_VERSION=3.9.2   # newest 3.9.x
KAFKA_41_VERSION=4.1.2        # newest 4.1.x
SCALA=2.13
SLF4J_VERSION=1.7.36
LOG4J2_VERSION=2.24.3
READY_TIMEOUT_S=120
STOP_TIMEOUT_S=20

CACHE_ROOT=${K1S0_KAFKA_CACHE:-$HOME/.cache/k1s0-kafka}
STATE_ROOT=${K1S0_KAFKA_STATE:-${TMPDIR:-/tmp}/k1s0-kafka-state}

say() { printf 'kafka.sh: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

usage() {
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

command=${1:-}
[ -n "$command" ] || usage
shift
version=${KAFKA_VERSION:-$KAFKA_DEFAULT_VERSION}
name=default
while [ $# -gt 0 ]; do
  case "$1" in
    --version) version=${2:?--version needs a value}; shift 2 ;;
    --name) name=${2:?--name needs a value}; shift 2 ;;
    -h|--help) usage ;;
    *) die "unknown argument '$1'" ;;
  esac
done
case "$version" in
  3.9) version=$KAFKA_DEFAULT_VERSION ;;
  4.1) version=$KAFKA_41_VERSION ;;
esac
[[ "$name" =~ ^[A-Za-z0-9_.-]+$ ]] || die "--name may hold letters, digits, '.', '_' and '-' only"
state_file=$STATE_ROOT/$name.env

# Fetches kafka_2.13:<version> with its runtime dependencies and the slf4j binding that fits it
# (Kafka 3.x logs through reload4j, 4.x through log4j2) into the cache, once.
fetch_jars() {
  local libs=$CACHE_ROOT/$version/libs
  if [ -f "$libs/.complete" ]; then
    echo "$libs"
    return
  fi
  command -v mvn >/dev/null || die "mvn is needed to fetch Kafka's jars from Maven Central"
  command -v java >/dev/null || die "java (17 or newer) is needed to run Kafka"
  local binding
  if [[ "$version" == 3.* ]]; then
    binding="<dependency><groupId>org.slf4j</groupId><artifactId>slf4j-reload4j</artifactId><version>$SLF4J_VERSION</version></dependency>"
  else
    binding="<dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>$LOG4J2_VERSION</version></dependency>"
  fi
  local work
  work=$(mktemp -d)
  cat >"$work/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.k1s0</groupId><artifactId>kafka-broker-jars</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_$SCALA</artifactId><version>$version</version></dependency>
    $binding
  </dependencies>
</project>
EOF
  say "fetching Apache Kafka $version jars from Maven Central into $libs"
  rm -rf "$libs"
  mkdir -p "$libs"
  if ! mvn -q -B -Dstyle.color=never -f "$work/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$libs" >&2; then
    rm -rf "$work" "$libs"
    die "Maven could not fetch org.apache.kafka:kafka_$SCALA:$version"
  fi
  rm -rf "$work"
  touch "$libs/.complete"
  echo "$libs"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

random_cluster_id() {
  # 16 random bytes, base64url without padding: the form of Kafka's Uuid.
  python3 -c 'import base64, os
while True:
    u = base64.urlsafe_b64encode(os.urandom(16)).decode().rstrip("=")
    if not u.startswith("-"):
        print(u); break'
}

load_state() {
  [ -f "$state_file" ] || return 1
  # shellcheck disable=SC1090
  . "$state_file"
}

is_our_broker() {
  local pid=$1
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "kafka.Kafka $KAFKA_CONFIG"
}

launch() {
  local java_opts="-Xmx512m -Xms256m -XX:+UseG1GC -Djava.awt.headless=true"
  if [[ "$KAFKA_RUN_VERSION" == 3.* ]]; then
    java_opts+=" -Dlog4j.configuration=file:$KAFKA_DIR/log4j.properties"
  else
    java_opts+=" -Dlog4j2.configurationFile=$KAFKA_DIR/log4j2.properties"
  fi
  # A fresh log, so that readiness is judged by this run's lines only.
  [ -f "$KAFKA_DIR/server.log" ] && mv "$KAFKA_DIR/server.log" "$KAFKA_DIR/server.log.prev"
  # shellcheck disable=SC2086
  setsid nohup java $java_opts -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_CONFIG" >>"$KAFKA_DIR/stdout.log" 2>&1 </dev/null &
  KAFKA_PID=$!
}

wait_ready() {
  local deadline=$((SECONDS + READY_TIMEOUT_S))
  while [ $SECONDS -lt $deadline ]; do
    if ! kill -0 "$KAFKA_PID" 2>/dev/null; then
      say "the broker exited during start-up; last lines of its logs:"
      tail -n 50 "$KAFKA_DIR"/stdout.log "$KAFKA_DIR"/server.log 2>/dev/null >&2 || true
      return 1
    fi
    # Ready once it logged its start and its listener accepts connections.
    if grep -q "Kafka Server started" "$KAFKA_DIR/server.log" 2>/dev/null &&
      (exec 3<>"/dev/tcp/127.0.0.1/$KAFKA_PORT") 2>/dev/null; then
      return 0
    fi
    sleep 0.5
  done
  say "the broker did not become ready within ${READY_TIMEOUT_S}s; last lines of its logs:"
  tail -n 50 "$KAFKA_DIR"/stdout.log "$KAFKA_DIR"/server.log 2>/dev/null >&2 || true
  return 1
}

write_state() {
  mkdir -p "$STATE_ROOT"
  cat >"$state_file" <<EOF
KAFKA_PID=$KAFKA_PID
KAFKA_DIR=$KAFKA_DIR
KAFKA_PORT=$KAFKA_PORT
KAFKA_CONFIG=$KAFKA_CONFIG
KAFKA_LIBS=$KAFKA_LIBS
KAFKA_RUN_VERSION=$KAFKA_RUN_VERSION
EOF
}

terminate() {
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || return 0
  local deadline=$((SECONDS + STOP_TIMEOUT_S))
  while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    say "the broker did not stop within ${STOP_TIMEOUT_S}s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
}

start() {
  if load_state && is_our_broker "$KAFKA_PID"; then
    say "broker '$name' is already running (pid $KAFKA_PID)"
    echo "KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT"
    return
  fi
  if load_state; then
    say "discarding the halted broker '$name'"
    stop
  fi
  KAFKA_LIBS=$(fetch_jars)
  KAFKA_RUN_VERSION=$version
  KAFKA_DIR=$(mktemp -d "${TMPDIR:-/tmp}/k1s0-kafka-$name.XXXXXX")
  KAFKA_PORT=$(free_port)
  local controller_port
  controller_port=$(free_port)
  while [ "$controller_port" = "$KAFKA_PORT" ]; do controller_port=$(free_port); done
  KAFKA_CONFIG=$KAFKA_DIR/server.properties
  cat >"$KAFKA_CONFIG" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$KAFKA_DIR/data
num.partitions=1
auto.create.topics.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.flush.interval.messages=9223372036854775807
EOF
  cat >"$KAFKA_DIR/log4j.properties" <<EOF
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=$KAFKA_DIR/server.log
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=INFO
log4j.logger.org.apache.kafka=INFO
EOF
  cat >"$KAFKA_DIR/log4j2.properties" <<EOF
status=warn
appender.file.type=File
appender.file.name=file
appender.file.fileName=$KAFKA_DIR/server.log
appender.file.layout.type=PatternLayout
appender.file.layout.pattern=[%d] %p %m (%c)%n
rootLogger.level=INFO
rootLogger.appenderRef.file.ref=file
EOF
  say "formatting KRaft storage in $KAFKA_DIR/data (Kafka $version)"
  if ! java -Xmx256m -Dlog4j.configuration="file:$KAFKA_DIR/log4j.properties" -Dlog4j2.configurationFile="$KAFKA_DIR/log4j2.properties" \
    -cp "$KAFKA_LIBS/*" kafka.tools.StorageTool format -t "$(random_cluster_id)" -c "$KAFKA_CONFIG" >"$KAFKA_DIR/format.log" 2>&1; then
    cat "$KAFKA_DIR/format.log" >&2
    rm -rf "$KAFKA_DIR"
    die "formatting the KRaft storage failed"
  fi
  launch
  write_state
  say "starting broker '$name' (pid $KAFKA_PID) on 127.0.0.1:$KAFKA_PORT"
  if ! wait_ready; then
    terminate "$KAFKA_PID"
    rm -rf "$KAFKA_DIR" "$state_file"
    die "the broker did not start"
  fi
  say "broker '$name' is ready (Kafka $version)"
  echo "KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT"
}

stop() {
  if ! load_state; then
    say "no broker '$name' is running"
    return 0
  fi
  if is_our_broker "$KAFKA_PID"; then
    say "stopping broker '$name' (pid $KAFKA_PID)"
    terminate "$KAFKA_PID"
  fi
  case "$KAFKA_DIR" in
    */k1s0-kafka-"$name".*) rm -rf "$KAFKA_DIR" ;;
  esac
  rm -f "$state_file"
  say "broker '$name' stopped"
}

halt() {
  load_state || die "no broker '$name' is running"
  if is_our_broker "$KAFKA_PID"; then
    say "halting broker '$name' (pid $KAFKA_PID); its data stays"
    terminate "$KAFKA_PID"
  fi
}

resume() {
  load_state || die "no broker '$name' to resume"
  if is_our_broker "$KAFKA_PID"; then
    say "broker '$name' is already running"
  else
    launch
    write_state
    say "resuming broker '$name' (pid $KAFKA_PID) on 127.0.0.1:$KAFKA_PORT"
    wait_ready || die "the broker did not come back"
  fi
  echo "KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT"
}

status() {
  if load_state && is_our_broker "$KAFKA_PID"; then
    say "broker '$name' is running (pid $KAFKA_PID, Kafka $KAFKA_RUN_VERSION)"
    echo "KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT"
  elif load_state; then
    say "broker '$name' is halted (data in $KAFKA_DIR)"
    return 1
  else
    say "no broker '$name'"
    return 1
  fi
}

case "$command" in
  start) start ;;
  stop) stop ;;
  halt) halt ;;
  resume) resume ;;
  status) status ;;
  *) usage ;;
esac
