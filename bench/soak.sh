#!/usr/bin/env bash
# Overload soak: does a flood beyond capacity degrade with fast 503s, or with timeouts piling up and memory growing?
#
#   bench/soak.sh         (settings: BENCH_* variables, see bench/README.md; BENCH_SOAK_*)
#
# A private Knot on loopback answers; one server instance with its defaults (DNSDIG_MAX_IN_FLIGHT and the rest)
# except the rate limits (off: a flood from one address would only see 429s). The request is the anonymous lookup
# GET /v1/freesolve/www.dnsdig.test/A, answered from the cache after the first.
#   1. the sustainable rate: h2load, closed loop (each connection sends its next request when the answer is in), at
#      BENCH_CONNECTIONS connections for BENCH_WARMUP seconds, then measured for BENCH_DURATION seconds; or
#      BENCH_SOAK_RATE when given;
#   2. the soak: BENCH_SOAK_FACTOR (2) times that rate, open loop (h2load --rps on each of BENCH_SOAK_CONNECTIONS
#      HTTP/1.1 connections, more than the server admits at once), for BENCH_SOAK_DURATION seconds (300), while
#      every BENCH_SOAK_SAMPLE seconds (5) the server's heap (jstat), its threads (/proc), its RSS and a /metrics
#      scrape are sampled, and before, at 1/4, 1/2 and 3/4, and after the soak its heap after a full GC (jcmd GC.run).
# Every request is in h2load's log: the table gives the statuses (2xx, 429, 503, other), latency percentiles,
# h2load's timeouts and errors, and the samples. PASS when no 5xx other than 503 and nothing else unexpected, no
# timeout or error, the heap after a full GC once the load is over within 25 % (+16 MiB) of the one before it, the threads of the
# second half no more than those of the first (+8), every scrape answered, and no error in the server's log.
# Markdown report on stdout, progress on stderr. Exit status: 0 PASS, 1 FAIL, 2 the benchmark could not run.
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

H2LOAD=$(find_tool h2load) || die "h2load is missing: sudo apt-get install nghttp2-client"
JSTAT="$JAVA_HOME_FOUND/bin/jstat"
JCMD="$JAVA_HOME_FOUND/bin/jcmd"
[[ -x $JSTAT && -x $JCMD ]] || die "jstat and jcmd are missing beside $JAVA: a JDK is needed, not a JRE"
SOAK=$(seconds BENCH_SOAK_DURATION "${BENCH_SOAK_DURATION:-300}")
SAMPLE=$(seconds BENCH_SOAK_SAMPLE "${BENCH_SOAK_SAMPLE:-5}")
SOAK_CONNECTIONS=$(count BENCH_SOAK_CONNECTIONS "${BENCH_SOAK_CONNECTIONS:-2048}")
FACTOR=${BENCH_SOAK_FACTOR:-2}
if ! [[ $FACTOR =~ ^[0-9]+(\.[0-9]+)?$ ]] || ! awk -v f="$FACTOR" 'BEGIN{exit !(f > 0)}'; then
    die "BENCH_SOAK_FACTOR='$FACTOR' must be a positive number"
fi
GIVEN_RATE=${BENCH_SOAK_RATE:-}
[[ -z $GIVEN_RATE ]] || count BENCH_SOAK_RATE "$GIVEN_RATE" >/dev/null
((SOAK >= 4 * SAMPLE)) || die "BENCH_SOAK_DURATION ($SOAK) must be at least 4 samples (BENCH_SOAK_SAMPLE=$SAMPLE)"
((SAMPLE >= 1)) || die "BENCH_SOAK_SAMPLE must be at least 1 second"

PATH_A=/v1/freesolve/www.dnsdig.test/A
EXPECTED='"providers":1,"answered":1,"failed":0'

start_knot
ONE="knot=127.0.0.1:$KNOT_PORT"
SERVER_ENV=("${RATE_LIMITS_OFF[@]}")
[[ -z ${BENCH_SOAK_MAX_IN_FLIGHT:-} ]] ||
    SERVER_ENV+=(DNSDIG_MAX_IN_FLIGHT="$(count BENCH_SOAK_MAX_IN_FLIGHT "$BENCH_SOAK_MAX_IN_FLIGHT")")
PORT=$(free_port)
start_server "$WORK/server" "$ONE" "$PORT"
wait_live "$PORT" 60
check_get "$PATH_A" "$EXPECTED"
URL="http://127.0.0.1:$PORT$PATH_A"

