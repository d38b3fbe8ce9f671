#!/usr/bin/env bash
# npm run demo:kafka: starts a local Kafka broker with scripts/kafka.sh, runs the demo against it
# (the reference server publishes completion events; the demo consumes them from Kafka), and
# stops the broker again.
set -euo pipefail
cd "$(dirname "$0")/.."
brokers=$(scripts/kafka.sh start --name demo)
trap 'scripts/kafka.sh stop --name demo' EXIT
KAFKA_BROKERS=${brokers#KAFKA_BROKERS=} npx tsx examples/demo.ts
