#!/usr/bin/env bash
# What rate limiting and metrics cost: the same anonymous lookup with both off and with both on.
#
#   bench/platform.sh         (settings: BENCH_* variables, see bench/README.md)
#
# A private Knot on loopback answers; two server instances, one after the other, each with its own embedded store:
#   (a) rate limiting off (DNSDIG_RATELIMIT_*=off) and metrics off (DNSDIG_METRICS=off: nothing recorded)
#   (b) rate limiting on with limits far above the load (1000000000/60s, so every request is counted and gets its
#       RateLimit headers, none is refused) and metrics on (DNSDIG_METRICS=loopback: request and upstream
#       histograms recorded, /metrics readable)
# and wrk measures GET /v1/freesolve/www.dnsdig.test/A on each after its warmup. Target: (b) costs <= 10 % of the
# throughput of (a). The access log line is written in both. Markdown report on stdout, progress on stderr.
# Exit status: 0 the target passed, 1 it failed (or responses were wrong), 2 the benchmark could not run.
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TARGET_COST_PCT=10
HIGH=1000000000/60s
PATH_A=/v1/freesolve/www.dnsdig.test/A
EXPECTED='"providers":1,"answered":1,"failed":0'
REPORT_DETAIL=1

start_knot
ONE="p1=127.0.0.1:$KNOT_PORT"

# (a) both off
SERVER_ENV=("${RATE_LIMITS_OFF[@]}" DNSDIG_METRICS=off)
ENV_OFF="${SERVER_ENV[*]}"
PORT=$(free_port)
start_server "$WORK/off" "$ONE" "$PORT"
wait_live "$PORT" 60
check_get "$PATH_A" "$EXPECTED"
call GET /metrics 404
define_scenario off "(a) GET $PATH_A, rate limiting and metrics off" "$PATH_A" "$EXPECTED"
warmup off
measure off
stop_server

# (b) both on
SERVER_ENV=(DNSDIG_RATELIMIT_ANONYMOUS=$HIGH DNSDIG_RATELIMIT_USER=$HIGH DNSDIG_RATELIMIT_LOGIN=$HIGH DNSDIG_METRICS=loopback)
ENV_ON="${SERVER_ENV[*]}"
PORT=$(free_port)
start_server "$WORK/on" "$ONE" "$PORT"
wait_live "$PORT" 60
HEADERS=$("${CURL[@]}" -D - -o /dev/null "http://127.0.0.1:$PORT$PATH_A")
[[ $HEADERS == *"RateLimit: "* ]] || server_failed "(b) answers without a RateLimit header: the limiter is not on"
define_scenario on "(b) GET $PATH_A, rate limiting and metrics on" "$PATH_A" "$EXPECTED"
warmup on
measure on
call GET /metrics 200
[[ $BODY == *'http_server_requests_seconds_count{method="GET",route="/v1/freesolve/{name}/{type}",status="200"}'* ]] ||
    server_failed "(b) /metrics has not counted the lookups"
COUNTED=$(grep -o 'http_server_requests_seconds_count{method="GET",route="/v1/freesolve/{name}/{type}",status="200"} [0-9.E+]*' <<<"$BODY" | awk '{print $2}')
stop_server

COST=$(cost_pct "${R[on.rps]}" "${R[off.rps]}")
echo "# DNSDig rate limiting and metrics benchmark"
echo
report_environment
echo "- (a) server environment: \`$ENV_OFF\`; (b): \`$ENV_ON\`; each instance gets a ${WARMUP}s warmup, then ${DURATION}s measured"
echo
report_results off on
echo
echo "- cost of rate limiting and metrics, 1 - (b)/(a): **$COST %** (server CPU per request $(fmt_ms "${R[off.cpu_ms_per_request]}")" \
    "ms off, $(fmt_ms "${R[on.cpu_ms_per_request]}") ms on); (b)'s /metrics counted $COUNTED lookups with status 200"
echo
echo "| target | measured | result |"
echo "|---|---:|---|"
target "rate limiting and metrics cost <= $TARGET_COST_PCT % of throughput" "$COST %" "$COST <= $TARGET_COST_PCT"
target_correct off on
echo
report_diagnostics off on
echo
SERVER_ENV=("${RATE_LIMITS_OFF[@]}" DNSDIG_METRICS=off)
report_commands "server (a)" "$ONE" "; (b) with \`$ENV_ON\` instead" off on
exit "$FAILED"
