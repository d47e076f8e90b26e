# Shared by bench/resolve.sh, bench/auth.sh and bench/todos.sh (sourced, not run; see bench/README.md): settings, the JDK and
# tools, the temp directory and the cleanup trap, a private Knot DNS, the server, an account and its token, wrk
# scenarios with their measurements, and the parts of the Markdown report both scripts print.
# Everything goes to 127.0.0.1 or ::1 only.
# shellcheck shell=bash

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
LUA="$HERE/wrk-stats.lua"
ZONE="$ROOT/adapters-dns/src/test/resources/knot/dnsdig.test.zone"
JAR_SRC="$ROOT/bootstrap/target/dnsdig.jar"
BENCH_NAME=$(basename "$0")

# ---------------------------------------------------------------------------------------------- settings
die() {
    echo "$BENCH_NAME: $*" >&2
    exit 2
}
log() { echo "[bench] $*" >&2; }
seconds() { # "15" or "15s" -> 15
    local v=${2%s}
    [[ $v =~ ^[0-9]+$ ]] || die "$1='$2' must be a whole number of seconds"
    echo "$v"
}
count() {
    [[ $2 =~ ^[0-9]+$ && $2 -ge 1 ]] || die "$1='$2' must be a positive whole number"
    echo "$2"
}
quote() { # one word, quoted for a shell only when it needs it
    if [[ $1 =~ ^[A-Za-z0-9_./:=@%+,-]+$ ]]; then printf '%s' "$1"; else printf "'%s'" "${1//\'/\'\\\'\'}"; fi
}
quote_all() { local first=1 w; for w in "$@"; do ((first)) || printf ' '; first=0; quote "$w"; done; }

# the settings both scripts have; the JIT needs about 40 s of load on 2 cores, so every server instance gets
# BENCH_WARMUP seconds of each endpoint's load (two or more endpoints per instance) before anything is measured
WARMUP=$(seconds BENCH_WARMUP "${BENCH_WARMUP:-30}")
DURATION=$(seconds BENCH_DURATION "${BENCH_DURATION:-15}")
CONNECTIONS=$(count BENCH_CONNECTIONS "${BENCH_CONNECTIONS:-64}")
THREADS=$(count BENCH_THREADS "${BENCH_THREADS:-2}")
WRK_TIMEOUT=$(seconds BENCH_TIMEOUT "${BENCH_TIMEOUT:-10}")
JAVA_OPTS=${BENCH_JAVA_OPTS:-}
DNS_TIMEOUT_MS=$(count BENCH_DNS_TIMEOUT_MS "${BENCH_DNS_TIMEOUT_MS:-2000}")
DNS_DEADLINE_MS=$(count BENCH_DNS_DEADLINE_MS "${BENCH_DNS_DEADLINE_MS:-5000}")
((DURATION >= 1)) || die "BENCH_DURATION must be at least 1 second"
((THREADS <= CONNECTIONS)) || die "BENCH_THREADS ($THREADS) must not exceed BENCH_CONNECTIONS ($CONNECTIONS)"

# the server's default access token lifetime (DNSDIG_ACCESS_TOKEN_TTL_S, not set here): one token serves a whole
# server instance, so the load on one instance must end well before it expires
TOKEN_TTL_S=900
token_budget() { # seconds what: dies when one token would have to outlive its lifetime
    (($1 <= TOKEN_TTL_S - 60)) ||
        die "$2 would take ${1}s with one access token, which expires after ${TOKEN_TTL_S}s; shorten BENCH_WARMUP or BENCH_DURATION"
}

# the exact command, with the BENCH_* settings that were given
COMMAND=""
for var in $(compgen -v BENCH_ || true); do
    [[ $var == BENCH_NAME ]] || COMMAND+="$var=$(quote "${!var}") "
done
COMMAND+=$(quote_all "$0" "$@")

# NETWORK RULE: loopback only. No proxy may see our requests, and curl reads no ~/.curlrc (-q).
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
CURL=(curl -q -s --noproxy '*')

