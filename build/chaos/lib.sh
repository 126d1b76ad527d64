#!/usr/bin/env bash
# Shared helpers of the fault-injection scenarios (sourced, not run). See docs/chaos.md.
#
# Every scenario runs the published Release app on loopback in production-like mode (ASPNETCORE_ENVIRONMENT=Production,
# a SQLite file in a temp folder, Hangfire server on, logging at Warning), stages one fault, drives load with curl, and
# ends with one line `PASS <scenario>: <figure>` or `FAIL <scenario>: <figure>` (exit 1 on FAIL).
#
# Ports (override with the environment): apps CHAOS_PORT_BASE (5400) and up, Redis CHAOS_REDIS_PORT (6394).
# CHAOS_APP_DIR: an already published app folder (run.sh publishes once and passes it on); unset = publish here.
set -euo pipefail

CHAOS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CHAOS_PORT_BASE="${CHAOS_PORT_BASE:-5400}"
CHAOS_REDIS_PORT="${CHAOS_REDIS_PORT:-6394}"
CHAOS_PASSWORD="Chaos-Passw0rd!1"          # demo users' password (Seed:DemoPassword) and the password of registered customers
CHAOS_SUPER_PASSWORD="Chaos-Super-Passw0rd!1"
CHAOS_CARD="4242424242424242"               # the simulator pays this card (docs/payments.md)
WORK="$(mktemp -d "${TMPDIR:-/tmp}/retail-chaos.XXXXXX")"
declare -A APP_PIDS=()   # name -> pid of the server process itself (exec'd, so kill -9 hits the server)
declare -A APP_URLS=()   # name -> base URL
REDIS_PID=""
CHAOS_RESULT=""

chaos_cleanup() {
  local name
  for name in "${!APP_PIDS[@]}"; do
    kill "${APP_PIDS[$name]}" 2>/dev/null || true
    kill -CONT "${APP_PIDS[$name]}" 2>/dev/null || true
  done
  for name in "${!APP_PIDS[@]}"; do wait "${APP_PIDS[$name]}" 2>/dev/null || true; done
  if [[ -n $REDIS_PID ]]; then kill -CONT "$REDIS_PID" 2>/dev/null || true; kill -9 "$REDIS_PID" 2>/dev/null || true; fi
  if [[ ${CHAOS_KEEP_WORK:-0} == 1 ]]; then echo "work folder kept: $WORK"; else rm -rf "$WORK"; fi
}
trap chaos_cleanup EXIT