# ---------------------------------------------------------------------------------------------- h2load
declare -A H
read_requests() { # key file: h2load's "requests: N total, N started, N done, N succeeded, N failed, N errored, N timeout"
    local line
    line=$(awk '/^requests:/{print $2, $6, $8, $10, $12, $14}' "$2")
    read -r "H[$1.total]" "H[$1.done]" "H[$1.succeeded]" "H[$1.failed]" "H[$1.errored]" "H[$1.timeout]" <<<"$line"
}
h2load_run() { # key seconds h2load-options...: a run against URL -> H[key.*]
    local key=$1 secs=$2 out="$WORK/h2load-$1.txt"
    shift 2
    local cmd=("$H2LOAD" --h1 -t "$THREADS" -D "$secs" "$@" "$URL")
    in_background "${cmd[@]}" >"$out" 2>&1 || { cat "$out" >&2; server_failed "h2load failed ($key)"; }
    H[$key.cmd]=$(shown "${cmd[@]}")
    H[$key.rps]=$(awk '/^finished in/{gsub(",", "", $4); print $4}' "$out")
    read_requests "$key" "$out"
    [[ -n ${H[$key.rps]} && -n ${H[$key.done]} ]] || { cat "$out" >&2; die "h2load printed no result ($key)"; }
    alive "$SERVER_PID" || server_failed "the server died during h2load ($key)"
}

# ---------------------------------------------------------------------------------------------- 1. the rate
if [[ -n $GIVEN_RATE ]]; then
    RATE=$GIVEN_RATE
    RATE_HOW="given (BENCH_SOAK_RATE)"
else
    if ((WARMUP > 0)); then
        log "warmup ${WARMUP}s, closed loop at $CONNECTIONS connections"
        h2load_run warm "$WARMUP" -c "$CONNECTIONS"
        log "warmup: ${H[warm.rps]} req/s"
    fi
    log "sustainable rate: ${DURATION}s closed loop at $CONNECTIONS connections"
    h2load_run rate "$DURATION" -c "$CONNECTIONS"
    [[ ${H[rate.succeeded]} == "${H[rate.done]}" && ${H[rate.failed]} == 0 ]] ||
        server_failed "the closed-loop run had failures: ${H[rate.failed]} of ${H[rate.total]}"
    RATE=$(awk -v r="${H[rate.rps]}" 'BEGIN{printf "%.0f", r}')
    RATE_HOW="measured: closed loop, $CONNECTIONS connections, ${DURATION}s after ${WARMUP}s of warmup, all 2xx"
fi
OFFERED=$(awk -v r="$RATE" -v f="$FACTOR" 'BEGIN{printf "%.0f", r * f}')
PER_CLIENT=$(awk -v o="$OFFERED" -v c="$SOAK_CONNECTIONS" 'BEGIN{printf "%.3f", o / c}')
# a number of requests rather than h2load's -D: with -D, h2load 1.52 aborted on a libev assertion as the time ran out
# (while connections the server had closed were being opened again)
TOTAL=$((OFFERED * SOAK > SOAK_CONNECTIONS ? OFFERED * SOAK : SOAK_CONNECTIONS))
log "sustainable: $RATE req/s; soak: $OFFERED req/s ($PER_CLIENT on each of $SOAK_CONNECTIONS connections) for ${SOAK}s"

