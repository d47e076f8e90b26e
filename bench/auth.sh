#!/usr/bin/env bash
# DNSDig authentication benchmark, everything on loopback (see bench/README.md). One server instance with one
# provider, a local Knot DNS serving src/test/resources/knot/dnsdig.test.zone, and one account on it; wrk measures
#   (a) GET /v1/freesolve/www.dnsdig.test/A, anonymous
#   (b) GET /v1/resolve/www.dnsdig.test/A with one access token, reused (the server caches verified tokens)
#       -> the authentication cost 1 - (b)/(a), target <= 15 % of throughput
#   (c) POST /v1/auth/login with the right password (Argon2id, m=19456 KiB, t=2, p=1)
#   (d) GET /v1/resolve/www.dnsdig.test/A with a token the server has not seen yet on every request (the tokens are
#       minted beforehand with POST /v1/auth/refresh, starting from the refresh tokens of (c); the warmup sends forged
#       tokens, which the server rejects after a full signature check); BENCH_FRESH_DURATION=0 skips it
# and prints a Markdown report on stdout (progress on stderr).
# Exit status: 0 every target passed, 1 a target failed (or responses were wrong), 2 the benchmark could not run.
set -euo pipefail

# settings, tools, temp directory, cleanup trap, the jar, Knot, the server, wrk scenarios, report helpers
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

LOGIN_DURATION=$(seconds BENCH_LOGIN_DURATION "${BENCH_LOGIN_DURATION:-15}")
LOGIN_CONNECTIONS=$(count BENCH_LOGIN_CONNECTIONS "${BENCH_LOGIN_CONNECTIONS:-8}")
FRESH_DURATION=$(seconds BENCH_FRESH_DURATION "${BENCH_FRESH_DURATION:-5}")
MINT_MAX=$(seconds BENCH_MINT_MAX "${BENCH_MINT_MAX:-60}")
((LOGIN_DURATION >= 1)) || die "BENCH_LOGIN_DURATION must be at least 1 second"
((FRESH_DURATION == 0 || MINT_MAX >= 1)) || die "BENCH_MINT_MAX must be at least 1 second (or BENCH_FRESH_DURATION=0)"
LOGIN_THREADS=$((THREADS < LOGIN_CONNECTIONS ? THREADS : LOGIN_CONNECTIONS))
MINT_CONNECTIONS=16 # a refresh mostly waits for the store's writes, so more connections than for logins
MINT_THREADS=$((THREADS < MINT_CONNECTIONS ? THREADS : MINT_CONNECTIONS))
FRESH_MARGIN=1.25 # (d) cannot be faster than (a), the same lookup without any authentication; a margin for noise
token_budget $((4 * WARMUP + 2 * DURATION + LOGIN_DURATION)) "(a), (b), (c) and the warmup of (d)" # the reused token
token_budget $((MINT_MAX + FRESH_DURATION)) "minting the tokens of (d) and using them"

TARGET_AUTH_COST_PCT=15
ARGON2="Argon2id m=19456 KiB, t=2, p=1"
REPORT_DETAIL=1

split_lines() { # from-prefix to-prefix parts: the lines of from-prefix.* dealt round-robin into to-prefix.1 .. parts
    rm -f "$2".*
    { cat "$1".* 2>/dev/null || true; } | awk -v n="$3" -v p="$2" '{ print > (p "." ((NR - 1) % n + 1)) }'
}
lines_of() { { cat "$1".* 2>/dev/null || true; } | wc -l; }
TOKENS="$WORK/tokens" # token files only: PREFIX.<wrk thread>
mkdir -p "$TOKENS"

# ---------------------------------------------------------------------------------------------- run
start_knot
PROVIDERS="p1=127.0.0.1:$KNOT_PORT"
EXPECTED='"providers":1,"answered":1,"failed":0'
PORT=$(free_port)
start_server "$WORK/server" "$PROVIDERS" "$PORT"
wait_live "$PORT" 60
sign_up_and_log_in
check_get /v1/freesolve/www.dnsdig.test/A "$EXPECTED"
check_resolve "$EXPECTED" "$TOKEN" # and a 401 without the token: (b) does pay for authentication