# ---------------------------------------------------------------------------------------------- tools
java_major() { # prints the major version of a java binary (0 when it is unusable)
    local line
    line=$("$1" -version 2>&1 | head -n 1) || true
    if [[ $line =~ version\ \"([0-9]+)(\.([0-9]+))? ]]; then
        if [[ ${BASH_REMATCH[1]} == 1 ]]; then echo "${BASH_REMATCH[3]:-0}"; else echo "${BASH_REMATCH[1]}"; fi
    else
        echo 0
    fi
}

find_java() {
    if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then
        local major
        major=$(java_major "$JAVA_HOME/bin/java")
        if ((major >= 21)); then
            echo "$JAVA_HOME/bin/java"
            return
        fi
        log "JAVA_HOME=$JAVA_HOME is Java $major, too old (need >= 21); looking in /usr/lib/jvm"
    fi
    local best="" best_major=0 candidate major
    for candidate in /usr/lib/jvm/*/bin/java; do
        [[ -x $candidate ]] || continue
        major=$(java_major "$candidate")
        if ((major >= 21 && major > best_major)); then
            best=$candidate
            best_major=$major
        fi
    done
    [[ -n $best ]] || die "no JDK >= 21 found (JAVA_HOME='${JAVA_HOME:-}', /usr/lib/jvm/*/bin/java): install one, e.g. 'sudo apt-get install openjdk-21-jdk-headless', or set JAVA_HOME"
    echo "$best"
}

find_tool() { # name -> path, also looking in the sbin directories (knotd lives in /usr/sbin)
    local dir
    for dir in ${PATH//:/ } /usr/sbin /usr/local/sbin /sbin; do
        if [[ -x $dir/$1 ]]; then
            echo "$dir/$1"
            return 0
        fi
    done
    return 1
}

JAVA=$(find_java)
JAVA_HOME_FOUND=$(cd "$(dirname "$JAVA")/.." && pwd)
missing=()
WRK=$(find_tool wrk) || missing+=(wrk)
KNOTD=$(find_tool knotd) || missing+=(knotd)
KDIG=$(find_tool kdig) || missing+=(kdig)
find_tool curl >/dev/null || missing+=(curl)
if ((${#missing[@]} > 0)); then
    die "missing: ${missing[*]}. Install on Debian/Ubuntu with: sudo apt-get install wrk knot knot-dnsutils curl"
fi
[[ -f $LUA ]] || die "$LUA is missing"
[[ -f $ZONE ]] || die "$ZONE is missing"

# ---------------------------------------------------------------------------------------------- cleanup
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dnsdig-bench.XXXXXX")
SERVER_PID=""
KNOT_PID=""
CHILD_PID=""
OTHER_PID="" # another server a script starts (bench/dns.sh: unbound)
# servers run in their own session: Ctrl-C reaches this script (whose trap stops them), not them directly
DETACH=()
if command -v setsid >/dev/null; then DETACH=(setsid); fi

alive() { # pid -> true while the process exists and is not a zombie (bash builtins only: wait_live polls it)
    local stat
    { read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
    stat=${stat##*) }
    [[ -n $stat && ${stat:0:1} != Z ]]
}

stop_process() { # pid [seconds]: SIGTERM, then SIGKILL after the grace period; reaps it
    local pid=$1 grace=${2:-15} i
    [[ -n $pid ]] || return 0
    if alive "$pid"; then
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < grace * 20; i++)); do
            alive "$pid" || break
            sleep 0.05
        done
        if alive "$pid"; then
            log "pid $pid did not stop within ${grace}s of SIGTERM, killing it"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    stop_process "$CHILD_PID" 5
    stop_process "$OTHER_PID" 5
    stop_process "$SERVER_PID" 15
    stop_process "$KNOT_PID" 5
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT
trap 'log "terminated"; exit 143' TERM

# ---------------------------------------------------------------------------------------------- helpers
now_us() { local t=${EPOCHREALTIME/[.,]/}; echo "$t"; }

LOW_EPHEMERAL=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
port_in_use() {
    if command -v ss >/dev/null; then
        ss -Hlntu 2>/dev/null | awk -v p=":$1" '{ if (substr($5, length($5) - length(p) + 1) == p) found = 1 } END { exit !found }'
    else
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
    fi
}
free_port() { # a port below the ephemeral range (so wrk's client sockets cannot hold it), unused on TCP and UDP
    local low=20000 high=$((LOW_EPHEMERAL - 1)) port attempt
    ((high - low > 1000)) || high=60999
    for ((attempt = 0; attempt < 100; attempt++)); do
        port=$((low + (RANDOM * 32768 + RANDOM) % (high - low)))
        port_in_use "$port" || { echo "$port"; return 0; }
    done
    die "no free port found on loopback"
}

cpu_ticks_of() { # pid -> utime+stime in clock ticks (0 when gone or not started)
    local fields
    [[ -n $1 ]] || { echo 0; return; }
    fields=$(sed -E 's/^.*\) //' "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
    awk '{print $12 + $13}' <<<"$fields"
}
children_ticks() { # CPU of the main shell's waited-for children (wrk, curl, ...); $$ even inside $(...)
    sed -E 's/^.*\) //' "/proc/$$/stat" | awk '{print $14 + $15}'
}
jit_ticks() { # pid -> utime+stime of its JIT compiler threads (HotSpot's "C1/C2 CompilerThreadN"), in clock ticks
    [[ -n $1 ]] || { echo 0; return; }
    # the thread's name is field 2, "(C2 CompilerThre)", so the name is matched on the line and the fields counted
    # from the end of it
    grep -h '^[0-9]* (C[12] CompilerThre' /proc/"$1"/task/*/stat 2>/dev/null | sed -E 's/^.*\) //' |
        awk '{t += $12 + $13} END {print t + 0}'
}
machine_busy_ticks() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8}' /proc/stat; } # user nice system irq softirq
CLK_TCK=$(getconf CLK_TCK)

assert_loopback_providers() { # every server of every provider must be 127.x.x.x or ::1
    local entry spec servers
    [[ -n $1 ]] || die "internal error: empty provider list (the server would fall back to public resolvers)"
    IFS=';' read -ra entries <<<"$1"
    for entry in "${entries[@]}"; do
        servers=${entry#*=}
        IFS=',' read -ra specs <<<"$servers"
        for spec in "${specs[@]}"; do
            [[ $spec =~ ^127\.[0-9]+\.[0-9]+\.[0-9]+:[0-9]+$ || $spec =~ ^\[::1\]:[0-9]+$ ]] ||
                die "internal error: provider server '$spec' is not a loopback address"
        done
    done
}

# ---------------------------------------------------------------------------------------------- the jar
if [[ ! -f $JAR_SRC ]]; then
    log "$JAR_SRC is missing; building it with $JAVA_HOME_FOUND"
    (cd "$ROOT" && JAVA_HOME=$JAVA_HOME_FOUND ./mvnw -q -B -o package -DskipTests -pl bootstrap -am) >&2 ||
        die "the build failed: (cd $ROOT && JAVA_HOME=$JAVA_HOME_FOUND ./mvnw -q -B -o package -DskipTests -pl bootstrap -am)"
    [[ -f $JAR_SRC ]] || die "the build did not produce $JAR_SRC"
fi
# a private copy, so a rebuild during the run cannot change the server between scenarios
JAR="$WORK/dnsdig-bench.jar"
cp "$JAR_SRC" "$JAR"
JAR_SHA=$(sha256sum "$JAR" | cut -c1-12)
JAR_TIME=$(date -r "$JAR_SRC" '+%Y-%m-%d %H:%M:%S')
GIT_REV=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "?")
if [[ $GIT_REV != "?" && -n $(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null) ]]; then
    GIT_REV+=" (working tree has uncommitted changes)"
fi

# ---------------------------------------------------------------------------------------------- Knot
KNOT_DIR="$WORK/knot"
start_knot() { # -> KNOT_PID, KNOT_PORT; answers on 127.0.0.1 and ::1
    local attempt port i
    mkdir -p "$KNOT_DIR/zones" "$KNOT_DIR/db"
    cp "$ZONE" "$KNOT_DIR/zones/dnsdig.test.zone"
    for ((attempt = 1; attempt <= 5; attempt++)); do
        port=$(free_port)
        cat >"$KNOT_DIR/knot.conf" <<EOF
server:
    rundir: "$KNOT_DIR"
    listen: [ 127.0.0.1@$port, ::1@$port ]
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
control:
    listen: "$KNOT_DIR/knot.sock"
database:
    storage: "$KNOT_DIR/db"
log:
  - target: stderr
    any: warning
template:
  - id: default
    storage: "$KNOT_DIR/zones"
    file: "%s.zone"
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none
zone:
  - domain: dnsdig.test
EOF
        "${DETACH[@]}" "$KNOTD" -c "$KNOT_DIR/knot.conf" >"$KNOT_DIR/knotd.log" 2>&1 &
        KNOT_PID=$!
        for ((i = 0; i < 100; i++)); do # 10 s
            alive "$KNOT_PID" || break
            if [[ $("$KDIG" @127.0.0.1 -p "$port" +time=1 +retry=0 +short www.dnsdig.test A 2>/dev/null) == *192.0.2.10* &&
                $("$KDIG" @::1 -p "$port" +time=1 +retry=0 +short www.dnsdig.test A 2>/dev/null) == *192.0.2.10* ]]; then
                if grep -qi "cannot bind\|failed to bind\|address already in use" "$KNOT_DIR/knotd.log"; then
                    break # someone else answered on that port
                fi
                KNOT_PORT=$port
                log "knotd $KNOT_PID answers on 127.0.0.1@$KNOT_PORT and ::1@$KNOT_PORT"
                return 0
            fi
            sleep 0.1
        done
        log "knotd did not come up on port $port (attempt $attempt):"
        sed 's/^/    /' "$KNOT_DIR/knotd.log" >&2 || true
        stop_process "$KNOT_PID" 5
        KNOT_PID=""
    done
    die "knotd would not start; see the log above"
}

# ---------------------------------------------------------------------------------------------- the server
# a benchmark sends far more than the default limits allow one address or user (30 and 600 a minute)
RATE_LIMITS_OFF=(DNSDIG_RATELIMIT_ANONYMOUS=off DNSDIG_RATELIMIT_USER=off DNSDIG_RATELIMIT_LOGIN=off)
SERVER_ENV=("${RATE_LIMITS_OFF[@]}") # what start_server adds to the environment; a script may change it per instance

start_server() { # dir providers port -> SERVER_PID, SERVER_LOG, LAUNCH_US (just before the fork)
    local dir=$1 providers=$2 port=$3
    assert_loopback_providers "$providers"
    mkdir -p "$dir" # the working directory: an empty one, so no stray .env file is read
    SERVER_LOG="$dir/server.log"
    # no DNSDIG_* setting of the caller's environment (a remote MongoDB URI, say) reaches the server; each
    # instance has its own embedded store in its own directory
    local unset=() var
    for var in $(compgen -e DNSDIG_ || true); do unset+=(-u "$var"); done
    LAUNCH_US=$(now_us)
    # shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of options
    (cd "$dir" && exec "${DETACH[@]}" env "${unset[@]}" DNSDIG_DATA_DIR="$dir/data" DNSDIG_HTTP_HOST=127.0.0.1 \
        DNSDIG_HTTP_PORT="$port" DNSDIG_DNS_PROVIDERS="$providers" DNSDIG_DNS_TIMEOUT_MS="$DNS_TIMEOUT_MS" DNSDIG_DNS_DEADLINE_MS="$DNS_DEADLINE_MS" \
        DNSDIG_SHUTDOWN_GRACE_MS=5000 "${SERVER_ENV[@]}" "$JAVA" $JAVA_OPTS -jar "$JAR") >"$SERVER_LOG" 2>&1 &
    SERVER_PID=$!
}

# Start-up is timed with bash builtins only: a curl process every 10 ms took 0.7 of a core (20 ms of CPU each) from
# the server starting on the same two cores
exec {NAP_FD}<> <(:) # a pipe nobody writes to: read -t on it sleeps without a sleep process
nap() { read -r -t "$1" -u "$NAP_FD" _ || true; }

probe_live() { # port -> true when GET /health/live answers 200 (HTTP/1.1 over bash's /dev/tcp)
    local fd status
    { exec {fd}<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
    { printf 'GET /health/live HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$1" >&"$fd" &&
        read -r -t 1 -u "$fd" status; } 2>/dev/null || status=""
    exec {fd}>&-
    [[ $status == "HTTP/1.1 200 "* ]]
}

wait_live() { # port [timeout s] -> READY_US: when the first 200 from /health/live came (polled every ~10 ms)
    local url="http://127.0.0.1:$1/health/live" deadline=$((${EPOCHREALTIME/[.,]/} + ${2:-60} * 1000000)) i
    until probe_live "$1"; do
        alive "$SERVER_PID" || server_failed "the server exited before answering"
        ((${EPOCHREALTIME/[.,]/} < deadline)) || server_failed "no 200 from $url within ${2:-60} s"
        nap 0.01
    done
    READY_US=${EPOCHREALTIME/[.,]/}
    # it must be our process that answered, not something else that took the port; the server prints its
    # "listening on" line just after it starts serving, so give it a moment
    for ((i = 0; i < 500; i++)); do
        grep -q "listening on http://127.0.0.1:$1 " "$SERVER_LOG" && return 0
        alive "$SERVER_PID" || break
        sleep 0.01
    done
    server_failed "port $1 answered, but the server we launched does not say it listens there"
}

server_failed() {
    log "$1; server log:"
    sed 's/^/    /' "$SERVER_LOG" >&2 || true
    die "$1"
}

stop_server() {
    stop_process "$SERVER_PID" 15
    SERVER_PID=""
}

call() { # method path expected-status [curl options...] -> BODY; any other status stops the benchmark
    local method=$1 path=$2 expected=$3 out code
    shift 3
    out=$("${CURL[@]}" --max-time 30 -X "$method" -w '\n%{http_code}' "$@" "http://127.0.0.1:$PORT$path") || true
    code=${out##*$'\n'}
    BODY=${out%$'\n'*}
    [[ $code == "$expected" ]] || server_failed "$method $path answered ${code:-nothing}, expected $expected: ${BODY:0:400}"
}

check_get() { # path expected-text [token]: one request by hand, so a wrong setup fails before any load
    local auth=()
    [[ -z ${3:-} ]] || auth=(-H "Authorization: Bearer $3")
    call GET "$1" 200 "${auth[@]}"
    [[ $BODY == *"$2"* ]] || server_failed "GET $1 answered 200 without '$2': ${BODY:0:400}"
}

check_resolve() { # expected-text token: the authenticated resolve works, and refuses a request without a token
    check_get /v1/resolve/www.dnsdig.test/A "$1" "$2"
    call GET /v1/resolve/www.dnsdig.test/A 401
}

log_problems() { # lines in the server log that look like trouble
    grep -ciE 'exception|severe|warning|error' "$SERVER_LOG" || true
}

# ---------------------------------------------------------------------------------------------- the account
# one throwaway account per server instance (each has an empty store); the password is new for every run
EMAIL=bench@dnsdig.test
USERNAME=bench
PASSWORD="Bench-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')-9" # 8-128 characters, a digit, an upper-case letter
LOGIN_BODY="{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}"

sign_up_and_log_in() { # -> TOKEN, TOKEN_EXPIRES_IN: POST /v1/users, then POST /v1/auth/login on the server at PORT
    call POST /v1/users 201 -H 'Content-Type: application/json' \
        -d "{\"email\":\"$EMAIL\",\"username\":\"$USERNAME\",\"password\":\"$PASSWORD\"}"
    local started
    started=$(now_us)
    call POST /v1/auth/login 200 -H 'Content-Type: application/json' -d "$LOGIN_BODY"
    [[ $BODY =~ \"access_token\":\"([^\"]+)\" ]] || server_failed "the login answer has no access_token: ${BODY:0:400}"
    TOKEN=${BASH_REMATCH[1]}
    [[ $BODY =~ \"expires_in\":([0-9]+) ]] && TOKEN_EXPIRES_IN=${BASH_REMATCH[1]} || TOKEN_EXPIRES_IN="?"
    [[ $BODY == *'"token_type":"Bearer"'* ]] || server_failed "the login answer is not a Bearer token: ${BODY:0:400}"
    log "signed up $EMAIL and logged in ($((($(now_us) - started) / 1000)) ms); token of ${#TOKEN} characters, expires in ${TOKEN_EXPIRES_IN}s"
}

# ---------------------------------------------------------------------------------------------- wrk
declare -A R # results and scenario settings: R[scenario.key]
SCENARIOS=()
STOP_WHEN="" # a command; while wrk runs it is tried every 0.2 s, and wrk is stopped (SIGINT) once it succeeds

in_background() { # command...: wrk catches SIGINT and exits 0, which would keep bash from running the INT trap
    # while it waits in the foreground; the wait builtin returns at once on a trapped signal instead
    local status=0
    "$@" &
    CHILD_PID=$!
    if [[ -n $STOP_WHEN ]]; then
        while alive "$CHILD_PID"; do
            sleep 0.2
            if $STOP_WHEN; then
                kill -INT "$CHILD_PID" 2>/dev/null || true
                break
            fi
        done
    fi
    wait "$CHILD_PID" || status=$?
    CHILD_PID=""
    return "$status"
}

parse_bench_line() { # scenario file
    local line kv
    line=$(grep '^BENCH ' "$2" | tail -n 1) || return 1
    for kv in ${line#BENCH }; do
        R[$1.${kv%%=*}]=${kv#*=}
    done
    R[$1.sample]=$(grep '^BENCH_SAMPLE ' "$2" | head -n 1 | cut -c14-) || true
}

# a scenario: label, path, the text every 2xx body must contain, and optionally (scenario_set) other
# connections/threads/duration, wrk options before the URL (wrk_opts, e.g. -H) and wrk-stats.lua options
# (lua_args), each list separated by \x1f; a scenario that is not listed in the report is defined with "-"
define_scenario() { # scenario label path expected-text [-]
    [[ ${5:-} == - ]] || SCENARIOS+=("$1")
    R[$1.label]=$2
    R[$1.path]=$3
    R[$1.expected]=$4
    R[$1.connections]=$CONNECTIONS
    R[$1.threads]=$THREADS
    R[$1.duration]=$DURATION
    R[$1.wrk_opts]=""
    R[$1.lua_args]=""
}
scenario_set() { # scenario key value
    R[$1.$2]=$3
}
scenario_list() { # scenario key values...: a list setting
    local IFS=$'\x1f'
    R[$1.$2]="${*:3}"
}

wrk_command() { # scenario seconds -> WRK_CMD
    local s=$1 opts=() args=()
    [[ -z ${R[$s.wrk_opts]} ]] || IFS=$'\x1f' read -ra opts <<<"${R[$s.wrk_opts]}"
    [[ -z ${R[$s.lua_args]} ]] || IFS=$'\x1f' read -ra args <<<"${R[$s.lua_args]}"
    WRK_CMD=("$WRK" -t"${R[$s.threads]}" -c"${R[$s.connections]}" -d"${2}s" --timeout "${WRK_TIMEOUT}s" "${opts[@]}"
        -s "$LUA" "http://127.0.0.1:$PORT${R[$s.path]}" -- "${R[$s.expected]}" "${args[@]}")
}

shown() { # a command for the report: no token, password or temp directory in it
    local text
    text=$(quote_all "$@")
    [[ -z ${TOKEN:-} ]] || text=${text//"$TOKEN"/'$TOKEN'}
    [[ -z ${LIST_TOKEN:-} ]] || text=${text//"$LIST_TOKEN"/'$LIST_TOKEN'}
    text=${text//"$PASSWORD"/'$PASSWORD'}
    printf '%s' "${text//"$WORK"/TMP}"
}

warmup() { # scenario: BENCH_WARMUP seconds of the same load, results kept apart (shown if they had errors)
    local scenario=$1 label=${R[$1.label]} out="$WORK/$1.warmup.txt"
    ((WARMUP > 0)) || return 0
    log "$label: warmup ${WARMUP}s"
    wrk_command "$scenario" "$WARMUP"
    [[ -n ${R[$scenario.cmd]:-} ]] || R[$scenario.cmd]=$(shown "${WRK_CMD[@]}") # measure() replaces it
    in_background "${WRK_CMD[@]}" >"$out" 2>&1 || { cat "$out" >&2; server_failed "wrk failed during the warmup of $label"; }
    parse_bench_line "$scenario.warmup" "$out" || { cat "$out" >&2; die "wrk printed no result for the warmup of $label"; }
    alive "$SERVER_PID" || server_failed "the server died during the warmup of $label"
    log "$label: warmup ${R[$scenario.warmup.rps]} req/s, p99 ${R[$scenario.warmup.p99_ms]} ms"
    [[ -z ${R[$scenario.warmup.sample]} ]] || log "$label: first unexpected response: ${R[$scenario.warmup.sample]:0:300}"
}

# After its warmup a server instance gets more rounds of BENCH_SETTLE seconds of the same load until its JIT compilers
# took less than BENCH_JIT_SETTLED % of its CPU in a round, at most until BENCH_WARMUP_MAX seconds of that load in all:
# on 2 cores the compilers still took 8-26 % of the server's CPU 45-60 s into the load, and 1-7 % after 90-100 s
# (session 11, per-thread CPU from /proc); what is measured is the server at work, not the JIT at work
SETTLE=$(seconds BENCH_SETTLE "${BENCH_SETTLE:-5}")
JIT_SETTLED_PCT=$(count BENCH_JIT_SETTLED "${BENCH_JIT_SETTLED:-5}")
WARMUP_MAX=$(seconds BENCH_WARMUP_MAX "${BENCH_WARMUP_MAX:-120}")
settle() { # scenario -> R[scenario.warmup_s], R[scenario.settle_jit_pct]: the whole warmup, the JIT's share at its end
    local scenario=$1 label=${R[$1.label]} out="$WORK/$1.settle.txt" waited=$WARMUP jit server pct=-
    while ((waited < WARMUP_MAX && SETTLE > 0)); do
        jit=$(jit_ticks "$SERVER_PID")
        server=$(cpu_ticks_of "$SERVER_PID")
        wrk_command "$scenario" "$SETTLE"
        in_background "${WRK_CMD[@]}" >"$out" 2>&1 || { cat "$out" >&2; server_failed "wrk failed while $label settled"; }
        alive "$SERVER_PID" || server_failed "the server died while $label settled"
        waited=$((waited + SETTLE))
        pct=$(pct $(($(jit_ticks "$SERVER_PID") - jit)) $(($(cpu_ticks_of "$SERVER_PID") - server)))
        log "$label: after ${waited}s of its load the JIT compilers took $pct % of the server's CPU in ${SETTLE}s"
        awk -v p="$pct" -v t="$JIT_SETTLED_PCT" 'BEGIN{exit !(p < t)}' && break
    done
    R[$scenario.warmup_s]=$waited
    R[$scenario.settle_jit_pct]=$pct
}

measure() { # scenario
    local scenario=$1 label=${R[$1.label]} out="$WORK/$1.txt"
    log "$label: measuring ${R[$scenario.duration]}s (${R[$scenario.threads]} threads, ${R[$scenario.connections]} connections)"
    local problems_before server_before jit_before knot_before wrk_before busy_before
    problems_before=$(log_problems)
    server_before=$(cpu_ticks_of "$SERVER_PID")
    jit_before=$(jit_ticks "$SERVER_PID")
    knot_before=$(cpu_ticks_of "$KNOT_PID")
    wrk_before=$(children_ticks)
    busy_before=$(machine_busy_ticks)
    wrk_command "$scenario" "${R[$scenario.duration]}"
    in_background "${WRK_CMD[@]}" >"$out" 2>&1 || { cat "$out" >&2; server_failed "wrk failed while measuring $label"; }
    local busy=$(($(machine_busy_ticks) - busy_before))
    local server=$(($(cpu_ticks_of "$SERVER_PID") - server_before))
    R[$scenario.cpu_jit_pct]=$(pct $(($(jit_ticks "$SERVER_PID") - jit_before)) "$server")
    local knot=$(($(cpu_ticks_of "$KNOT_PID") - knot_before))
    local wrk_cpu=$(($(children_ticks) - wrk_before))
    parse_bench_line "$scenario" "$out" || { cat "$out" >&2; die "wrk printed no result for $label"; }
    R[$scenario.log_problems]=$(($(log_problems) - problems_before))
    local secs=${R[$scenario.duration_s]}
    R[$scenario.cpu_server]=$(awk -v t="$server" -v h="$CLK_TCK" -v s="$secs" 'BEGIN{printf "%.0f", 100*t/h/s}')
    R[$scenario.cpu_knot]=$(awk -v t="$knot" -v h="$CLK_TCK" -v s="$secs" 'BEGIN{printf "%.0f", 100*t/h/s}')
    R[$scenario.cpu_wrk]=$(awk -v t="$wrk_cpu" -v h="$CLK_TCK" -v s="$secs" 'BEGIN{printf "%.0f", 100*t/h/s}')
    R[$scenario.cpu_other]=$(awk -v t="$((busy - server - knot - wrk_cpu))" -v h="$CLK_TCK" -v s="$secs" \
        'BEGIN{v = 100*t/h/s; if (v < 0) v = 0; printf "%.0f", v}')
    # server CPU per completed request, in milliseconds
    R[$scenario.cpu_ms_per_request]=$(awk -v t="$server" -v h="$CLK_TCK" -v n="${R[$scenario.requests]}" \
        'BEGIN{ if (n > 0) printf "%.3f", 1000*t/h/n; else print 0 }')
    if ! alive "$SERVER_PID"; then
        R[$scenario.died]=1
        server_failed "the server died while measuring $label"
    fi
    R[$scenario.cmd]=$(shown "${WRK_CMD[@]}")
    log "$label: ${R[$scenario.rps]} req/s, p50 ${R[$scenario.p50_ms]} ms, p99 ${R[$scenario.p99_ms]} ms, non-2xx ${R[$scenario.non2xx]}"
    [[ -z ${R[$scenario.sample]} ]] || log "$label: first unexpected response: ${R[$scenario.sample]:0:300}"
}

median() { sort -n | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else printf "%.0f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

# ---------------------------------------------------------------------------------------------- report
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
log "Java $JAVA, jar $JAR_SRC (sha256 $JAR_SHA), work dir $WORK"

FAILED=0
target() { # label measured awk-condition: one row of the targets table
    local result=PASS
    if ! awk "BEGIN{exit !($3)}"; then
        result=FAIL
        FAILED=1
    fi
    echo "| $1 | $2 | $result |"
}
pct() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.1f", 100 * a / b; else print 0 }'; }
cost_pct() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.1f", 100 * (1 - a / b); else print 0 }'; } # 1 - a/b
fmt_ms() { awk -v v="$1" 'BEGIN{ if (v < 10) printf "%.2f", v; else printf "%.1f", v }'; }
fmt_rps() { awk -v v="$1" 'BEGIN{ if (v < 100) printf "%.1f", v; else printf "%.0f", v }'; }
bad_responses() { # scenario [prefix] -> non-2xx + unexpected bodies + socket errors
    local s=$1${2:-}
    echo $((R[$s.non2xx] + R[$s.bad_body] + R[$s.connect] + R[$s.read] + R[$s.write] + R[$s.timeout]))
}

report_environment() { # the header lines both reports start with
    local cpu_model mem_gb
    cpu_model=$(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo 2>/dev/null || echo "?")
    mem_gb=$(awk '/^MemTotal/{printf "%.0f", $2 / 1048576}' /proc/meminfo 2>/dev/null || echo "?")
    echo "- Date: $(date '+%Y-%m-%d %H:%M:%S %Z')"
    echo "- Command: \`$COMMAND\`"
    echo "- Machine: nproc $(nproc), $cpu_model, $mem_gb GB RAM, load average before the run: $LOAD_BEFORE"
    echo "- Java: $("$JAVA" -version 2>&1 | head -n 1) ($JAVA); JVM options: ${JAVA_OPTS:-none (JVM defaults)}"
    echo "- Server: $JAR_SRC (sha256 $JAR_SHA…, built $JAR_TIME, git $GIT_REV)," \
        "DNSDIG_DNS_TIMEOUT_MS=$DNS_TIMEOUT_MS, DNSDIG_DNS_DEADLINE_MS=$DNS_DEADLINE_MS, embedded store in a new" \
        "temp directory per server instance"
    if [[ -n ${KNOT_PORT:-} ]]; then
        echo "- Upstream: $($KNOTD --version 2>&1 | head -n 1) on 127.0.0.1@$KNOT_PORT and ::1@$KNOT_PORT" \
            "(udp/tcp/background workers 1/1/1), zone dnsdig.test"
    fi
}

REPORT_DETAIL=0 # 1: the tables also show each scenario's connections and the server's CPU per request

report_results() { # scenarios...: the main table
    local s conn_head="" conn_line="" conn
    ((REPORT_DETAIL)) && conn_head=" connections |" conn_line="---:|"
    echo "| scenario |$conn_head req/s | p50 ms | p99 ms | non-2xx |"
    echo "|---|$conn_line---:|---:|---:|---:|"
    for s in "$@"; do
        conn=""
        ((REPORT_DETAIL)) && conn=" ${R[$s.connections]} |"
        echo "| ${R[$s.label]} |$conn $(fmt_rps "${R[$s.rps]}") | $(fmt_ms "${R[$s.p50_ms]}") |" \
            "$(fmt_ms "${R[$s.p99_ms]}") | ${R[$s.non2xx]} |"
    done
}

target_correct() { # scenarios...: the "every response right" rows of the targets table
    local s errors
    for s in "$@"; do
        errors=$(bad_responses "$s")
        target "every response 200 with the expected body, no socket errors: ${R[$s.label]}" \
            "$errors bad of ${R[$s.requests]}" "$errors == 0"
    done
}

report_diagnostics() { # scenarios...: the diagnostics table, first unexpected responses, warmup trouble
    local s w noisy=0
    echo "Diagnostics (measurement phase; CPU in % of one core, the machine has $(nproc)00 %; \"other\" is everything else on the machine):"
    echo
    local per_head="" per_line="" per
    ((REPORT_DETAIL)) && per_head=" server CPU ms/request |" per_line="---:|"
    echo "| scenario | requests | p90 ms | max ms | warmup req/s | load before, s (JIT % at its end) | unexpected body | socket errors c/r/w/t | server log warnings |$per_head CPU server | of it JIT compilers | CPU Knot | CPU wrk | CPU other |"
    echo "|---|---:|---:|---:|---:|---:|---:|---|---:|$per_line---:|---:|---:|---:|---:|"
    for s in "$@"; do
        [[ -n ${R[$s.requests]:-} ]] || continue
        per=""
        ((REPORT_DETAIL)) && per=" ${R[$s.cpu_ms_per_request]} |"
        echo "| ${R[$s.label]} | ${R[$s.requests]} | $(fmt_ms "${R[$s.p90_ms]}") | $(fmt_ms "${R[$s.max_ms]}") |" \
            "$([[ -n ${R[$s.warmup.rps]:-} ]] && fmt_rps "${R[$s.warmup.rps]}" || echo -) |" \
            "$([[ -n ${R[$s.warmup_s]:-} ]] && echo "${R[$s.warmup_s]} (${R[$s.settle_jit_pct]})" || echo -) | ${R[$s.bad_body]} | ${R[$s.connect]}/${R[$s.read]}/${R[$s.write]}/${R[$s.timeout]} |" \
            "${R[$s.log_problems]} |$per ${R[$s.cpu_server]} | ${R[$s.cpu_jit_pct]} % | ${R[$s.cpu_knot]} | ${R[$s.cpu_wrk]} | ${R[$s.cpu_other]} |"
        ((R[$s.cpu_other] <= 15)) || noisy=1
    done
    for s in "$@" ${WARMUP_ONLY[@]+"${WARMUP_ONLY[@]}"}; do
        if [[ -n ${R[$s.sample]:-} ]]; then
            echo
            echo "First unexpected response in \"${R[$s.label]}\": \`${R[$s.sample]}\`"
        fi
        if [[ -n ${R[$s.warmup.requests]:-} ]]; then
            w=$(bad_responses "$s" .warmup)
            if ((w > 0)); then
                echo
                echo "Warmup of \"${R[$s.label]}\" had $w bad responses or socket errors of ${R[$s.warmup.requests]}" \
                    "(non-2xx ${R[$s.warmup.non2xx]}, body ${R[$s.warmup.bad_body]}, connect/read/write/timeout" \
                    "${R[$s.warmup.connect]}/${R[$s.warmup.read]}/${R[$s.warmup.write]}/${R[$s.warmup.timeout]})."
                [[ -z ${R[$s.warmup.sample]:-} ]] || echo "First one: \`${R[$s.warmup.sample]}\`"
            fi
        fi
    done
    if ((noisy)); then
        echo
        echo "**Warning:** other processes used more than 15 % of a core during a measurement; the numbers are not reliable."
    fi
}
WARMUP_ONLY=() # scenarios that were only warmed up, whose trouble report_diagnostics shows too

report_commands() { # label providers note scenarios...: the server's and wrk's command lines
    local label=$1 providers=$2 note=$3 s
    shift 3
    echo "Commands:"
    echo
    echo "- $label: \`$(shown env DNSDIG_DATA_DIR=TMP/data DNSDIG_HTTP_HOST=127.0.0.1 DNSDIG_HTTP_PORT=PORT \
        "DNSDIG_DNS_PROVIDERS=$providers" "DNSDIG_DNS_TIMEOUT_MS=$DNS_TIMEOUT_MS" "DNSDIG_DNS_DEADLINE_MS=$DNS_DEADLINE_MS" \
        DNSDIG_SHUTDOWN_GRACE_MS=5000 "${SERVER_ENV[@]}" "$JAVA" $JAVA_OPTS -jar "$JAR_SRC")\`, run from a private copy of the jar in an" \
        "empty directory TMP with every other DNSDIG_* variable unset$note"
    echo "- account: \`POST /v1/users {\"email\":\"$EMAIL\",\"username\":\"$USERNAME\",\"password\":\"\$PASSWORD\"}\`, then" \
        "\`POST /v1/auth/login {\"email\":\"$EMAIL\",\"password\":\"\$PASSWORD\"}\` gives \$TOKEN (the access_token)," \
        "once per server instance; \$PASSWORD is random per run"
    for s in "$@"; do
        [[ -z ${R[$s.cmd]:-} ]] || echo "- ${R[$s.label]}: \`${R[$s.cmd]}\`"
    done
}
