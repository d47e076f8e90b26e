#!/usr/bin/env bash
# DNSDig HTTP benchmark, everything on loopback (see bench/README.md):
#   1. startup: launch -> first 200 from GET /health/live, BENCH_STARTUP_RUNS times, median
#   2. wrk against GET /health/live, GET /v1/resolve/www.dnsdig.test/A with one provider and with three
#      providers, all of them a local Knot DNS serving src/test/resources/knot/dnsdig.test.zone; the resolve
#      requests carry the bearer token of an account made on each server instance (sign-up and login once)
#   3. a Markdown report on stdout (progress on stderr), PASS/FAIL per target
# Exit status: 0 every target passed, 1 a target failed (or responses were wrong), 2 the benchmark could not run.
set -euo pipefail

# settings, tools, temp directory, cleanup trap, the jar, Knot, the server, wrk scenarios, report helpers
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

STARTUP_RUNS=$(count BENCH_STARTUP_RUNS "${BENCH_STARTUP_RUNS:-3}")
token_budget $((WARMUP + WARMUP_MAX + 2 * DURATION)) "the one-provider server instance"

# targets
TARGET_RESOLVE1_PCT=50
TARGET_RESOLVE3_PCT=30
TARGET_P99_MS=25
TARGET_P99_CONNECTIONS=64
TARGET_STARTUP_MS=2000

# ---------------------------------------------------------------------------------------------- run
start_knot
ONE="p1=127.0.0.1:$KNOT_PORT"
THREE="p1=127.0.0.1:$KNOT_PORT;p2=127.0.0.1:$KNOT_PORT;p3=127.0.0.1:$KNOT_PORT"

# 1. startup
STARTUPS=()
FIRST_RESOLVES=()
for ((run = 1; run <= STARTUP_RUNS; run++)); do
    PORT=$(free_port)
    start_server "$WORK/startup-$run" "$ONE" "$PORT"
    wait_live "$PORT" 60
    STARTUPS+=($(((READY_US - LAUNCH_US) / 1000)))
    # the first resolve on a cold JVM (informational): loads the DNS path for the first time. It is the anonymous
    # /v1/freesolve, the same lookup as /v1/resolve, so that no sign-up and login warm the JVM up before it
    first=$("${CURL[@]}" -o /dev/null --max-time 10 -w '%{http_code} %{time_total}' "http://127.0.0.1:$PORT/v1/freesolve/www.dnsdig.test/A") || first="000 0"
    [[ ${first%% *} == 200 ]] || server_failed "the first freesolve after startup answered ${first%% *}"
    FIRST_RESOLVES+=($(awk -v t="${first#* }" 'BEGIN{printf "%.0f", t * 1000}'))
    log "startup run $run: first 200 from /health/live after ${STARTUPS[-1]} ms; first resolve took ${FIRST_RESOLVES[-1]} ms"
    stop_server
done
STARTUP_MEDIAN=$(printf '%s\n' "${STARTUPS[@]}" | median)
FIRST_RESOLVE_MEDIAN=$(printf '%s\n' "${FIRST_RESOLVES[@]}" | median)

# 1b. startup as ./dnsdig run does it on JDK 25+: with the ahead-of-time cache it trains after a build
AOT_STARTUPS=()
if (($(java_major "$JAVA") >= 25)); then
    AOT="$WORK/dnsdig.aot"
    log "training the AOT cache as ./dnsdig run does"
    # shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of options
    "$JAVA" $JAVA_OPTS -XX:AOTCacheOutput="$AOT" -Xlog:aot=off -Xlog:cds=off -jar "$JAR" --aot-training >/dev/null 2>&1 ||
        die "AOT training failed: $JAVA -XX:AOTCacheOutput=$AOT -jar $JAR --aot-training"
    PLAIN_OPTS=$JAVA_OPTS
    JAVA_OPTS="$JAVA_OPTS -XX:AOTCache=$AOT -Xlog:aot=off -Xlog:cds=off"
    for ((run = 1; run <= STARTUP_RUNS; run++)); do
        PORT=$(free_port)
        start_server "$WORK/aot-startup-$run" "$ONE" "$PORT"
        wait_live "$PORT" 60
        AOT_STARTUPS+=($(((READY_US - LAUNCH_US) / 1000)))
        log "startup with the AOT cache, run $run: first 200 from /health/live after ${AOT_STARTUPS[-1]} ms"
        stop_server
    done
    JAVA_OPTS=$PLAIN_OPTS
    AOT_MEDIAN=$(printf '%s\n' "${AOT_STARTUPS[@]}" | median)
fi

# 2. one provider: /health/live and /v1/resolve
define_scenario live "GET /health/live" /health/live '"status":"UP"'
define_scenario resolve1 "GET /v1/resolve/www.dnsdig.test/A, 1 provider" /v1/resolve/www.dnsdig.test/A \
    '"providers":1,"answered":1,"failed":0'
define_scenario resolve3 "GET /v1/resolve/www.dnsdig.test/A, 3 providers" /v1/resolve/www.dnsdig.test/A \
    '"providers":3,"answered":3,"failed":0'
