#!/usr/bin/env bash
# Smoke test of a running inference server: the health endpoints, POST /predict with the README's example,
# and /metrics. Stops at the first failure with a message saying what was expected and what came back.
#
#   ./tests/test-inference.sh                     # finds the ml-inference Service through kubectl
#   ./tests/test-inference.sh http://127.0.0.1:8080
#
# Needs only bash and curl. Environment: INFERENCE_URL (instead of the argument), API_TOKEN (sent as a bearer
# token when the server requires one), WAIT_SECONDS (how long to wait for /health to turn 200, default 60),
# KUBECTL (default: kubectl, else "k3s kubectl"), NAMESPACE (default: the kubectl context's).
set -euo pipefail

USAGE="Usage: $0 [URL]   e.g. $0 http://127.0.0.1:8080"
WAIT_SECONDS="${WAIT_SECONDS:-60}"
PREDICT_BODY='{"input": [1.0, 2.0, 3.0, 4.0]}'

fail() {
  printf 'FAIL: %s\n' "$*" >&2
  exit 1
}
pass() { printf 'PASS: %s\n' "$*"; }

case "${1:-}" in
-h | --help)
  printf '%s\n' "$USAGE"
  exit 0
  ;;
-*)
  printf 'ERROR: unknown option: %s\n%s\n' "$1" "$USAGE" >&2
  exit 2
  ;;
esac
(($# <= 1)) || {
  printf 'ERROR: too many arguments\n%s\n' "$USAGE" >&2
  exit 2
}
[[ "$WAIT_SECONDS" =~ ^[0-9]+$ ]] || fail "WAIT_SECONDS must be a whole number of seconds, got '$WAIT_SECONDS'"
command -v curl >/dev/null 2>&1 || fail "curl is required but not installed"

# The URL of the ml-inference Service (its cluster IP: reachable from the cluster's nodes).
find_url() {
  local kubectl=() ns=() ip port
  if [[ -n "${KUBECTL:-}" ]]; then
    read -r -a kubectl <<<"$KUBECTL"
  elif command -v kubectl >/dev/null 2>&1; then
    kubectl=(kubectl)
  elif command -v k3s >/dev/null 2>&1; then
    kubectl=(k3s kubectl)
  else
    fail "no URL given and kubectl not found: pass the server's URL, e.g. $0 http://127.0.0.1:8080"
  fi
  [[ -z "${NAMESPACE:-}" ]] || ns=(--namespace "$NAMESPACE")
  ip="$("${kubectl[@]}" "${ns[@]}" get service ml-inference -o 'jsonpath={.spec.clusterIP}' 2>/dev/null)" ||
    fail "no URL given and 'kubectl get service ml-inference' failed: is the cluster up and ./scripts/deploy.sh done? Or pass a URL."
  port="$("${kubectl[@]}" "${ns[@]}" get service ml-inference -o 'jsonpath={.spec.ports[0].port}')"
  [[ -n "$ip" && "$ip" != None && -n "$port" ]] || fail "service ml-inference has no cluster IP/port"
  printf 'http://%s:%s' "$ip" "$port"
}

URL="${1:-${INFERENCE_URL:-}}"
[[ -n "$URL" ]] || URL="$(find_url)"
URL="${URL%/}"
[[ "$URL" =~ ^https?://[^/]+ ]] || fail "'$URL' is not an http(s) URL"
printf 'Testing %s\n' "$URL"

BODY_FILE="$(mktemp)"
trap 'rm -f "$BODY_FILE"' EXIT
AUTH=()
[[ -z "${API_TOKEN:-}" ]] || AUTH=(-H "Authorization: Bearer $API_TOKEN")

# request METHOD PATH [curl args...]: sets STATUS and BODY; STATUS is 000 when nothing answered.
request() {
  local method="$1" path="$2"
  shift 2
  STATUS="$(curl --silent --show-error --max-time 10 -X "$method" -o "$BODY_FILE" -w '%{http_code}' "$@" \
    "$URL$path" 2>"$BODY_FILE.err")" || STATUS="${STATUS:-000}"
  BODY="$(head -c 600 "$BODY_FILE")"
  [[ "$STATUS" != 000 ]] || BODY="$(cat "$BODY_FILE.err")"
  rm -f "$BODY_FILE.err"
}
expect_status() {
  local what="$1" want="$2"
  [[ "$STATUS" != 000 ]] || fail "$what: no answer from $URL ($BODY)"
  [[ "$STATUS" == "$want" ]] || fail "$what returned HTTP $STATUS (expected $want): ${BODY:-<empty body>}"
}

# 1. Health: wait (bounded) for readiness, then the Open Inference Protocol's liveness and readiness.
deadline=$((SECONDS + WAIT_SECONDS))
while :; do
  request GET /health
  [[ "$STATUS" == 200 ]] && break
  if ((SECONDS >= deadline)); then
    expect_status "GET /health" 200
  fi
  sleep 2
done
pass "GET /health -> 200"
request GET /v2/health/live
expect_status "GET /v2/health/live" 200
pass "GET /v2/health/live -> 200"
request GET /v2/health/ready
expect_status "GET /v2/health/ready" 200
pass "GET /v2/health/ready -> 200"

# 2. The README's prediction: the first output, dequantized, as a JSON array of numbers.
request POST /predict -H 'Content-Type: application/json' "${AUTH[@]}" --data "$PREDICT_BODY"
[[ "$STATUS" != 401 ]] || fail "POST /predict returned 401: the server requires a token; set API_TOKEN"
expect_status "POST /predict $PREDICT_BODY" 200
number='-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?'
[[ "$(tr -d '\n' <"$BODY_FILE")" =~ \"output\"[[:space:]]*:[[:space:]]*\[[[:space:]]*$number ]] ||
  fail "POST /predict answered 200 but without \"output\": [numbers...]: $BODY"
pass "POST /predict -> 200 with \"output\": [...]"

# 3. Metrics: Prometheus text format with the inference count and duration families.
request GET /metrics
expect_status "GET /metrics" 200
grep -q '^# TYPE ' "$BODY_FILE" || fail "GET /metrics is not in Prometheus text format (no '# TYPE' line): $BODY"
for family in inference_requests_total inference_duration_seconds; do
  grep -q "^${family}" "$BODY_FILE" || fail "GET /metrics has no '$family' series after a prediction"
done
pass "GET /metrics -> 200 with inference_requests_total and inference_duration_seconds"

printf 'All checks passed against %s\n' "$URL"