# ---------------------------------------------------------------------------------------------- 2. the soak
SAMPLES="$WORK/samples.tsv"
GCS="$WORK/heap-after-gc.tsv"
REQUESTS="$WORK/requests.tsv"
: >"$SAMPLES"
: >"$GCS"
heap_kb() { # the server's heap from jstat -gc (survivors, eden, old), in KiB: "used committed old-used"
    "$JSTAT" -gc "$SERVER_PID" 2>/dev/null | awk 'NR == 1 {for (i = 1; i <= NF; i++) col[$i] = i}
        NR == 2 {printf "%.0f %.0f %.0f", $col["S0U"] + $col["S1U"] + $col["EU"] + $col["OU"],
            $col["S0C"] + $col["S1C"] + $col["EC"] + $col["OC"], $col["OU"]}'
}
status_field() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$SERVER_PID/status" 2>/dev/null; } # Threads, VmRSS (kB)
metric_value() { # text series -> value, or empty
    awk -v s="$2 " 'index($0, s) == 1 {print $NF; exit}' <<<"$1"
}
sample() { # elapsed-seconds: one row of SAMPLES
    local started code body ms
    started=$(now_us)
    body=$("${CURL[@]}" --max-time 10 -w '\n%{http_code}' "http://127.0.0.1:$PORT/metrics" 2>/dev/null) || body=$'\n000'
    ms=$((($(now_us) - started) / 1000))
    code=${body##*$'\n'}
    body=${body%$'\n'*}
    local used committed
    read -r used committed _ <<<"$(heap_kb)"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$used" "$(status_field Threads)" "$(status_field VmRSS)" \
        "$code" "$ms" "$(metric_value "$body" 'dnsdig_http_in_flight{routes="api"}')" \
        "$(metric_value "$body" 'dnsdig_http_connections')" "$committed" >>"$SAMPLES"
}
full_gc() { # label: what the old generation holds right after a full collection, in KiB
    # a full GC leaves everything live in the old generation; eden is not counted, as under load it fills again in
    # the moment jstat takes to start
    "$JCMD" "$SERVER_PID" GC.run >/dev/null 2>&1 || true
    printf '%s\t%s\n' "$1" "$(heap_kb | cut -d' ' -f3)" >>"$GCS"
}

full_gc "before the soak"
SERVER_BEFORE=$(cpu_ticks_of "$SERVER_PID")
BUSY_BEFORE=$(machine_busy_ticks)
SOAK_CMD=("$H2LOAD" --h1 -t "$THREADS" -c "$SOAK_CONNECTIONS" --rps "$PER_CLIENT" -n "$TOTAL" -N "$WRK_TIMEOUT"
    --log-file "$REQUESTS" "$URL")
H[soak.cmd]=$(shown "${SOAK_CMD[@]}")
"${SOAK_CMD[@]}" >"$WORK/h2load-soak.txt" 2>&1 &
CHILD_PID=$!
SOAK_START=$(now_us)
next_sample=0
next_gc=1
while alive "$CHILD_PID"; do
    elapsed=$((($(now_us) - SOAK_START) / 1000000))
    if ((elapsed >= next_sample)); then
        sample "$elapsed"
        next_sample=$((next_sample + SAMPLE))
    fi
    # at a quarter, a half and three quarters, under load
    if ((next_gc <= 3 && elapsed >= next_gc * SOAK / 4)); then
        full_gc "$((next_gc * 25)) %"
        next_gc=$((next_gc + 1))
    fi
    alive "$SERVER_PID" || server_failed "the server died during the soak"
    # the requests take as long as the server makes them: an overloaded one that answers slowly stretches the run
    ((elapsed < 2 * SOAK + 60)) || server_failed "h2load is still running after $elapsed s of a ${SOAK}s soak"
    sleep 0.2
done
wait "$CHILD_PID" || { cat "$WORK/h2load-soak.txt" >&2; server_failed "h2load failed during the soak"; }
CHILD_PID=""
full_gc "after the load"
SOAK_SECS=$(awk -v t="$(($(now_us) - SOAK_START))" 'BEGIN{printf "%.1f", t / 1e6}')
SERVER_CPU=$(awk -v t="$(($(cpu_ticks_of "$SERVER_PID") - SERVER_BEFORE))" -v h="$CLK_TCK" -v s="$SOAK_SECS" 'BEGIN{printf "%.0f", 100*t/h/s}')
MACHINE_CPU=$(awk -v t="$(($(machine_busy_ticks) - BUSY_BEFORE))" -v h="$CLK_TCK" -v s="$SOAK_SECS" 'BEGIN{printf "%.0f", 100*t/h/s}')
out="$WORK/h2load-soak.txt"
H[soak.rps]=$(awk '/^finished in/{gsub(",", "", $4); print $4}' "$out")
read_requests soak "$out"
[[ -n ${H[soak.done]} ]] || { cat "$out" >&2; die "h2load printed no result for the soak"; }
H2LOAD_SUMMARY=$(grep -E '^(finished in|requests:|status codes:)' "$out" | tr '\n' ';' | sed 's/;$//; s/;/; /g')
log "h2load: $H2LOAD_SUMMARY"
sample end
call GET "$PATH_A" 200 # the server still serves after the flood
call GET /metrics 200
# shellcheck disable=SC2153 # BODY: what call (lib.sh) read
REFUSED=$(metric_value "$BODY" 'dnsdig_http_refused_total{reason="overloaded"}')
PROBLEMS=$(log_problems)
ADMISSION_WARNINGS=$(grep -c '"message":"overloaded: ' "$SERVER_LOG" || true)
LOG_ERRORS=$(grep -cE '"level":"(ERROR|SEVERE)"' "$SERVER_LOG" || true)
stop_server

# ---------------------------------------------------------------------------------------------- analysis
# per status class: count, and latency percentiles in ms; the log's columns: start (µs since epoch), status, µs taken
declare -A S
for class in 2xx 429 503 other; do
    awk -v c="$class" -F'\t' '{
        s = $2 + 0
        k = (s >= 200 && s < 300) ? "2xx" : (s == 429 || s == 503) ? s "" : "other"
        if (k == c) print $3 / 1000 }' "$REQUESTS" | sort -n >"$WORK/latency-$class.txt"
    S[$class.count]=$(wc -l <"$WORK/latency-$class.txt")
    for p in 50 99; do
        S[$class.p$p]=$(awk -v p="$p" '{v[NR] = $1} END {if (NR) {i = int(NR * p / 100); if (i < 1) i = 1; printf "%.1f", v[i]} else print "-"}' \
            "$WORK/latency-$class.txt")
    done
    S[$class.max]=$(awk 'END {if (NR) printf "%.1f", $1; else print "-"}' "$WORK/latency-$class.txt")
