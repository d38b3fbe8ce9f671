#!/usr/bin/env bash
# A real single-node Apache Kafka broker (KRaft, broker+controller in one JVM) on 127.0.0.1 for
# the tests, without Docker: the jars come from Maven Central through Maven, cached outside the
# repo, and the broker's data lives in a fresh temporary directory that `stop` deletes.
#
# Usage:
#   scripts/kafka.sh start  [--version 3.9|4.1|X.Y.Z] [--name NAME]
#       formats fresh KRaft storage, starts a broker on free ports, waits until it answers a
#       metadata request, and prints one line on stdout: KAFKA_BROKERS=127.0.0.1:PORT
#   scripts/kafka.sh stop   [--name NAME]   stops the broker it started (by pid), deletes its data
#   scripts/kafka.sh status [--name NAME]   exit 0 and the KAFKA_BROKERS line if it is running
#   scripts/kafka.sh halt   [--name NAME]   stops the broker process but keeps data, ports, config
#   scripts/kafka.sh resume [--name NAME]   starts a halted broker again (same port, same data)
#   scripts/kafka.sh kill   [--name NAME]   SIGKILLs the broker (a crash): data, port, config stay;
#                                           `resume` starts it again
#   scripts/kafka.sh pause  [--name NAME]   SIGSTOPs the broker: its sockets stay open, nothing answers
#   scripts/kafka.sh cont   [--name NAME]   SIGCONTs a paused broker
#   scripts/kafka.sh fetch  [--version ...] only downloads the jars into the cache
#
# --name (default "default") lets several brokers run at once, e.g. one 3.9 and one 4.1.
# Environment: KAFKA_VERSION (instead of --version), K1S0_KAFKA_CACHE (jar cache, default
# ~/.cache/k1s0-kafka), K1S0_KAFKA_STATE (state files, default ${TMPDIR:-/tmp}/k1s0-kafka-state),
# K1S0_KAFKA_READY_TIMEOUT (seconds to wait for the broker to answer, default 90).
# Progress goes to stderr; stdout carries only the KAFKA_BROKERS line, so that
#   eval "$(scripts/kafka.sh start)"   or   export "$(scripts/kafka.sh start)"
# works.
set -euo pipefail

# Pinned versions: the newest 3.9.x and 4.1.x that Maven Central serves (checked 3.9.3 and 4.1.3:
# not published).
KAFKA_DEFAULT_VERSION=3.9.2
KAFKA_39_VERSION=3.9.2
KAFKA_41_VERSION=4.1.2
SCALA_VERSION=2.13
# The logging backend is not among kafka_2.13's runtime dependencies; these are the ones Kafka's
# own distribution ships. Both 3.9 and 4.1 log through slf4j 1.7.36 (see their poms): 3.x binds it
# to reload4j, 4.x to log4j2 through log4j-slf4j-impl (the slf4j-1 binding, not log4j-slf4j2-impl).
SLF4J_VERSION=1.7.36
LOG4J2_VERSION=2.24.3
# Pinned so that the download does not depend on which plugin version a given Maven defaults to.
DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1
# Bumped whenever the set of jars below changes, so that older caches are fetched again.
CACHE_RECIPE=2

# A cold JVM on a busy 2-core CI machine takes 5-10 s; the margin is for slower ones.
READY_TIMEOUT_S=${K1S0_KAFKA_READY_TIMEOUT:-90}
STOP_TIMEOUT_S=20
BROKER_HEAP_OPTS=(-Xmx512m -Xms256m)

CACHE_ROOT=${K1S0_KAFKA_CACHE:-$HOME/.cache/k1s0-kafka}
STATE_ROOT=${K1S0_KAFKA_STATE:-${TMPDIR:-/tmp}/k1s0-kafka-state}

say() { printf 'kafka.sh: %s\n' "$*" >&2; }
die() {
  say "error: $*"
  exit 1
}

usage() {
  sed -n '5,26p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

command=
version=${KAFKA_VERSION:-$KAFKA_DEFAULT_VERSION}
name=default
while [ $# -gt 0 ]; do
  case "$1" in
    --version) [ $# -ge 2 ] || die "--version needs a value"; version=$2; shift 2 ;;
    --version=*) version=${1#--version=}; shift ;;
    --name) [ $# -ge 2 ] || die "--name needs a value"; name=$2; shift 2 ;;
    --name=*) name=${1#--name=}; shift ;;
    -h | --help | help) usage ;;
    -*) say "unknown option '$1'"; usage ;;
    *)
      [ -z "$command" ] || { say "unexpected argument '$1'"; usage; }
      command=$1
      shift
      ;;
  esac
