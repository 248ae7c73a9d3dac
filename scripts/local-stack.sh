#!/usr/bin/env bash
# The whole observability stack on one machine, without Kubernetes: the inference server, a Prometheus that
# scrapes it (prometheus/local.yml) and remote-writes to InfluxDB, and InfluxDB 1.x that also receives the
# server's own per-inference points. Prints the URLs and runs until Ctrl-C, then stops everything.
#
#   scripts/local-stack.sh [--data-dir DIR]        (npm run stack)
# Needs: node 20 (the project built with npm run build), prometheus and influxd (Debian: prometheus, influxdb).
# Ports: SERVER_PORT (8080), PROMETHEUS_PORT (9090), INFLUX_PORT (8086). Data stays in DIR (default .stack/).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$ROOT/scripts/lib.sh"

DATA_DIR="$ROOT/.stack"
while (($#)); do
  case "$1" in
  --data-dir)
    [[ $# -ge 2 ]] || usage_error "--data-dir needs a directory" "Usage: $0 [--data-dir DIR]"
    DATA_DIR="$2"
    shift 2
    ;;
  -h | --help)
    sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  *) usage_error "unknown argument: $1" "Usage: $0 [--data-dir DIR]" ;;
  esac
done

SERVER_PORT="${SERVER_PORT:-8080}"
PROMETHEUS_PORT="${PROMETHEUS_PORT:-9090}"
INFLUX_PORT="${INFLUX_PORT:-8086}"
INFLUX_DB="${INFLUX_DB:-edge_inference}"
require_cmd node prometheus influxd curl
[[ -f "$ROOT/dist/cli/main.js" ]] || die "the project is not built: run npm run build (npm run stack does it)"
mkdir -p "$DATA_DIR/influxdb" "$DATA_DIR/prometheus"

pids=()
# shellcheck disable=SC2317  # called by the trap
cleanup() {
  trap - EXIT INT TERM
  info "stopping"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

wait_for() { # url what
  local _
  for _ in $(seq 1 100); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  die "$2 did not come up at $1 (logs in $DATA_DIR)"
}

cat >"$DATA_DIR/influxdb.conf" <<CONF
reporting-disabled = true
bind-address = "127.0.0.1:$((INFLUX_PORT + 2))"
[meta]
  dir = "$DATA_DIR/influxdb/meta"
[data]
  dir = "$DATA_DIR/influxdb/data"
  wal-dir = "$DATA_DIR/influxdb/wal"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:$INFLUX_PORT"
  log-enabled = false
CONF
influxd -config "$DATA_DIR/influxdb.conf" >"$DATA_DIR/influxdb.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$INFLUX_PORT/ping" InfluxDB
curl -fsS -XPOST "http://127.0.0.1:$INFLUX_PORT/query" --data-urlencode "q=CREATE DATABASE $INFLUX_DB" >/dev/null

PORT="$SERVER_PORT" HOST=127.0.0.1 INFLUX_URL="http://127.0.0.1:$INFLUX_PORT" INFLUX_DB="$INFLUX_DB" \
  node "$ROOT/dist/cli/main.js" serve >"$DATA_DIR/server.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$SERVER_PORT/v2/health/live" "the inference server"

sed -e "s|__SERVER_TARGET__|127.0.0.1:$SERVER_PORT|" -e "s|__INFLUX_URL__|http://127.0.0.1:$INFLUX_PORT|" \
  -e "s|__INFLUX_DB__|$INFLUX_DB|" -e "s|__SCRAPE_INTERVAL__|5s|" \
  "$ROOT/prometheus/local.yml" >"$DATA_DIR/prometheus.yml"
prometheus --config.file="$DATA_DIR/prometheus.yml" --storage.tsdb.path="$DATA_DIR/prometheus" \
  --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" >"$DATA_DIR/prometheus.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$PROMETHEUS_PORT/-/ready" Prometheus

cat <<MSG
Inference server   http://127.0.0.1:$SERVER_PORT   (POST /predict, /health, /metrics, /v2/...)
Prometheus UI      http://127.0.0.1:$PROMETHEUS_PORT   (try: rate(inference_requests_total[1m]))
InfluxDB           http://127.0.0.1:$INFLUX_PORT   (database $INFLUX_DB: measurements inference, node_stats,
                                               and every Prometheus series through remote_write)
Logs and data in $DATA_DIR. Ctrl-C stops everything.
MSG
wait -n "${pids[@]}"
die "a component stopped unexpectedly (logs in $DATA_DIR)"