done
OTHER_STATUSES=$(awk -F'\t' '{s = $2 + 0; if (!((s >= 200 && s < 300) || s == 429 || s == 503)) n[s]++}
    END {for (s in n) printf "%s%s x%d", (k++ ? ", " : ""), s, n[s]}' "$REQUESTS")
LOGGED=$(wc -l <"$REQUESTS")
# 2xx per second in each half of the soak, by start time
read -r OK_FIRST OK_SECOND < <(awk -F'\t' -v start="$SOAK_START" -v half="$((SOAK * 500000))" -v secs="$SOAK" '
    $2 >= 200 && $2 < 300 { if ($1 - start < half) a++; else b++ } END {printf "%.0f %.0f\n", 2 * a / secs, 2 * b / secs}' "$REQUESTS")

# the samples: min, max, last, and the max of each half, of one column (in MiB when kib=1)
column_stats() { # column kib -> "min max last first-half-max second-half-max"
    awk -F'\t' -v c="$1" -v kib="$2" -v half="$((SOAK / 2))" '
        $1 != "end" && $c != "" {
            v = kib ? $c / 1024 : $c
            if (n++ == 0 || v < min) min = v
            if (v > max) max = v
            if ($1 < half) { if (v > h1) h1 = v } else { if (v > h2) h2 = v }
            last = v }
        END {printf "%.0f %.0f %.0f %.0f %.0f\n", min, max, last, h1, h2}' "$SAMPLES"
}
read -r HEAP_MIN HEAP_MAX HEAP_LAST HEAP_H1 HEAP_H2 < <(column_stats 2 1)
read -r HEAPC_MIN HEAPC_MAX HEAPC_LAST HEAPC_H1 HEAPC_H2 < <(column_stats 9 1)
read -r THR_MIN THR_MAX THR_LAST THR_H1 THR_H2 < <(column_stats 3 0)
read -r RSS_MIN RSS_MAX RSS_LAST RSS_H1 RSS_H2 < <(column_stats 4 1)
read -r INF_MIN INF_MAX INF_LAST INF_H1 INF_H2 < <(column_stats 7 0)
read -r CON_MIN CON_MAX CON_LAST CON_H1 CON_H2 < <(column_stats 8 0)
read -r SCRAPE_MIN SCRAPE_MAX SCRAPE_LAST SCRAPE_H1 SCRAPE_H2 < <(column_stats 6 0)
SCRAPES=$(awk -F'\t' '$1 != "end"' "$SAMPLES" | wc -l)
SCRAPES_BAD=$(awk -F'\t' '$1 != "end" && $5 != 200' "$SAMPLES" | wc -l)
GC_BEFORE=$(awk -F'\t' '$1 == "before the soak" {printf "%.0f", $2 / 1024}' "$GCS")
GC_AFTER=$(awk -F'\t' '$1 == "after the load" {printf "%.0f", $2 / 1024}' "$GCS")
GC_ROW=$(awk -F'\t' '{printf "%s%s: %.0f MiB", (NR > 1 ? ", " : ""), $1, $2 / 1024}' "$GCS")

# ---------------------------------------------------------------------------------------------- report
echo "# DNSDig overload soak"
echo
report_environment
echo "- Request: \`GET $PATH_A\` (anonymous, answered from the cache), rate limits off, every other setting the" \
    "server's default (\`DNSDIG_MAX_IN_FLIGHT\` included); $("$H2LOAD" --version 2>&1 | head -n 1), HTTP/1.1, $THREADS threads"
echo "- Sustainable rate: **$RATE req/s** ($RATE_HOW)"
echo "- Soak: **$OFFERED req/s offered** (${FACTOR}x) for ${SOAK}s: $SOAK_CONNECTIONS connections, each sending" \
    "$PER_CLIENT req/s on its own schedule (h2load \`--rps\`), a request taking over ${WRK_TIMEOUT}s without a byte counts" \
    "as a timeout (\`-N\`); CPU during the soak: server $SERVER_CPU %, whole machine $MACHINE_CPU % (of $(nproc)00 %)"
echo "- **The machine is shared with other agents' builds and tests: the rates and latencies move with their load.**"
echo
echo "| responses | count | share | p50 ms | p99 ms | max ms |"
echo "|---|---:|---:|---:|---:|---:|"
for class in 2xx 429 503 other; do
    echo "| $class | ${S[$class.count]} | $(pct "${S[$class.count]}" "$LOGGED") % | ${S[$class.p50]} | ${S[$class.p99]} | ${S[$class.max]} |"
done
echo
echo "h2load's summary: \`$H2LOAD_SUMMARY\`"
echo
echo "2xx per second: $OK_FIRST in the first half, $OK_SECOND in the second (sustainable: $RATE);" \
    "the server counted ${REFUSED:-?} requests refused as overloaded. Other statuses: ${OTHER_STATUSES:-none}."
echo
echo "| server, every ${SAMPLE}s | min | max | last | max 1st half | max 2nd half |"
echo "|---|---:|---:|---:|---:|---:|"
echo "| heap used, MiB (jstat) | $HEAP_MIN | $HEAP_MAX | $HEAP_LAST | $HEAP_H1 | $HEAP_H2 |"
echo "| heap committed, MiB (jstat) | $HEAPC_MIN | $HEAPC_MAX | $HEAPC_LAST | $HEAPC_H1 | $HEAPC_H2 |"
echo "| live threads (/proc) | $THR_MIN | $THR_MAX | $THR_LAST | $THR_H1 | $THR_H2 |"
echo "| RSS, MiB | $RSS_MIN | $RSS_MAX | $RSS_LAST | $RSS_H1 | $RSS_H2 |"
echo "| API requests in flight (/metrics) | $INF_MIN | $INF_MAX | $INF_LAST | $INF_H1 | $INF_H2 |"
echo "| open connections (/metrics) | $CON_MIN | $CON_MAX | $CON_LAST | $CON_H1 | $CON_H2 |"
echo "| /metrics scrape, ms | $SCRAPE_MIN | $SCRAPE_MAX | $SCRAPE_LAST | $SCRAPE_H1 | $SCRAPE_H2 |"
echo
echo "Heap held right after a full GC (\`jcmd GC.run\`, then the old generation's use in \`jstat -gc\`; before the soak," \
    "at 25, 50 and 75 % of it under load, and after it): $GC_ROW. Under load it includes what the requests in flight" \
    "hold at that moment (at most \`DNSDIG_MAX_IN_FLIGHT\` of them); before and after, nothing is in flight." \
    "The heap in use between collections, the heap committed and so the RSS follow what G1 chooses to give the" \
    "young generation (with no \`-Xmx\`, up to a quarter of the RAM): the memory the server holds is the heap after a GC."
echo
echo "| target | measured | result |"
echo "|---|---:|---|"
OTHER=${S[other.count]}
target "no 5xx but 503, no other unexpected status" "$OTHER other" "$OTHER == 0"
target "no timeouts, no errored requests (h2load)" "${H[soak.timeout]} timeout, ${H[soak.errored]} errored" \
    "${H[soak.timeout]} + ${H[soak.errored]} == 0"
target "heap after a full GC once the load is over <= 125 % of the one before it + 16 MiB" "$GC_BEFORE -> $GC_AFTER MiB" \
    "${GC_AFTER:-999999} <= ${GC_BEFORE:-0} * 1.25 + 16"
target "threads in the 2nd half <= 1st half + 8" "$THR_H1 -> $THR_H2" "$THR_H2 <= $THR_H1 + 8"
target "every /metrics scrape answered 200 during the flood" "$SCRAPES_BAD of $SCRAPES not" "$SCRAPES_BAD == 0"
target "no error in the server log" "$LOG_ERRORS" "$LOG_ERRORS == 0"
echo
echo "Server log: $PROBLEMS lines with warning/error/exception, $ADMISSION_WARNINGS of them the admission warning" \
    "(\`overloaded: N requests refused with 503 since start\`, at most one every ten seconds)."
echo
echo "Commands:"
echo
echo '```sh'
echo "$COMMAND"
# shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of options
shown env "${SERVER_ENV[@]}" DNSDIG_DNS_PROVIDERS="$ONE" DNSDIG_HTTP_PORT="$PORT" "$JAVA" $JAVA_OPTS -jar "$JAR_SRC"
echo
[[ -z ${H[rate.cmd]:-} ]] || echo "${H[rate.cmd]}"
echo "${H[soak.cmd]}"
echo '```'
exit "$FAILED"