done
[ -n "$command" ] || usage
case "$version" in
  3.9) version=$KAFKA_39_VERSION ;;
  4.1) version=$KAFKA_41_VERSION ;;
esac
# Only start and fetch use the version; the other commands read it from the state file.
case "$command" in
  start | fetch)
    [[ "$version" =~ ^[34]\.[0-9]+\.[0-9]+$ ]] ||
      die "unsupported Kafka version '$version' (3.x.y or 4.x.y, or 3.9 / 4.1)"
    ;;
esac
# The name becomes part of file names and of the pattern that guards `rm -rf`.
[[ "$name" =~ ^[A-Za-z0-9_.-]+$ ]] || die "--name may hold letters, digits, '.', '_' and '-' only"
state_file=$STATE_ROOT/$name.env

major_of() { printf '%s' "${1%%.*}"; }

# ---------------------------------------------------------------------------------------------
# Jars

# Fetches kafka_2.13:<version> with its runtime dependencies, kafka-tools (for the readiness
# check and the console tools) and the logging backend into $CACHE_ROOT/<version>/libs, once.
# Prints the libs directory.
fetch_jars() {
  local v=$1
  local dir=$CACHE_ROOT/$v
  local libs=$dir/libs marker=$dir/.complete
  local recipe="recipe=$CACHE_RECIPE kafka_$SCALA_VERSION=$v"
  if [ "$(cat "$marker" 2>/dev/null)" = "$recipe" ]; then
    printf '%s\n' "$libs"
    return
  fi
  command -v mvn >/dev/null || die "mvn is needed to fetch Kafka's jars from Maven Central"
  mkdir -p "$dir"
  # Two starts at once (say the 3.9 and the 4.1 broker) must not download into the same place.
  if command -v flock >/dev/null; then
    exec {lock_fd}>"$dir/.lock"
    flock "$lock_fd"
    if [ "$(cat "$marker" 2>/dev/null)" = "$recipe" ]; then
      exec {lock_fd}>&-
      printf '%s\n' "$libs"
      return
    fi
  fi
  local binding
  if [ "$(major_of "$v")" -ge 4 ]; then
    binding="<dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>$LOG4J2_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>$LOG4J2_VERSION</version></dependency>"
  else
    binding="<dependency><groupId>org.slf4j</groupId><artifactId>slf4j-reload4j</artifactId><version>$SLF4J_VERSION</version></dependency>"
  fi
  local work
  work=$(mktemp -d "${TMPDIR:-/tmp}/k1s0-kafka-fetch.XXXXXX")
  # kafka-tools drags in connect-runtime (Jetty, Jersey, ~20 MB) for one tool we never run.
  cat >"$work/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.k1s0</groupId>
  <artifactId>kafka-broker-jars</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_$SCALA_VERSION</artifactId><version>$v</version></dependency>
    <dependency>
      <groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>$v</version>
      <exclusions>
        <exclusion><groupId>org.apache.kafka</groupId><artifactId>connect-runtime</artifactId></exclusion>
        <exclusion><groupId>com.fasterxml.jackson.jaxrs</groupId><artifactId>*</artifactId></exclusion>
        <exclusion><groupId>com.fasterxml.jackson.jakarta.rs</groupId><artifactId>*</artifactId></exclusion>
      </exclusions>
    </dependency>
    $binding
  </dependencies>
</project>
EOF
  say "fetching Apache Kafka $v jars from Maven Central into $libs"
  local partial=$dir/libs.partial.$$
  rm -rf "$partial"
  # Maven's output is kept for a failure only (with -q it still prints colour resets).
  if ! mvn -q -B -Dstyle.color=never -f "$work/pom.xml" "$DEPENDENCY_PLUGIN:copy-dependencies" \
    -DincludeScope=runtime -DoutputDirectory="$partial" >"$work/mvn.log" 2>&1; then
    sed 's/\x1b\[[0-9;]*m//g' "$work/mvn.log" >&2
    rm -rf "$work" "$partial"
    die "Maven could not fetch org.apache.kafka:kafka_$SCALA_VERSION:$v (output above)"
  fi
  rm -rf "$work"
  [ -f "$partial/kafka_$SCALA_VERSION-$v.jar" ] || die "Maven did not deliver kafka_$SCALA_VERSION-$v.jar"
  # Bring the complete set in by renaming, never by rewriting a jar in place: a broker that runs
  # from an older cache of this version keeps reading its open jars, and finds the ones it has
  # not opened yet (same names, same content). Jars of an older recipe that are no longer wanted
  # go away. The marker is written last, so an interrupted update is redone next time.
  mkdir -p "$libs"
  rm -f "$libs/.complete" # the marker of this script's first version
  local jar
  for jar in "$libs"/*.jar; do
    if [ -e "$jar" ] && [ ! -e "$partial/${jar##*/}" ]; then rm -f "$jar"; fi
  done
  mv -f "$partial"/* "$libs"/
  rmdir "$partial"
  printf '%s\n' "$recipe" >"$marker"
  [ -z "${lock_fd:-}" ] || exec {lock_fd}>&-
  printf '%s\n' "$libs"
}

# ---------------------------------------------------------------------------------------------
# Helpers

# Two distinct free loopback ports, chosen by the OS (both sockets are open at once, so they
# differ). node is there in any checkout of this npm project; python3 is the fallback.
free_ports() {
  if command -v node >/dev/null; then
    node -e 'const net = require("net"); const a = net.createServer(), b = net.createServer();
      a.listen(0, "127.0.0.1", () => b.listen(0, "127.0.0.1", () => {
        console.log(a.address().port + " " + b.address().port); a.close(); b.close(); }));'
  else
    python3 -c 'import socket
a = socket.socket(); a.bind(("127.0.0.1", 0)); b = socket.socket(); b.bind(("127.0.0.1", 0))
print(a.getsockname()[1], b.getsockname()[1])'
  fi
}

# A Kafka Uuid: 16 random bytes, base64url without padding, never starting with '-' (Kafka's own
# Uuid.randomUuid() avoids that too, since such an id reads like a command-line flag).
random_cluster_id() {
  if command -v node >/dev/null; then
    node -e 'let s; do { s = require("crypto").randomBytes(16).toString("base64url"); } while (s.startsWith("-")); console.log(s);'
  else
    python3 -c 'import base64, os
while True:
    u = base64.urlsafe_b64encode(os.urandom(16)).decode().rstrip("=")
    if not u.startswith("-"):
        print(u); break'
  fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

load_state() {
  [ -f "$state_file" ] || return 1
  KAFKA_HALTED=0
  # shellcheck disable=SC1090
  . "$state_file"
}

write_state() {
  mkdir -p "$STATE_ROOT"
  {
    printf '# scripts/kafka.sh state of broker %q\n' "$name"
    local var
    for var in KAFKA_PID KAFKA_DIR KAFKA_PORT KAFKA_CONTROLLER_PORT KAFKA_CONFIG KAFKA_LIBS \
      KAFKA_RUN_VERSION KAFKA_CLUSTER_ID KAFKA_HALTED; do
      printf '%s=%q\n' "$var" "${!var}"
    done
    printf 'KAFKA_BROKERS=%q\n' "127.0.0.1:$KAFKA_PORT"
  } >"$state_file.tmp"
  mv "$state_file.tmp" "$state_file"
}

# True when $1 is the very java process this script started for this config: a pid alone may
# have been reused by anything since.
is_our_broker() {
  local pid=$1
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] &&
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "kafka.Kafka $KAFKA_CONFIG"
}

# The JVM flags that point the logging backend of this version at a config file.
log_opts() {
  local kind=$1 # server or tools
  if [ "$(major_of "$KAFKA_RUN_VERSION")" -ge 4 ]; then
    printf '%s\n' "-Dlog4j2.configurationFile=$KAFKA_DIR/log4j2-$kind.properties"
  else
    printf '%s\n' "-Dlog4j.configuration=file:$KAFKA_DIR/log4j-$kind.properties"
  fi
}

# The broker logs INFO and up to server.log in its directory, nothing to the console; the tools
# run by this script log WARN and up to stderr, which is captured.
write_log_configs() {
  cat >"$KAFKA_DIR/log4j-server.properties" <<EOF
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=$KAFKA_DIR/server.log
log4j.appender.file.Append=true
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
EOF
  cat >"$KAFKA_DIR/log4j-tools.properties" <<EOF
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
  cat >"$KAFKA_DIR/log4j2-server.properties" <<EOF
status = warn
appender.file.type = File
appender.file.name = file
appender.file.fileName = $KAFKA_DIR/server.log
appender.file.append = true
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = file
logger.request.name = kafka.request.logger
logger.request.level = WARN
EOF
  cat >"$KAFKA_DIR/log4j2-tools.properties" <<EOF
status = warn
appender.stderr.type = Console
appender.stderr.name = stderr
appender.stderr.target = SYSTEM_ERR
appender.stderr.layout.type = PatternLayout
appender.stderr.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.stderr.ref = stderr
EOF
}

# Runs a Kafka command-line class from the cached jars within $1 seconds, with a small JVM that
# starts quickly.
run_tool() {
  local limit=$1 opts
  shift
  opts=$(log_opts tools)
  timeout "$limit" java -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 "$opts" \
    -cp "$KAFKA_LIBS/*" "$@"
}

print_logs() {
  local f
  for f in "$KAFKA_DIR/stdout.log" "$KAFKA_DIR/server.log"; do
    if [ -s "$f" ]; then
      say "last lines of $f:"
      tail -n 50 "$f" >&2
    fi
  done
}

# ---------------------------------------------------------------------------------------------
# Broker process

launch() {
  local opts
  opts=$(log_opts server)
  rm -f "$KAFKA_DIR/pid"
  # setsid: the broker must outlive this script and not share its caller's process group (a
  # test runner's Ctrl-C or `$(...)` must not take it down). setsid forks when the caller is a
  # process-group leader, so $! is not reliably java's pid: the wrapper shell writes its own pid
  # and then execs java, which keeps that pid.
  # shellcheck disable=SC2016 # $$ and $1 are the wrapper shell's, not ours
  setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' kafka-launch "$KAFKA_DIR/pid" \
    java "${BROKER_HEAP_OPTS[@]}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true "$opts" -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_CONFIG" \
    </dev/null >>"$KAFKA_DIR/stdout.log" 2>&1 &
  for _ in $(seq 1 100); do
    [ -s "$KAFKA_DIR/pid" ] && break
    sleep 0.05
  done
  KAFKA_PID=$(cat "$KAFKA_DIR/pid" 2>/dev/null || true)
  [ -n "$KAFKA_PID" ] || die "could not launch java (see $KAFKA_DIR/stdout.log)"
}

# Ready means the broker answered a metadata request (TopicCommand --list), not merely that its
# port accepts connections: the socket opens before the broker has joined the KRaft quorum.
wait_ready() {
  local deadline=$((SECONDS + READY_TIMEOUT_S))
  while [ $SECONDS -lt $deadline ]; do
    if ! is_our_broker "$KAFKA_PID"; then
      say "the broker exited during start-up"
      print_logs
      return 1
    fi
    if port_in_use "$KAFKA_PORT" && metadata_answers; then
      return 0
    fi
    sleep 0.5
  done
  say "the broker did not answer within ${READY_TIMEOUT_S}s"
  print_logs
  return 1
}

# TopicCommand lives in kafka-tools as org.apache.kafka.tools.TopicCommand in both 3.9 and 4.x
# (3.9's core no longer has kafka.admin.TopicCommand). Short client timeouts (admin.properties)
# keep one try from eating the whole start-up budget.
metadata_answers() {
  run_tool 30 org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" \
    --command-config "$KAFKA_DIR/admin.properties" --list >"$KAFKA_DIR/ready-check.log" 2>&1
}

# SIGTERM lets Kafka shut down cleanly (so that a `resume` need not recover its logs); SIGKILL
# only after STOP_TIMEOUT_S. A paused (SIGSTOPped) broker gets SIGCONT after the TERM, or it would
# only act on it once continued.
terminate() {
  local pid=$1
  is_our_broker "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  kill -CONT "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT_S))
  while is_our_broker "$pid" && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
  if is_our_broker "$pid"; then
    say "the broker did not stop within ${STOP_TIMEOUT_S}s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
    while is_our_broker "$pid"; do sleep 0.1; done
  fi
}

# SIGKILL, and waits until the process is gone (a stopped process dies of SIGKILL too).
kill_now() {
  local pid=$1
  is_our_broker "$pid" || return 0
  kill -KILL "$pid" 2>/dev/null || true
  while is_our_broker "$pid"; do sleep 0.05; done
}

# True when the process is stopped (SIGSTOP): state T in /proc/PID/stat.
is_paused() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  # The command name in parentheses may hold spaces: the state is the first field after it.
  stat=${stat##*) }
  [ "${stat%% *}" = T ]
}

# Deletes the broker's directory, but only one that this script made (guards the rm -rf).
remove_dir() {
  case "$KAFKA_DIR" in
    */k1s0-kafka-"$name".??????) rm -rf "$KAFKA_DIR" ;;
    *) say "not deleting '$KAFKA_DIR': not a directory this script made" ;;
  esac
}

