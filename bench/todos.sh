#!/usr/bin/env bash
# Todos on the embedded default store: what the API makes of the store's write rate.
#
#   bench/todos.sh            (settings: BENCH_* variables, see bench/README.md)
#
# On one server instance with its embedded store in a new temp directory, one account, one access token, wrk
# measures
#   (a) POST /v1/todos: creates only
#   (b) create-then-read: every connection creates a todo, then GETs it back (POST, GET, POST, GET, ...)
#   (c) GET /v1/todos?limit=20 by a second account with BENCH_LIST_TODOS todos (100), at BENCH_LIST_CONNECTIONS (8),
#       while the store holds everything (a) and (b) created (informational: the embedded store scans for lists)
# and then, with the server stopped, bench/StoreInserts.java measures (d) the raw insert rate of the same embedded
# store (todo-shaped documents, insertOne through the driver, as many writers as wrk has connections), and (e) that of
# the same H2 store without the commit before each acknowledgement (H2's own background writer, about once a second):
# what durability costs.
# Target: creates through the API (a) >= 50 % of the raw insert rate (d).
# Prints a Markdown report on stdout (progress on stderr). Everything goes to 127.0.0.1 only.
# Exit status: 0 every target passed, 1 a target failed (or responses were wrong), 2 the benchmark could not run.
set -euo pipefail

# settings, tools, temp directory, cleanup trap, the jar, the server, wrk scenarios, report helpers
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TARGET_CREATE_PCT=50
LIST_TODOS=$(count BENCH_LIST_TODOS "${BENCH_LIST_TODOS:-100}")
LIST_CONNECTIONS=$(count BENCH_LIST_CONNECTIONS "${BENCH_LIST_CONNECTIONS:-8}")
STORE_PROGRAM="$HERE/StoreInserts.java"
[[ -f $STORE_PROGRAM ]] || die "$STORE_PROGRAM is missing"
token_budget $((3 * WARMUP + 3 * DURATION)) "(a), (b) and (c)"
REPORT_DETAIL=1
TODO_BODY='{"title":"buy milk","description":"two litres, semi-skimmed"}'
EXPECTED='"title":"buy milk"'

# ---------------------------------------------------------------------------------------------- run
# no lookups here: the provider is a loopback port nobody answers on, only so the server has one
PROVIDERS="p1=127.0.0.1:$(free_port)"
PORT=$(free_port)
start_server "$WORK/server" "$PROVIDERS" "$PORT"
wait_live "$PORT" 60
sign_up_and_log_in
call POST /v1/todos 201 -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "$TODO_BODY"
[[ $BODY == *"$EXPECTED"* ]] || server_failed "POST /v1/todos answered 201 without $EXPECTED: ${BODY:0:400}"
call POST /v1/todos 401 -H 'Content-Type: application/json' -d "$TODO_BODY" # (a) does pay for authentication

define_scenario create "(a) POST /v1/todos" /v1/todos "$EXPECTED"
scenario_list create wrk_opts -H "Authorization: Bearer $TOKEN"
scenario_list create lua_args method=POST "body=$TODO_BODY"
define_scenario mix "(b) POST /v1/todos, then GET /v1/todos/{id} of it" /v1/todos "$EXPECTED"
scenario_list mix wrk_opts -H "Authorization: Bearer $TOKEN"
scenario_list mix lua_args "body=$TODO_BODY" mix=/v1/todos
define_scenario list "(c) GET /v1/todos?limit=20, another account with $LIST_TODOS todos" "/v1/todos?limit=20" '"title":"list me'
scenario_set list connections "$LIST_CONNECTIONS"
scenario_set list threads "$((THREADS < LIST_CONNECTIONS ? THREADS : LIST_CONNECTIONS))"

warmup create
measure create
warmup mix
measure mix
# the second account, and its todos
LIST_PASSWORD="List-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')-9"
call POST /v1/users 201 -H 'Content-Type: application/json' \
    -d "{\"email\":\"list@dnsdig.test\",\"username\":\"list\",\"password\":\"$LIST_PASSWORD\"}"