define_scenario live3 "GET /health/live (3-provider instance, warmup only)" /health/live '"status":"UP"' -
WARMUP_ONLY=(live3)
PORT=$(free_port)
start_server "$WORK/one-provider" "$ONE" "$PORT"
wait_live "$PORT" 60
sign_up_and_log_in
check_resolve '"providers":1,"answered":1,"failed":0' "$TOKEN"
# one token for the whole instance, as a client would reuse it (the server caches verified tokens)
scenario_list resolve1 wrk_opts -H "Authorization: Bearer $TOKEN"
# every instance gets BENCH_WARMUP of /health/live and BENCH_WARMUP of its resolve load, and then more of its resolve
# load until its JIT has settled (see settle in lib.sh), before anything is measured
warmup live
warmup resolve1
settle resolve1
measure live
measure resolve1
stop_server

# 3. three providers
PORT=$(free_port)
start_server "$WORK/three-providers" "$THREE" "$PORT"
wait_live "$PORT" 60
sign_up_and_log_in
check_resolve '"providers":3,"answered":3,"failed":0' "$TOKEN"
scenario_list resolve3 wrk_opts -H "Authorization: Bearer $TOKEN"
warmup live3
warmup resolve3
settle resolve3
measure resolve3
stop_server

# ---------------------------------------------------------------------------------------------- report
RATIO1=$(pct "${R[resolve1.rps]}" "${R[live.rps]}")
RATIO3=$(pct "${R[resolve3.rps]}" "${R[live.rps]}")

echo "# DNSDig resolve benchmark"
echo
report_environment
echo "- Providers: \`$ONE\` and \`$THREE\`; the resolve requests carry \`Authorization: Bearer \$TOKEN\`, one access" \
    "token (ES256 JWT) per server instance from a sign-up and login made just before its warmup"
echo "- Load: $($WRK --version 2>&1 | head -n 1 | cut -d' ' -f1-2), $THREADS threads, $CONNECTIONS connections," \
    "request timeout ${WRK_TIMEOUT}s, on the same machine as the server; each server instance first gets a ${WARMUP}s warmup" \
    "of /health/live and one of its resolve load, then ${SETTLE}s rounds of its resolve load until its JIT compilers took" \
    "less than ${JIT_SETTLED_PCT} % of its CPU in a round (at most ${WARMUP_MAX}s of resolve load in all; the diagnostics" \
    "show how long it took), then each scenario is measured for ${DURATION}s"
echo
report_results "${SCENARIOS[@]}"
echo
echo "- resolve, 1 provider / live: **$RATIO1 %**"
echo "- resolve, 3 providers / live: **$RATIO3 %**"
echo "- startup (launch to first 200 from /health/live), plain \`java -jar\`: runs $(IFS=/; echo "${STARTUPS[*]}") ms, median **$STARTUP_MEDIAN ms**;" \
    "first resolve right after startup (cold, the anonymous /v1/freesolve): median $FIRST_RESOLVE_MEDIAN ms ($(IFS=/; echo "${FIRST_RESOLVES[*]}"))"
if ((${#AOT_STARTUPS[@]} > 0)); then
    echo "- startup as \`./dnsdig run\` starts the jar (\`java -XX:AOTCache=... -jar\`, the cache trained with" \
        "\`--aot-training\` after the build): runs $(IFS=/; echo "${AOT_STARTUPS[*]}") ms, median **$AOT_MEDIAN ms**"
fi
echo
echo "| target | measured | result |"
echo "|---|---:|---|"
target "resolve, 1 provider >= $TARGET_RESOLVE1_PCT % of /health/live req/s" "$RATIO1 %" "$RATIO1 >= $TARGET_RESOLVE1_PCT"
target "resolve, 3 providers >= $TARGET_RESOLVE3_PCT % of /health/live req/s" "$RATIO3 %" "$RATIO3 >= $TARGET_RESOLVE3_PCT"
note=""
((CONNECTIONS == TARGET_P99_CONNECTIONS)) || note=" (the target is defined for $TARGET_P99_CONNECTIONS)"
for s in "${SCENARIOS[@]}"; do
    target "p99 < $TARGET_P99_MS ms at $CONNECTIONS connections$note: ${R[$s.label]}" "$(fmt_ms "${R[$s.p99_ms]}") ms" \
        "${R[$s.p99_ms]} < $TARGET_P99_MS"
done
if ((${#AOT_STARTUPS[@]} > 0)); then
    target "first 200 from /health/live < $TARGET_STARTUP_MS ms after launch, as \`./dnsdig run\` starts it (median of $STARTUP_RUNS)" \
        "$AOT_MEDIAN ms" "$AOT_MEDIAN < $TARGET_STARTUP_MS"
    # information, not a target: the product starts its jar with the cache (see bench/README.md)
    echo "| the same with a plain \`java -jar\` (no AOT cache) | $STARTUP_MEDIAN ms | informational |"
else
    target "first 200 from /health/live < $TARGET_STARTUP_MS ms after launch (median of $STARTUP_RUNS)" "$STARTUP_MEDIAN ms" \
        "$STARTUP_MEDIAN < $TARGET_STARTUP_MS"
fi
target_correct "${SCENARIOS[@]}"
echo
report_diagnostics "${SCENARIOS[@]}"
echo
report_commands "server, 1 provider" "$ONE" " (3 providers: \`DNSDIG_DNS_PROVIDERS=$THREE\`)" "${SCENARIOS[@]}"
exit "$FAILED"