define_scenario anon "(a) GET /v1/freesolve/www.dnsdig.test/A, anonymous" /v1/freesolve/www.dnsdig.test/A "$EXPECTED"
define_scenario authed "(b) GET /v1/resolve/www.dnsdig.test/A, one reused token" /v1/resolve/www.dnsdig.test/A "$EXPECTED"
scenario_list authed wrk_opts -H "Authorization: Bearer $TOKEN"
define_scenario login "(c) POST /v1/auth/login, right password" /v1/auth/login '"access_token":"'
scenario_set login connections "$LOGIN_CONNECTIONS"
scenario_set login threads "$LOGIN_THREADS"
scenario_set login duration "$LOGIN_DURATION"
# every session it opens leaves a refresh token, from which the tokens of (d) are minted
scenario_list login lua_args method=POST "body=$LOGIN_BODY" "save=$TOKENS/login"
define_scenario mint "POST /v1/auth/refresh, minting the tokens of (d)" /v1/auth/refresh '"access_token":"' -
scenario_set mint connections "$MINT_CONNECTIONS"
scenario_set mint threads "$MINT_THREADS"
scenario_set mint duration "$MINT_MAX"
scenario_list mint lua_args "refresh=$TOKENS/seeds" "save=$TOKENS/minted"
define_scenario fresh "(d) GET /v1/resolve/www.dnsdig.test/A, a new token every request" /v1/resolve/www.dnsdig.test/A "$EXPECTED"
scenario_list fresh lua_args "tokens=$TOKENS/fresh"
# the warmup of (d) needs no minted tokens: the reused token with a different wrong signature on every request is
# new to the server every time, which checks the signature in full (the same code as for a good one) and answers 401
define_scenario forged "(d) warmup: GET /v1/resolve/www.dnsdig.test/A, forged tokens (401)" /v1/resolve/www.dnsdig.test/A \
    '"detail":"invalid signature"' -
scenario_list forged lua_args "forge=$TOKEN" status=401
WARMUP_ONLY=(forged)

# (a) and (b): the same lookup with and without authentication, each warmed up before either is measured
warmup anon
warmup authed
measure anon
measure authed

# (c) logins
warmup login
measure login

# (d) new tokens. The warmup comes first: its forged tokens cost the server the same signature check as a good
# one, so its rate tells how many good ones (d) can use; enough are minted for BENCH_FRESH_DURATION at twice that
# rate (the warmup's average includes the slow start), but at most at the rate of (a), the same lookup without any
# authentication, times 1.25. Without a warmup, the latter.
FRESH_NOTE=""
if ((FRESH_DURATION > 0)); then
    warmup forged
    RATE_BOUND=$(awk -v a="${R[anon.rps]}" -v f="${R[forged.warmup.rps]:-0}" -v m="$FRESH_MARGIN" \
        'BEGIN{ r = a * m; if (f > 0 && 2 * f < r) r = 2 * f; print r }')
    NEEDED=$(awk -v r="$RATE_BOUND" -v d="$FRESH_DURATION" 'BEGIN{ n = r * d; printf "%d", (n == int(n)) ? n : int(n) + 1 }')
    split_lines "$TOKENS/login" "$TOKENS/seeds" "$MINT_THREADS"
    (($(lines_of "$TOKENS/seeds") >= MINT_CONNECTIONS)) ||
        die "(c) left only $(lines_of "$TOKENS/seeds") sessions to mint the tokens of (d) from; at least $MINT_CONNECTIONS are needed (BENCH_FRESH_DURATION=0 skips (d))"
    log "minting $NEEDED access tokens with POST /v1/auth/refresh (at most ${MINT_MAX}s), from $(lines_of "$TOKENS/seeds") sessions"
    enough_minted() { (($(lines_of "$TOKENS/minted") >= NEEDED)); }
    STOP_WHEN=enough_minted
    measure mint
    STOP_WHEN=""
    MINTED=$(lines_of "$TOKENS/minted")
    FRESH_RUN=$FRESH_DURATION
    if ((MINTED < NEEDED)); then
        FRESH_RUN=$(awk -v n="$MINTED" -v r="$RATE_BOUND" 'BEGIN{ printf "%d", n / r }')
        FRESH_NOTE="only $MINTED of the $NEEDED tokens could be minted in ${MINT_MAX}s (BENCH_MINT_MAX), so (d) ran ${FRESH_RUN}s instead of ${FRESH_DURATION}s"
    fi
    if ((FRESH_RUN >= 1)); then
        split_lines "$TOKENS/minted" "$TOKENS/fresh" "$THREADS"
        scenario_set fresh duration "$FRESH_RUN"
        measure fresh
        SCENARIOS_MEASURED=(anon authed login fresh)
    else
        FRESH_NOTE="(d) skipped: only $MINTED tokens could be minted in ${MINT_MAX}s (BENCH_MINT_MAX), not enough for one second"
        log "$FRESH_NOTE"
        SCENARIOS_MEASURED=(anon authed login)
    fi
else
    FRESH_NOTE="(d) skipped (BENCH_FRESH_DURATION=0)"
    SCENARIOS_MEASURED=(anon authed login)
fi
stop_server