call POST /v1/auth/login 200 -H 'Content-Type: application/json' -d "{\"email\":\"list@dnsdig.test\",\"password\":\"$LIST_PASSWORD\"}"
[[ $BODY =~ \"access_token\":\"([^\"]+)\" ]] || server_failed "the second login answer has no access_token"
LIST_TOKEN=${BASH_REMATCH[1]}
for ((i = 0; i < LIST_TODOS; i++)); do
    call POST /v1/todos 201 -H "Authorization: Bearer $LIST_TOKEN" -H 'Content-Type: application/json' -d "{\"title\":\"list me $i\"}"
done
scenario_list list wrk_opts -H "Authorization: Bearer $LIST_TOKEN"
STORED=$(awk -v a="${R[create.warmup.created]:-0}" -v b="${R[create.created]}" -v c="${R[mix.warmup.created]:-0}" \
    -v d="${R[mix.created]}" -v n="$LIST_TODOS" 'BEGIN{ printf "%d", a + b + c + d + n + 1 }')
warmup list
measure list
stop_server

log "(d) and (e) raw inserts into the embedded store with and without a commit per write: warmup ${WARMUP}s each," \
    "measuring ${DURATION}s each in two alternating turns, $CONNECTIONS writers"
STORE_OUT="$WORK/store.txt"
# shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of options
in_background "$JAVA" $JAVA_OPTS -cp "$JAR" "$STORE_PROGRAM" "$WORK/store" "$WARMUP" "$DURATION" "$CONNECTIONS" \
    >"$STORE_OUT" 2>"$WORK/store.log" || { cat "$WORK/store.log" >&2; die "StoreInserts failed"; }
LINE=$(grep '^STORE ' "$STORE_OUT") || { cat "$WORK/store.log" >&2; die "StoreInserts printed no result"; }
for kv in ${LINE#STORE }; do R[store.${kv%%=*}]=${kv#*=}; done
LINE=$(grep '^STORE_H2 ' "$STORE_OUT") || { cat "$WORK/store.log" >&2; die "StoreInserts printed no result for (e)"; }
for kv in ${LINE#STORE_H2 }; do R[h2.${kv%%=*}]=${kv#*=}; done
log "(d) ${R[store.rps]} inserts/s, p50 ${R[store.p50_ms]} ms, p99 ${R[store.p99_ms]} ms"
log "(e) ${R[h2.rps]} inserts/s, p50 ${R[h2.p50_ms]} ms, p99 ${R[h2.p99_ms]} ms"

# ---------------------------------------------------------------------------------------------- report
CREATE_PCT=$(pct "${R[create.rps]}" "${R[store.rps]}")
MIX_CREATES=$(awk -v n="${R[mix.created]}" -v s="${R[mix.duration_s]}" 'BEGIN{ printf "%.1f", n / s }')

echo "# DNSDig todos benchmark"
echo
report_environment
echo "- Store: the embedded default (mongo-java-server with its H2 file, every write committed before it is" \
    "acknowledged), a new one per run; one account, one access token (\`Authorization: Bearer \$TOKEN\`) for every request"
echo "- Load: $($WRK --version 2>&1 | head -n 1 | cut -d' ' -f1-2), $THREADS threads, $CONNECTIONS connections," \
    "on the same machine as the server; each scenario gets a ${WARMUP}s warmup, then ${DURATION}s measured;" \
    "body of every create: \`$TODO_BODY\`"
echo
report_results create mix list
echo "| (d) raw insertOne into the embedded store, $CONNECTIONS writer threads, no HTTP | ${CONNECTIONS} |" \
    "$(fmt_rps "${R[store.rps]}") | $(fmt_ms "${R[store.p50_ms]}") | $(fmt_ms "${R[store.p99_ms]}") | - |"
echo "| (e) the same without the commit per write (H2 stores about once a second: not durable) | ${CONNECTIONS} |" \
    "$(fmt_rps "${R[h2.rps]}") | $(fmt_ms "${R[h2.p50_ms]}") | $(fmt_ms "${R[h2.p99_ms]}") | - |"
echo
echo "- creates through the API: **$(fmt_rps "${R[create.rps]}")/s = $CREATE_PCT %** of the raw insert rate" \
    "($(fmt_rps "${R[store.rps]}")/s); server CPU per create $(fmt_ms "${R[create.cpu_ms_per_request]}") ms"
echo "- durability: acknowledged inserts/s with every write committed before its acknowledgement (d)" \
    "$(fmt_rps "${R[store.rps]}") against $(fmt_rps "${R[h2.rps]}") without (e): **it costs $(cost_pct "${R[store.rps]}" "${R[h2.rps]}") %**" \
    "of the raw write rate; without it a crash loses up to a second of acknowledged writes"
echo "- create-then-read: $(fmt_rps "${R[mix.rps]}") req/s, of which $MIX_CREATES creates/s (201s) and the rest reads"
echo "- list: $(fmt_rps "${R[list.rps]}") pages/s at $LIST_CONNECTIONS connections, with $STORED todos in the store" \
    "(server CPU per page $(fmt_ms "${R[list.cpu_ms_per_request]}") ms): the embedded store uses no index for a listing" \
    "and reads the whole collection for every page; MongoDB uses the (owner, created) index"
echo
echo "| target | measured | result |"
echo "|---|---:|---|"
target "creates through the API >= $TARGET_CREATE_PCT % of the raw insert rate of the embedded store" \
    "$CREATE_PCT %" "$CREATE_PCT >= $TARGET_CREATE_PCT"
target_correct create mix list
echo
report_diagnostics create mix list
echo
report_commands server "$PROVIDERS" "" create mix list
echo "- (d) and (e): \`$(shown "$JAVA" $JAVA_OPTS -cp "$JAR_SRC" bench/StoreInserts.java TMP/store "$WARMUP" "$DURATION" "$CONNECTIONS")\`"
exit "$FAILED"