log() { printf '  [%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

need_tools() {
  local missing=() t
  for t in "$@"; do command -v "$t" >/dev/null || missing+=("$t"); done
  if ((${#missing[@]})); then
    local pkgs=() p
    for p in "${missing[@]}"; do case $p in redis-cli) pkgs+=(redis-tools);; *) pkgs+=("$p");; esac; done
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${pkgs[@]}" >/dev/null
  fi
}

# publish_app: sets APP_DIR (reuses CHAOS_APP_DIR when it holds a published app).
publish_app() {
  if [[ -n ${CHAOS_APP_DIR:-} && -f ${CHAOS_APP_DIR}/Retail.Host.dll ]]; then
    APP_DIR="$CHAOS_APP_DIR"
  else
    log "publishing the app (Release)"
    APP_DIR="$WORK/app"
    dotnet publish "$CHAOS_ROOT/src/Host/Retail.Host" -c Release -o "$APP_DIR" --nologo -v quiet >/dev/null
  fi
}

port_of() { echo $((CHAOS_PORT_BASE + $1)); }

# start_app NAME PORT DB_FILE [--Key=Value ...]: starts the server, waits for /health/ready (503 allowed only while
# Redis is down: set ALLOW_DEGRADED=1), records its pid. The server is exec'd so APP_PIDS holds the real process.
start_app() {
  local name="$1" port="$2" db="$3"; shift 3
  local url="http://127.0.0.1:$port"
  if curl -s -o /dev/null "$url/health/live"; then echo "port $port is already in use"; exit 1; fi
  (cd "$APP_DIR" && exec env ASPNETCORE_ENVIRONMENT=Production dotnet "$APP_DIR/Retail.Host.dll" --urls "$url" \
    --ConnectionStrings:Retail="Data Source=$db" --Seed:DemoPassword="$CHAOS_PASSWORD" \
    --Identity:SuperAdmin:Password="$CHAOS_SUPER_PASSWORD" --Email:PickupFolder="$WORK/mail" \
    --Logging:LogLevel:Default=Warning "$@" >>"$WORK/$name.log" 2>&1) &
  APP_PIDS[$name]=$!
  APP_URLS[$name]="$url"
  local i
  for i in $(seq 1 240); do
    kill -0 "${APP_PIDS[$name]}" 2>/dev/null || { echo "$name exited during startup"; tail -30 "$WORK/$name.log"; exit 1; }
    if curl -sf -o /dev/null "$url/health/ready"; then log "$name ready on $url (pid ${APP_PIDS[$name]})"; return 0; fi
    sleep 0.25
  done
  echo "$name did not become ready"; tail -30 "$WORK/$name.log"; exit 1
}

stop_app() { # stop_app NAME [SIGNAL]
  local name="$1" sig="${2:-TERM}"
  kill "-$sig" "${APP_PIDS[$name]}" 2>/dev/null || true
  wait "${APP_PIDS[$name]}" 2>/dev/null || true
  unset "APP_PIDS[$name]"
}

start_redis() {
  redis-server --port "$CHAOS_REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "$WORK/redis.pid" --dir "$WORK" --logfile "$WORK/redis.log"
  local i
  for i in $(seq 1 50); do redis-cli -p "$CHAOS_REDIS_PORT" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
  REDIS_PID="$(cat "$WORK/redis.pid")"
  log "redis-server on 127.0.0.1:$CHAOS_REDIS_PORT (pid $REDIS_PID)"
}

redis_cs() { echo "127.0.0.1:$CHAOS_REDIS_PORT,connectTimeout=1000,syncTimeout=1000,asyncTimeout=1000"; }

sql() { sqlite3 -cmd '.timeout 10000' "$1" "$2"; }

# --- crash / restart hook (used by crash-restart.sh; the pending ingest and refund scenarios reuse it) --------

# kill9_when NAME DB WHEN_SQL: waits (up to 120 s) until WHEN_SQL returns a non-zero number, then SIGKILLs instance NAME.
kill9_when() {
  local name="$1" db="$2" when="$3" deadline=$(($(date +%s) + 120))
  until (($(sql "$db" "$when" 2>/dev/null || echo 0) > 0)); do
    (($(date +%s) > deadline)) && { echo "condition never met: $when" >&2; return 1; }
    sleep 0.05
  done
  stop_app "$name" KILL
  log "$name killed with SIGKILL"
}

# restart_and_settle NAME PORT DB SETTLED_SQL TIMEOUT_S [--Key=Value ...]: starts NAME again on the same database and
# waits until SETTLED_SQL returns 0 (nothing left to finish). Sets SETTLE_S to the seconds from restart to settled;
# returns 1 on timeout. Background sweeps run every 5 s so the wait stays short.
restart_and_settle() {
  local name="$1" port="$2" db="$3" settled="$4" timeout="$5"; shift 5
  local started; started=$(date +%s.%N)
  start_app "$name" "$port" "$db" --Ordering:PaymentRetryCron="*/5 * * * * *" --Outbox:SweepCron="*/5 * * * * *" "$@"
  local deadline=$(($(date +%s) + timeout))
  until [[ $(sql "$db" "$settled") == 0 ]]; do
    (($(date +%s) > deadline)) && { SETTLE_S=timeout; return 1; }
    sleep 1
  done
  SETTLE_S=$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e-s}')
}

# --- customers and checkout through the JSON API ------------------------------------------------

# register_one URL EMAIL -> registers through /api/identity/register and prints a bearer token.
register_one() {
  curl -sf -o /dev/null -X POST "$1/api/identity/register" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$2\",\"password\":\"$CHAOS_PASSWORD\"}" || { echo "register $2 failed" >&2; return 1; }
  token_for "$1" "$2"
}

token_for() { # token_for URL EMAIL [PASSWORD]
  curl -sf -X POST "$1/api/identity/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$2\",\"password\":\"${3:-$CHAOS_PASSWORD}\"}" | jq -r .accessToken
}
export -f register_one token_for
export CHAOS_PASSWORD

# register_customers URL N PREFIX -> N bearer tokens, one a line (4 at a time: password hashing is CPU-bound).
register_customers() {
  local url="$1" n="$2" prefix="$3"
  seq 1 "$n" | xargs -P 4 -I{} bash -c 'register_one "$0" "$1"' "$url" "$prefix-{}-$RANDOM$RANDOM@chaos.test"
}

checkout_body() { # checkout_body SKU [QTY]
  printf '{"items":[{"sku":"%s","quantity":%s}],"shippingAddress":{"name":"Chaos Tester","line1":"1 Main St","city":"Springfield","postalCode":"12345","country":"US"},"paymentMethod":"card","paymentDetails":{"cardNumber":"%s","expiry":"12/30"}}' \
    "$1" "${2:-1}" "$CHAOS_CARD"
}

# checkout URL TOKEN SKU [KEY] [extra curl args] -> prints the HTTP status (000 = no answer)
checkout() {
  local url="$1" token="$2" sku="$3" key="${4:-$(cat /proc/sys/kernel/random/uuid)}"; shift 4 2>/dev/null || shift $#
  local code
  code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 -X POST "$url/api/checkout" \
    -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -H "Idempotency-Key: $key" "$@" \
    -d "$(checkout_body "$sku")")" || true
  echo "${code:-000}"
}
export -f checkout checkout_body
export CHAOS_CARD