# ---------------------------------------------------------------------------------------------- report
AUTH_COST=$(cost_pct "${R[authed.rps]}" "${R[anon.rps]}")
HASH_SLOTS=$(($(nproc) > 2 ? $(nproc) : 2))

echo "# DNSDig authentication benchmark"
echo
report_environment
echo "- Provider: \`$PROVIDERS\`; one server instance for everything, one account on it (\`POST /v1/users\`), one" \
    "access token from \`POST /v1/auth/login\` (ES256 JWT of ${#TOKEN} characters, expires_in ${TOKEN_EXPIRES_IN}s)" \
    "sent by every request of (b) as \`Authorization: Bearer \$TOKEN\`"
echo "- Load: $($WRK --version 2>&1 | head -n 1 | cut -d' ' -f1-2), $THREADS threads (at most one per connection)," \
    "request timeout ${WRK_TIMEOUT}s, on the same machine as the server; (a), (b), (c) and (d) each get a ${WARMUP}s" \
    "warmup ((a) and (b) both before either is measured), then are measured for ${DURATION}s, ${DURATION}s," \
    "${LOGIN_DURATION}s and $([[ -n ${R[fresh.rps]:-} ]] && echo "${R[fresh.duration]}s" || echo "- ((d) did not run)")"
echo
report_results "${SCENARIOS_MEASURED[@]}"
echo
echo "- authentication cost, 1 - (b)/(a): **$AUTH_COST %** of the anonymous throughput" \
    "(server CPU per request: $(fmt_ms "${R[anon.cpu_ms_per_request]}") ms anonymous, $(fmt_ms "${R[authed.cpu_ms_per_request]}") ms with the token)"
echo "- login: **$(fmt_rps "${R[login.rps]}") logins/s** at ${LOGIN_CONNECTIONS} connections, p50 $(fmt_ms "${R[login.p50_ms]}") ms," \
    "p99 $(fmt_ms "${R[login.p99_ms]}") ms; each one verifies the password hash, $ARGON2 (deliberately ~40-60 ms of" \
    "one core), and the server runs at most $HASH_SLOTS hashes at once; server CPU per login: $(fmt_ms "${R[login.cpu_ms_per_request]}") ms"
if [[ -n ${R[fresh.rps]:-} ]]; then
    FRESH_PCT=$(pct "${R[fresh.rps]}" "${R[authed.rps]}")
    if ((WARMUP > 0)); then
        FRESH_WARMUP="${WARMUP}s of forged tokens, $(fmt_rps "${R[forged.warmup.rps]}") rejected/s (the reused token with a new wrong signature on every request: a full signature check each time, then 401)"
    else
        FRESH_WARMUP="none"
    fi
    echo "- new tokens: **$(fmt_rps "${R[fresh.rps]}") different tokens verified per second** (every request of (d)" \
        "carries a token the server has not seen: a cache miss and an ES256 signature check), $FRESH_PCT % of the req/s" \
        "with one reused token (b); server CPU per request $(fmt_ms "${R[fresh.cpu_ms_per_request]}") ms, against" \
        "$(fmt_ms "${R[authed.cpu_ms_per_request]}") ms in (b)"
    echo "- (d) setup: warmup: $FRESH_WARMUP; then $MINTED tokens minted with \`POST /v1/auth/refresh\` (each" \
        "session's refresh token rotated) in $(printf '%.1f' "${R[mint.duration_s]}") s, $(fmt_rps "${R[mint.rps]}")" \
        "refreshes/s at $MINT_CONNECTIONS connections, for ${R[fresh.duration]}s of (d) at up to $(fmt_rps "$RATE_BOUND") req/s"
    if ((${R[fresh.reused]} > 0)); then
        echo "- **(d) ran out of new tokens**: ${R[fresh.reused]} requests reused the last one, so (d) mixes new and cached tokens"
    fi
fi
[[ -z $FRESH_NOTE ]] || echo "- $FRESH_NOTE"
echo
echo "| target | measured | result |"
echo "|---|---:|---|"
target "authentication costs <= $TARGET_AUTH_COST_PCT % of throughput: 1 - (b)/(a) at $CONNECTIONS connections" \
    "$AUTH_COST %" "$AUTH_COST <= $TARGET_AUTH_COST_PCT"
DIAGNOSED=(anon authed login)
[[ -z ${R[mint.requests]:-} ]] || DIAGNOSED+=(mint)
[[ -z ${R[fresh.requests]:-} ]] || DIAGNOSED+=(fresh)
target_correct "${DIAGNOSED[@]}"
echo
report_diagnostics "${DIAGNOSED[@]}"
echo
report_commands server "$PROVIDERS" "" "${DIAGNOSED[@]}" forged
exit "$FAILED"
