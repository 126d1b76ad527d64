#!/usr/bin/env bash
# Scenario (b): Redis dies under a running app (SPEC A1 "if Redis is down, the app keeps serving with a per-instance
# limiter and says so in logs and health").
#   phase 1  kill -STOP redis-server (hangs: every Redis call runs into its 1 s timeout);
#   phase 2  kill -9 redis-server (refused connections);
#   phase 3  a fresh redis-server on the same port.
#   assert:  in phases 1 and 2 pages and APIs keep answering 200 (each under 5 s), /health/ready answers 200 with the
#            redis check Degraded, and the checkout limit still holds per instance (6th attempt of one user -> 429);
#            in phase 3 /health/ready reports Redis Healthy again and the limit is back on Redis (the user's sliding
#            window lives in Redis again: 5 entries after 5 checkouts, and the 6th is 429).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
SCENARIO="redis-outage"
SKU="HK-0008"
REQUESTS="${CHAOS_REDIS_REQUESTS:-60}"
need_tools curl jq sqlite3 redis-server redis-cli
publish_app

start_redis
DB="$WORK/redis.db"
start_app app "$(port_of 2)" "$DB" --ConnectionStrings:Redis="$(redis_cs)"
URL="${APP_URLS[app]}"
set_stock "$URL" "$SKU" 500
register_customers "$URL" 4 redis >"$WORK/tokens"
mapfile -t TOKENS <"$WORK/tokens"

redis_health() { curl -s "$URL/health/ready" | jq -r '.checks[] | select(.name=="redis") | .status'; }
# ready_code: the status of /health/ready; any answer but 200 is logged with its body (which check, and why).
ready_code() {
  local body code
  body="$(curl -s -w '\n%{http_code}' --max-time 10 "$URL/health/ready" || true)"
  code="${body##*$'\n'}"
  [[ $code == 200 ]] || log "  /health/ready answered $code: $(head -c 2000 <<<"${body%$'\n'*}")"
  echo "$code"
}

# serve_check LABEL: REQUESTS reads across pages and APIs; prints "ok/total max_ms"
serve_check() {
  local ok=0 total=0 max=0 path code t
  for _ in $(seq 1 $((REQUESTS / 4))); do
    for path in / /catalog "/api/catalog/products?pageSize=24" /api/catalog/categories; do
      read -r code t < <(curl -s -o /dev/null -w '%{http_code} %{time_total}\n' --max-time 10 "$URL$path" || echo "000 10")
      total=$((total + 1))
      if [[ $code == 200 ]] && awk -v t="$t" 'BEGIN {exit !(t < 5)}'; then ok=$((ok + 1)); fi
      max=$(awk -v a="$max" -v t="$t" 'BEGIN {m = t*1000; print (m > a ? m : a)}')
    done
  done
  printf '%s/%s %.0f\n' "$ok" "$total" "$max"
}

# limit_check TOKEN: six checkouts in a row -> the statuses joined by commas
limit_check() {
  local s=() i
  for i in 1 2 3 4 5 6; do s+=("$(checkout "$URL" "$1" "$SKU")"); done
  (IFS=,; echo "${s[*]}")
}

window_size() { # entries of the checkout window of the user behind TOKEN in Redis
  local key
  key="$(redis-cli -p "$CHAOS_REDIS_PORT" --scan --pattern '*checkout*' | head -1)"
  [[ -n $key ]] && redis-cli -p "$CHAOS_REDIS_PORT" zcard "$key" || echo 0
}

fails=()
baseline_health="$(redis_health)"
[[ $baseline_health == Healthy ]] || fails+=("baseline redis health $baseline_health")

log "phase 1: kill -STOP redis-server"
kill -STOP "$REDIS_PID"
read -r p1_served p1_max < <(serve_check)
p1_limit="$(limit_check "${TOKENS[0]}")"
p1_ready="$(ready_code)"; p1_health="$(redis_health)"
log "  served $p1_served (max ${p1_max} ms), six checkouts: $p1_limit, ready $p1_ready, redis $p1_health"

log "phase 2: kill -9 redis-server"
kill -9 "$REDIS_PID"; kill -CONT "$REDIS_PID" 2>/dev/null || true
for _ in $(seq 1 50); do kill -0 "$REDIS_PID" 2>/dev/null || break; sleep 0.1; done
read -r p2_served p2_max < <(serve_check)
p2_limit="$(limit_check "${TOKENS[1]}")"
p2_ready="$(ready_code)"; p2_health="$(redis_health)"
log "  served $p2_served (max ${p2_max} ms), six checkouts: $p2_limit, ready $p2_ready, redis $p2_health"

log "phase 3: redis-server back (empty)"
back_at=$(date +%s.%N)
start_redis
until [[ $(redis_health) == Healthy ]]; do
  (($(date +%s) - ${back_at%.*} > 60)) && break
  sleep 0.5
done
p3_health="$(redis_health)"
recovered_s=$(awk -v s="$back_at" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e-s}')
# The limiter retries Redis 5 s after its last failure; the first decision after that returns to Redis.
p3_limit="$(limit_check "${TOKENS[2]}")"
p3_window="$(window_size)"
p3_ready="$(ready_code)"
read -r p3_served p3_max < <(serve_check)
log "  redis Healthy after ${recovered_s}s; six checkouts: $p3_limit; window entries in Redis: $p3_window; served $p3_served"

expect_limit="201,201,201,201,201,429"
all="$REQUESTS/$REQUESTS"
[[ $p1_served == "$all" ]] || fails+=("stopped: served $p1_served")
[[ $p2_served == "$all" ]] || fails+=("killed: served $p2_served")
[[ $p3_served == "$all" ]] || fails+=("back: served $p3_served")
[[ $p1_limit == "$expect_limit" ]] || fails+=("stopped: limit $p1_limit")
[[ $p2_limit == "$expect_limit" ]] || fails+=("killed: limit $p2_limit")
[[ $p3_limit == "$expect_limit" ]] || fails+=("back: limit $p3_limit")
[[ $p1_ready == 200 && $p1_health == Degraded ]] || fails+=("stopped: ready $p1_ready redis $p1_health")
[[ $p2_ready == 200 && $p2_health == Degraded ]] || fails+=("killed: ready $p2_ready redis $p2_health")
[[ $p3_ready == 200 && $p3_health == Healthy ]] || fails+=("back: ready $p3_ready redis $p3_health")
[[ $p3_window == 5 ]] || fails+=("back: $p3_window entries in the Redis window, expected 5")
fallback_logs="$(grep -c 'Redis unavailable for rate limiting' "$WORK/app.log" || true)"
((fallback_logs > 0)) || fails+=("no fallback warning in the log")

figure="STOP: $p1_served reads ok (max ${p1_max} ms), checkouts $p1_limit, ready $p1_ready/redis $p1_health; KILL: $p2_served ok (max ${p2_max} ms), checkouts $p2_limit, ready $p2_ready/redis $p2_health; BACK: redis Healthy ${recovered_s}s after restart, checkouts $p3_limit, Redis window $p3_window entries; fallback warnings logged: $fallback_logs"
if ((${#fails[@]} == 0)); then
  result PASS "$SCENARIO" "$figure"
else
  result FAIL "$SCENARIO" "$figure; failed: ${fails[*]}"; tail -10 "$WORK/app.log" | cut -c1-300; exit 1
fi