# checkout_burst URL TOKENS_FILE SKU PARALLEL -> one status a line; one checkout per token, PARALLEL at a time.
checkout_burst() {
  local url="$1" tokens="$2" sku="$3" parallel="$4"
  xargs -P "$parallel" -I{} bash -c 'checkout "$0" "$1" "$2"' "$url" {} "$sku" <"$tokens"
}

# set_stock URL SKU TARGET: a catalog admin adjusts the product's stock to TARGET (POST .../stock-adjustments).
set_stock() {
  local url="$1" sku="$2" target="$3" token current
  token="$(token_for "$url" catalog@retail.local)"
  current="$(curl -sf "$url/api/catalog/products/$sku" | jq -r .stock)"
  if ((target != current)); then
    curl -sf -o /dev/null -X POST "$url/api/catalog/products/$sku/stock-adjustments" -H "Authorization: Bearer $token" \
      -H 'Content-Type: application/json' -d "{\"delta\":$((target - current)),\"reason\":\"chaos scenario set-up\"}"
  fi
  [[ $(curl -sf "$url/api/catalog/products/$sku" | jq -r .stock) == "$target" ]] || { echo "could not set the stock of $sku to $target" >&2; return 1; }
}

# --- admin actions through the pages (cookie + antiforgery, as a browser would) ------------------

# admin_sign_in URL JAR [EMAIL]
admin_sign_in() {
  local url="$1" jar="$2" email="${3:-admin@retail.local}" token
  token="$(curl -s -c "$jar" -b "$jar" "$url/Identity/Login" | sed -n 's/.*name="__RequestVerificationToken" type="hidden" value="\([^"]*\)".*/\1/p' | head -1)"
  curl -s -o /dev/null -c "$jar" -b "$jar" -X POST "$url/Identity/Login" \
    --data-urlencode "Input.Email=$email" --data-urlencode "Input.Password=$CHAOS_PASSWORD" \
    --data-urlencode "__RequestVerificationToken=$token"
  grep -q 'retail\.auth' "$jar" || { echo "sign-in of $email failed" >&2; return 1; }
}

# set_outage URL JAR true|false: ticks/unticks "Outage" on /admin/payments (docs/payments.md, "Staging an outage").
set_outage() {
  local url="$1" jar="$2" on="$3" page token
  page="$(curl -s -c "$jar" -b "$jar" "$url/admin/payments")"
  token="$(sed -n 's/.*name="__RequestVerificationToken" type="hidden" value="\([^"]*\)".*/\1/p' <<<"$page" | head -1)"
  [[ -n $token ]] || { echo "no form on /admin/payments (not signed in as admin?)" >&2; return 1; }
  local args=(--data-urlencode "Input.LatencyMs=20" --data-urlencode "Input.FailurePercent=0" --data-urlencode "Input.TimeoutPercent=0"
              --data-urlencode "Input.DeclineCardSuffixes=0002" --data-urlencode "__RequestVerificationToken=$token")
  [[ $on == true ]] && args+=(--data-urlencode "Input.Outage=true")
  args+=(--data-urlencode "Input.Outage=false")
  local code
  code="$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" -X POST "$url/admin/payments" "${args[@]}")"
  [[ $code == 302 ]] || { echo "setting the outage answered $code" >&2; return 1; }
  log "payment gateway outage=$on on $url"
}

# breaker_state URL JAR / breaker_mttr URL JAR: the breaker's state and last MTTR as /admin/payments shows them.
breaker_state() { curl -s -c "$2" -b "$2" "$1/admin/payments" | tr -d '\n' | sed -n 's/.*id="circuit-state"><strong>\([^<]*\)<.*/\1/p'; }
breaker_mttr() { curl -s -c "$2" -b "$2" "$1/admin/payments" | tr -d '\n' | sed -n 's/.*id="circuit-mttr">\([^<]*\)<.*/\1/p'; }

# --- results ----------------------------------------------------------------------------------------

result() { # result PASS|FAIL SCENARIO FIGURE
  CHAOS_RESULT="$1 $2: $3"
  echo "$CHAOS_RESULT"
  [[ $1 == PASS ]]
}

count() { grep -c "^$1\$" "$2" || true; }