# ---------------------------------------------------------------------------------------------
# Commands

cmd_fetch() {
  command -v java >/dev/null || die "java (17 or newer) is needed to run Kafka"
  fetch_jars "$version" >/dev/null
}

cmd_start() {
  if load_state; then
    if is_our_broker "$KAFKA_PID"; then
      [ "$KAFKA_RUN_VERSION" = "$version" ] ||
        die "broker '$name' already runs Kafka $KAFKA_RUN_VERSION, not $version: stop it or use another --name"
      say "broker '$name' is already running (pid $KAFKA_PID, Kafka $KAFKA_RUN_VERSION)"
      echo "KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT"
      return
    fi
    [ "$KAFKA_HALTED" != 1 ] || die "broker '$name' is halted: 'resume' or 'stop' it first"
    say "broker '$name' died earlier; cleaning up after it"
    remove_dir
    rm -f "$state_file"
  fi
  command -v java >/dev/null || die "java (17 or newer) is needed to run Kafka"
  KAFKA_LIBS=$(fetch_jars "$version")
  KAFKA_RUN_VERSION=$version
  KAFKA_HALTED=0
  KAFKA_DIR=$(mktemp -d "${TMPDIR:-/tmp}/k1s0-kafka-$name.XXXXXX")
  # From here on, an interrupted or failed start leaves no broker and no directory behind.
  KAFKA_PID=
  trap 'terminate "$KAFKA_PID"; remove_dir; rm -f "$state_file"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  local ports
  ports=$(free_ports)
  KAFKA_PORT=${ports% *}
  KAFKA_CONTROLLER_PORT=${ports#* }
  KAFKA_CLUSTER_ID=$(random_cluster_id)
  KAFKA_CONFIG=$KAFKA_DIR/server.properties
  # A static voter set (controller.quorum.voters) formats and starts the same way on 3.9 and 4.x;
  # 4.x's dynamic quorum (`format --standalone`) would not work on 3.9's defaults.
  cat >"$KAFKA_CONFIG" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$KAFKA_DIR/data
num.partitions=1
auto.create.topics.enable=true
# One node: every internal topic has one replica; one partition each makes the first consumer
# group and the first transaction quick (the defaults, 50 partitions each, take seconds).
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
group.initial.rebalance.delay.ms=0
# The log cleaner (for __consumer_offsets) allocates this buffer on the heap: 128 MiB by default.
log.cleaner.dedupe.buffer.size=16777216
EOF
  if [ "$(major_of "$version")" -ge 4 ]; then
    cat >>"$KAFKA_CONFIG" <<EOF
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
EOF
  fi
  printf 'request.timeout.ms=5000\ndefault.api.timeout.ms=10000\n' >"$KAFKA_DIR/admin.properties"
  write_log_configs
  say "formatting KRaft storage in $KAFKA_DIR/data (Kafka $version, cluster $KAFKA_CLUSTER_ID)"
  if ! run_tool 60 kafka.tools.StorageTool format -t "$KAFKA_CLUSTER_ID" -c "$KAFKA_CONFIG" \
    >"$KAFKA_DIR/format.log" 2>&1; then
    cat "$KAFKA_DIR/format.log" >&2
    die "formatting the KRaft storage failed"
  fi
  launch
  write_state
  say "starting broker '$name' (pid $KAFKA_PID, Kafka $version) on 127.0.0.1:$KAFKA_PORT"
  wait_ready || die "the broker did not start"
  trap - EXIT
  say "broker '$name' is ready after ${SECONDS}s"
  echo "KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT"
}

cmd_stop() {
  if ! load_state; then
    say "no broker '$name' is running; nothing to stop"
    return 0
  fi
  if is_our_broker "$KAFKA_PID"; then
    say "stopping broker '$name' (pid $KAFKA_PID)"
    terminate "$KAFKA_PID"
  fi
  remove_dir
  rm -f "$state_file"
  say "broker '$name' stopped and its data deleted"
}

cmd_halt() {
  load_state || die "no broker '$name' to halt"
  if is_our_broker "$KAFKA_PID"; then
    say "halting broker '$name' (pid $KAFKA_PID); its data, port and config stay"
    terminate "$KAFKA_PID"
  else
    say "broker '$name' was not running"
  fi
  KAFKA_HALTED=1
  write_state
}

cmd_resume() {
  load_state || die "no broker '$name' to resume"
  if is_our_broker "$KAFKA_PID" && is_paused "$KAFKA_PID"; then
    die "broker '$name' is paused, not halted: 'cont' continues it"
  elif is_our_broker "$KAFKA_PID"; then
    say "broker '$name' is already running (pid $KAFKA_PID)"
  else
    [ -f "$KAFKA_CONFIG" ] || die "the config $KAFKA_CONFIG of broker '$name' is gone"
    # Clients hold on to this address, so the broker must come back on the same port.
    if port_in_use "$KAFKA_PORT" || port_in_use "$KAFKA_CONTROLLER_PORT"; then
      die "port $KAFKA_PORT or $KAFKA_CONTROLLER_PORT is now taken by another process"
    fi
    launch
    KAFKA_HALTED=0
    write_state
    say "resuming broker '$name' (pid $KAFKA_PID) on 127.0.0.1:$KAFKA_PORT"
    if ! wait_ready; then
      terminate "$KAFKA_PID"
      KAFKA_HALTED=1
      write_state
      die "the broker did not come back (its data stays; 'stop' deletes it)"
    fi
    say "broker '$name' is ready again after ${SECONDS}s"
  fi
  echo "KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT"
}

cmd_kill() {
  load_state || die "no broker '$name' to kill"
  if is_our_broker "$KAFKA_PID"; then
    say "killing broker '$name' (pid $KAFKA_PID, SIGKILL); its data, port and config stay"
    kill_now "$KAFKA_PID"
  else
    say "broker '$name' was not running"
  fi
  KAFKA_HALTED=1
  write_state
}

cmd_pause() {
  load_state || die "no broker '$name' to pause"
  is_our_broker "$KAFKA_PID" || die "broker '$name' is not running"
  kill -STOP "$KAFKA_PID" || die "could not pause broker '$name' (pid $KAFKA_PID)"
  say "paused broker '$name' (pid $KAFKA_PID, SIGSTOP); 'cont' continues it"
}

cmd_cont() {
  load_state || die "no broker '$name' to continue"
  is_our_broker "$KAFKA_PID" || die "broker '$name' is not running"
  kill -CONT "$KAFKA_PID" || die "could not continue broker '$name' (pid $KAFKA_PID)"
  say "continued broker '$name' (pid $KAFKA_PID, SIGCONT)"
}

cmd_status() {
  if ! load_state; then
    say "no broker '$name'"
    return 1
  fi
  if is_our_broker "$KAFKA_PID" && is_paused "$KAFKA_PID"; then
    say "broker '$name' is paused (pid $KAFKA_PID, Kafka $KAFKA_RUN_VERSION): 'cont' continues it"
    return 1
  elif is_our_broker "$KAFKA_PID"; then
    say "broker '$name' is running (pid $KAFKA_PID, Kafka $KAFKA_RUN_VERSION, data in $KAFKA_DIR)"
    echo "KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT"
  elif [ "$KAFKA_HALTED" = 1 ]; then
    say "broker '$name' is halted (Kafka $KAFKA_RUN_VERSION, port $KAFKA_PORT, data in $KAFKA_DIR)"
    return 1
  else
    say "broker '$name' is not running (it died; 'stop' cleans up after it)"
    return 1
  fi
}

case "$command" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  halt) cmd_halt ;;
  resume) cmd_resume ;;
  kill) cmd_kill ;;
  pause) cmd_pause ;;
  cont) cmd_cont ;;
  fetch) cmd_fetch ;;
  *) say "unknown command '$command'"; usage ;;
esac
