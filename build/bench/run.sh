#!/usr/bin/env bash
# Benchmarks on loopback (see docs/benchmarks.md for results and how to read them).
#
#   build/bench/run.sh            full run: 3 runs per case, median reported (several minutes)
#   build/bench/run.sh --smoke    seconds: one short run per case, checks the harness works (CI runs this)
#   BENCH_ONLY=http,storm build/bench/run.sh   only these groups of cases (http, storm, ingest)
#   BENCH_APP_ARGS="--Hosting:MinThreads=32" build/bench/run.sh   extra app settings for every start (A/B runs)
#
# Publishes Release, starts the app in production-like mode (SQLite file, demo data; a second pass with Redis),
# pins the server to core 0 and the load generators to core 1 (taskset), warms up, then measures each case next to
# a ceiling taken in the same run: the app's trivial /health/live endpoint. Closed-loop throughput comes from wrk;
# fixed-rate latency from build/bench/LoadGen (HdrHistogram, measured from each request's intended send time).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
MODE="${1:-full}"
OUT="$ROOT/artifacts/bench"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/retail-bench.XXXXXX")"
PORT="${BENCH_PORT:-5080}"
REDIS_PORT="${BENCH_REDIS_PORT:-6392}"
BASE="http://127.0.0.1:$PORT"
APP_PID=""
REDIS_PID_FILE="$WORK/redis.pid"

if [[ $MODE == --smoke ]]; then RUNS=1; SECONDS_PER_RUN=2; WARMUP=1; OPEN_RATE=200; OPEN_WARMUP=1; STORM_CUSTOMERS=10; STORM_ATTEMPTS=5; STORM_ALLOCATION=10; STORM_ROUNDS=1; SUSTAINED_CUSTOMERS=5; SUSTAINED_ATTEMPTS=4
  INGEST_SMALL=200; INGEST_ROWS=2000; INGEST_STRUCTURED=500; WEBHOOK_RATE=50; WEBHOOK_SECONDS=1
else RUNS=3; SECONDS_PER_RUN=8; WARMUP=4; OPEN_RATE=${BENCH_OPEN_RATE:-5000}; OPEN_WARMUP=2; STORM_CUSTOMERS=100; STORM_ATTEMPTS=10; STORM_ALLOCATION=100; STORM_ROUNDS=${BENCH_STORM_ROUNDS:-20}
  SUSTAINED_CUSTOMERS=200; SUSTAINED_ATTEMPTS=10
  INGEST_SMALL=10000; INGEST_ROWS=${BENCH_INGEST_ROWS:-1000000}; INGEST_STRUCTURED=${BENCH_INGEST_STRUCTURED:-200000}; WEBHOOK_RATE=${BENCH_WEBHOOK_RATE:-1000}; WEBHOOK_SECONDS=10; fi

cleanup() {
  [[ -n $APP_PID ]] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null || true
  [[ -f $REDIS_PID_FILE ]] && kill "$(cat "$REDIS_PID_FILE")" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
if curl -s -o /dev/null "$BASE/health/live"; then echo "port $PORT is already in use; set BENCH_PORT"; exit 1; fi

need=()
for tool in wrk taskset redis-server; do command -v "$tool" >/dev/null || need+=("$tool"); done
if ((${#need[@]})); then
  pkgs=(); for t in "${need[@]}"; do case $t in taskset) pkgs+=(util-linux);; *) pkgs+=("$t");; esac; done
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${pkgs[@]}" >/dev/null
fi

mkdir -p "$OUT"
echo "==> publishing the app and the load generator (Release)"
dotnet publish src/Host/Retail.Host -c Release -o "$WORK/app" --nologo -v quiet >/dev/null
dotnet build build/bench/LoadGen -c Release -o "$WORK/loadgen" --nologo -v quiet >/dev/null
dotnet build build/bench/FlashStorm -c Release -o "$WORK/storm" --nologo -v quiet >/dev/null
dotnet build build/bench/ingest -c Release -o "$WORK/ingest" --nologo -v quiet >/dev/null

start_app() { # start_app [redis-connection-string [extra app arguments...]]
  local redis="${1:-}"; shift || true
  rm -f "$WORK"/bench.db*
  # exec: APP_PID must be the server itself (not a wrapper shell), so stop_app really stops it and memory is read
  # from the right process. The app folder is the working directory so the web root (static files) is found.
  (cd "$WORK/app" && exec env ASPNETCORE_ENVIRONMENT=Production taskset -c 0 dotnet "$WORK/app/Retail.Host.dll" --urls "$BASE" \
    --ConnectionStrings:Retail="Data Source=$WORK/bench.db" --ConnectionStrings:Redis="$redis" \
    --Seed:DemoPassword="Bench-Passw0rd!" --Identity:SuperAdmin:Password="Bench-Super-Passw0rd!" \
    --Logging:LogLevel:Default=Warning "$@" ${BENCH_APP_ARGS:-} >"$WORK/app.log" 2>&1) &
  APP_PID=$!
  for _ in $(seq 1 120); do
    kill -0 "$APP_PID" 2>/dev/null || { echo "app exited during startup"; tail -20 "$WORK/app.log"; exit 1; }
    curl -sf "$BASE/health/ready" >/dev/null && return 0
    sleep 0.5
  done
  echo "app did not become ready"; tail -20 "$WORK/app.log"; exit 1
}

stop_app() { kill "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; APP_PID=""; }

server_pid() { echo "$APP_PID"; }

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

to_ms() { # wrk latency like 1.23ms / 850.00us / 1.20s -> ms
  awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); print v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v); print v+0} else if (v ~ /s$/) {sub(/s$/,"",v); print v*1000} else print v}'
}

# closed loop: wrk -t1 -c32, median of RUNS -> "rps p50ms p99ms errors"
closed_loop() {
  local url="$1" rps=() p50=() p99=() errs=0
  taskset -c 1 wrk -t1 -c32 -d"${WARMUP}s" "$url" >/dev/null 2>&1 || true
  for _ in $(seq 1 "$RUNS"); do
    local out; out="$(taskset -c 1 wrk -t1 -c32 -d"${SECONDS_PER_RUN}s" --latency "$url")"
    rps+=("$(awk '/Requests\/sec/ {print $2}' <<<"$out")")
    p50+=("$(awk '$1=="50%" {print $2}' <<<"$out" | to_ms)")
    p99+=("$(awk '$1=="99%" {print $2}' <<<"$out" | to_ms)")
    local e; e="$(awk '/Non-2xx or 3xx responses/ {print $5} /Socket errors/ {gsub(",","",$0); print $4+$6+$8+$10}' <<<"$out" | paste -sd+ | bc 2>/dev/null || echo 0)"
    errs=$((errs + ${e:-0}))
  done
  printf '%s %s %s %s\n' "$(printf '%s\n' "${rps[@]}" | median)" "$(printf '%s\n' "${p50[@]}" | median)" "$(printf '%s\n' "${p99[@]}" | median)" "$errs"
}

# open loop at a fixed rate with LoadGen -> JSON line. The generator's first seconds (its connections, its own JIT) are
# sent at the same rate but not recorded: unwarmed, they were the whole p99.9 (~70 ms) even at 500 req/s.
open_loop() {
  taskset -c 1 dotnet "$WORK/loadgen/LoadGen.dll" --url "$1" --rate "$OPEN_RATE" --seconds "$SECONDS_PER_RUN" --connections 64 --warmup "$OPEN_WARMUP" || true
}

# Issue 8: the rate limiter adds <= 1 ms at p99. The app's own histogram of rate-limit decisions (every store and
# answer): limiter_buckets prints "le count" per bucket; limiter_p99 BEFORE reads the decisions made since BEFORE (a
# limiter_buckets output) as "N decisions, p99 <= X ms", X being the bucket bound the 99th percentile falls in.
limiter_buckets() {
  curl -s "$BASE/metrics" | awk -F'[{}]' '/^retail_ratelimit_decision_duration_seconds_bucket/ {
      if (match($2, /le="[^"]*"/)) { le = substr($2, RSTART + 4, RLENGTH - 5); split($3, v, " "); c[le] += v[1] } }
    END { for (le in c) print le, c[le] }'
}
limiter_p99() {
  awk 'NR == FNR { before[$1] = $2; next } { c[$1] = $2 - before[$1] }
    END {
      n = 0; for (le in c) { if (le != "+Inf") { b[++n] = le } }
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (b[j] + 0 < b[i] + 0) { t = b[i]; b[i] = b[j]; b[j] = t }
      total = c["+Inf"]; if (total <= 0) { print "0 decisions"; exit }
      for (i = 1; i <= n; i++) if (c[b[i]] >= 0.99 * total) { printf "%d decisions, p99 <= %g ms\n", total, b[i] * 1000; exit }
      printf "%d decisions, p99 above %g ms\n", total, b[n] * 1000 }' <(printf '%s\n' "$1") <(limiter_buckets)
}

# "listing-loads ef-queries" from the app's Prometheus endpoint
db_counters() {
  curl -s "$BASE/metrics" | awk '/^retail_flash_listing_loads_total/ {l+=$NF} /^microsoft_entityframeworkcore_queries_total/ {q+=$NF} END {printf "%d %d\n", l, q}'
}

RESULTS="$OUT/results.txt"
: >"$RESULTS"
row() { printf '| %-34s | %10s | %8s | %8s | %6s | %s |\n' "$@" | tee -a "$RESULTS"; }

run_pass() { # run_pass LABEL [redis]
  local label="$1"; shift
  start_app "${1:-}"
  echo "==> pass: $label"
  row "case ($label)" "req/s" "p50 ms" "p99 ms" "errors" "vs ceiling"
  row "---" "---" "---" "---" "---" "---"
  # Warm every case first: measured cold, the ceiling (the first case) paid for the JIT's warm-up and read low.
  for path in "/health/live" "/api/catalog/products?pageSize=24" "/api/catalog/products/HK-0008" "/api/catalog/categories" "/catalog" "/" "/api/flash/products" "/flash/products"; do
    taskset -c 1 wrk -t1 -c32 -d"${WARMUP}s" "$BASE$path" >/dev/null 2>&1 || true
  done
  read -r c_rps c_p50 c_p99 c_err < <(closed_loop "$BASE/health/live")
  row "ceiling /health/live" "$c_rps" "$c_p50" "$c_p99" "$c_err" "1.00"
  for path in "/api/catalog/products?pageSize=24" "/api/catalog/products/HK-0008" "/api/catalog/categories" "/catalog" "/" "/api/flash/products" "/flash/products"; do
    read -r rps p50 p99 err < <(closed_loop "$BASE$path")
    row "$path" "$rps" "$p50" "$p99" "$err" "$(awk -v a="$rps" -v b="$c_rps" 'BEGIN {printf "%.2f", (b>0 ? a/b : 0)}')"
  done
  echo "open loop at $OPEN_RATE req/s for ${SECONDS_PER_RUN}s (after ${OPEN_WARMUP}s unrecorded at the same rate):" | tee -a "$RESULTS"
  echo "  /health/live $(open_loop "$BASE/health/live")" | tee -a "$RESULTS"
  # Issue 8: <= 1 database query per 30 s while the listing is under load. Read from the app's own counters: the
  # listing's loads, and every EF Core query of the process (background jobs included) over the same interval.
  local db_before db_after t_before t_after loads0 queries0 loads1 queries1
  db_before="$(db_counters)"; t_before=$(date +%s.%N)
  for path in "/api/flash/products" "/flash/products"; do
    echo "  $path $(open_loop "$BASE$path")" | tee -a "$RESULTS"
  done
  db_after="$(db_counters)"; t_after=$(date +%s.%N)
  read -r loads0 queries0 <<<"$db_before"; read -r loads1 queries1 <<<"$db_after"
  # The listing reloads once per 30 s period of the clock (FlashSales:ListingRefresh), so a window of T seconds may
  # touch floor(end/30) - floor(start/30) + 1 periods: at most that many loads.
  awk -v l=$((loads1 - loads0)) -v q=$((queries1 - queries0)) -v a="$t_before" -v b="$t_after" \
    'BEGIN {p = int(b / 30) - int(a / 30) + 1; printf "  database while the listing was under open-loop load (%.0f s, %d refresh periods of 30 s): %d listing loads (%s), %d EF Core queries in the whole process (background jobs and the feature switch included)\n", b - a, p, l, (l <= p ? "at most one per period" : "MORE than one per period"), q}' | tee -a "$RESULTS"
  # SPEC A1 under a burst: one customer, 200 concurrent checkouts -> exactly the limit (5) accepted, the rest 429.
  # Twice, each with a new customer: the first burst is the checkout path's warm-up (its first decisions include the
  # JIT's: ~30 of 200 took 2.5-25 ms on a fresh app, none in later bursts), the second is the one timed.
  local limit before_limit
  for burst in warm-up timed; do
    before_limit="$(limiter_buckets)"
    limit="$(taskset -c 1 dotnet "$WORK/storm/FlashStorm.dll" --base "$BASE" --password "Bench-Passw0rd!" \
      --customers 1 --attempts 200 --stock 1000 --rounds 1 --no-sale)"
    echo "rate limit ($burst), 200 concurrent checkouts from one customer: $limit" | tee -a "$RESULTS"
    jq -e '.rounds[0].accepted == 5 and .rounds[0].outcomes["429:rate_limited"] == 195' <<<"$limit" >/dev/null \
      || { echo "rate-limit case: expected exactly 5 accepted and 195 answered 429"; STORM_FAILED=1; }
    echo "rate-limit decision time ($burst burst, the limiter's own histogram): $(limiter_p99 "$before_limit")" | tee -a "$RESULTS"
  done
  echo "server peak memory: $(awk '/VmHWM/ {printf "%.0f MB", $2/1024}' "/proc/$(server_pid)/status" 2>/dev/null || echo n/a)" | tee -a "$RESULTS"
  stop_app
}

# Flash checkout storm: one hot SKU per round, STORM_CUSTOMERS customers x STORM_ATTEMPTS concurrent checkouts for
# STORM_ALLOCATION units with a cap of 2, limits raised so the allocation, the cap and the stock decide. After every round
# the database must show: paid orders = units sold = allocation - remaining, no customer above the cap, stock never negative.
# check_round SKU SOLD REMAINING ACCEPTED ALLOCATION CAP EXACT: EXACT=1 for the rounds, where every accepted answer must
# be a paid order by now; EXACT=0 for the sustained round, where an order may also still be PaymentPending (answered 202
# when the payment pipeline timed out under load: stock held, paid by the retry job later) and count as sold.
check_round() {
  local sku=$1 remaining=$3 accepted=$4 allocation=$5 cap=$6 exact=$7 db="$WORK/bench.db" paid units over negative dbsold statuses="'Paid'"
  ((exact)) || statuses="'Paid', 'PaymentPending'"
  paid="$(sqlite3 "$db" "SELECT COUNT(DISTINCT o.Id) FROM ordering_Orders o JOIN ordering_OrderLines l ON l.OrderId = o.Id WHERE l.Sku = '$sku' AND o.Status IN ($statuses);")"
  units="$(sqlite3 "$db" "SELECT COALESCE(SUM(l.Quantity), 0) FROM ordering_Orders o JOIN ordering_OrderLines l ON l.OrderId = o.Id WHERE l.Sku = '$sku' AND o.Status IN ($statuses);")"
  over="$(sqlite3 "$db" "SELECT COUNT(*) FROM (SELECT o.CustomerId FROM ordering_Orders o JOIN ordering_OrderLines l ON l.OrderId = o.Id WHERE l.Sku = '$sku' AND o.Status <> 'Cancelled' GROUP BY o.CustomerId HAVING SUM(l.Quantity) > $cap);")"
  negative="$(sqlite3 "$db" "SELECT COUNT(*) FROM catalog_Products WHERE Sku = '$sku' AND Stock < 0;")"
  dbsold="$(sqlite3 "$db" "SELECT Sold FROM flashsales_SaleItems WHERE Sku = '$sku';")"
  if [[ $units != "$dbsold" || $dbsold != $((allocation - remaining)) || $over != 0 || $negative != 0 ]] \
    || { ((exact)) && [[ $paid != "$accepted" ]]; } || ((paid < accepted)); then
    echo "  $sku: FAIL paid=$paid units=$units sold=$dbsold remaining=$remaining accepted=$accepted over-cap=$over negative-stock=$negative" | tee -a "$RESULTS"
    return 1
  fi
}

storm_pass() {
  start_app "" --Ordering:CheckoutRateLimit:PermitLimit=100000 --FlashSales:PerUserSkuPermitLimit=100000
  echo "==> flash checkout storm: $STORM_ROUNDS round(s) of $((STORM_CUSTOMERS * STORM_ATTEMPTS)) checkouts for $STORM_ALLOCATION units" | tee -a "$RESULTS"
  local out; out="$(taskset -c 1 dotnet "$WORK/storm/FlashStorm.dll" --base "$BASE" --password "Bench-Passw0rd!" --customers "$STORM_CUSTOMERS" \
    --attempts "$STORM_ATTEMPTS" --allocation "$STORM_ALLOCATION" --cap 2 --stock $((STORM_ALLOCATION * 3 / 2)) --rounds "$STORM_ROUNDS")"
  echo "$out" >"$OUT/storm.json"
  sleep 2 # let the outbox mark the last orders' claims paid (the order rows themselves are durable before each answer)
  # An accepted checkout whose payment timed out under load was answered 202 and left PaymentPending (stock held); the
  # ordering-payment-retry job (every minute) pays it. Wait for it - up to 90 s - before requiring every order paid.
  local skus pending waited=0 first
  skus="$(jq -r '[.rounds[].sku | "'"'"'\(.)'"'"'"] | join(",")' <<<"$out")"
  pending_orders() { sqlite3 "$WORK/bench.db" "SELECT COUNT(DISTINCT o.Id) FROM ordering_Orders o JOIN ordering_OrderLines l ON l.OrderId = o.Id WHERE l.Sku IN ($skus) AND o.Status = 'PaymentPending';"; }
  first="$(pending_orders)"; pending=$first
  while ((pending > 0 && waited < 180)); do sleep 0.5; waited=$((waited + 1)); pending="$(pending_orders)"; done
  if ((first > 0)); then echo "  $first accepted order(s) answered 202 (payment pending) at the end of the storm; $pending still pending after $((waited / 2)) s of the retry job" | tee -a "$RESULTS"; fi
  local bad=0
  while read -r sku sold remaining accepted; do
    check_round "$sku" "$sold" "$remaining" "$accepted" "$STORM_ALLOCATION" 2 1 || bad=1
  done < <(jq -r '.rounds[] | "\(.sku) \(.saleSold) \(.saleRemaining) \(.accepted)"' <<<"$out")
  jq -r '.rounds[] | "  round \(.round): \(.attempts) checkouts in \(.seconds) s, accepted \(.accepted) (\(.acceptedPerSecond)/s, p50 \(.acceptedP50Ms) ms, p99 \(.acceptedP99Ms) ms), rejected \(.rejectedPerSecond)/s (p50 \(.rejectedP50Ms) ms, p99 \(.rejectedP99Ms) ms) \(.outcomes | tostring)"' <<<"$out" | tee -a "$RESULTS"
  if ((bad)); then STORM_FAILED=1; else echo "  zero oversell in all $STORM_ROUNDS round(s): paid orders = units sold = allocation - remaining, no customer above the cap" | tee -a "$RESULTS"; fi
  # Issue 8 asks for accepted checkouts per second held for 60 s. A round above sells 100 units, so its accepted/s is
  # bounded by the round, not by the server. The sustained round offers as many units as checkouts (each customer's
  # checkouts all allowed by the cap): every attempt may be accepted, and the rate is what the server itself accepts.
  local sustained allocation=$((SUSTAINED_CUSTOMERS * SUSTAINED_ATTEMPTS))
  sustained="$(taskset -c 1 dotnet "$WORK/storm/FlashStorm.dll" --base "$BASE" --password "Bench-Passw0rd!" --customers "$SUSTAINED_CUSTOMERS" \
    --attempts "$SUSTAINED_ATTEMPTS" --allocation "$allocation" --cap "$SUSTAINED_ATTEMPTS" --stock $((allocation * 3 / 2)) --rounds 1 --no-late)"
  echo "$sustained" >"$OUT/storm-sustained.json"
  sleep 2
  jq -r '.rounds[] | "  sustained: \(.attempts) checkouts for as many units in \(.seconds) s: accepted \(.accepted) = \(.acceptedPerSecond)/s (p50 \(.acceptedP50Ms) ms, p99 \(.acceptedP99Ms) ms) \(.outcomes | tostring)"' <<<"$sustained" | tee -a "$RESULTS"
  read -r sku sold remaining accepted < <(jq -r '.rounds[0] | "\(.sku) \(.saleSold) \(.saleRemaining) \(.accepted)"' <<<"$sustained")
  if check_round "$sku" "$sold" "$remaining" "$accepted" "$allocation" "$SUSTAINED_ATTEMPTS" 0; then
    echo "  sustained: zero oversell (units of paid and payment-pending orders = sold = allocation - remaining, no customer above the cap)" | tee -a "$RESULTS"
  else STORM_FAILED=1; fi
  echo "  rate-limit decision time during the storm (the limits are raised, not off: every attempt is still decided): $(limiter_p99 "")" | tee -a "$RESULTS"
  stop_app
}

# Feed ingest (SPEC M1, S2, U2) and stock webhooks (I2) through the real HTTP API into the SQLite file: a small and a
# large CSV as background jobs (rows/s and the server's peak memory during each: the large feed must stay flat), the
# large one again (0 rows may change), JSON and XML streaming, small inline feeds' receipt, then signed webhooks at a
# fixed rate (ack latency from the intended send time; applied latency = processed - received, read from the database).
ingest_pass() {
  start_app "" --Partners:MaxFeedBytes=$((1024 * 1024 * 1024)) --Partners:StorageFolder="$WORK/feeds" --Email:PickupFolder="$WORK/mail"
  echo "==> feed ingest: $INGEST_SMALL and $INGEST_ROWS CSV rows, $INGEST_STRUCTURED JSON/XML rows; webhooks at $WEBHOOK_RATE/s for ${WEBHOOK_SECONDS}s" | tee -a "$RESULTS"
  local out; out="$(taskset -c 1 dotnet "$WORK/ingest/Ingest.dll" --base "$BASE" --password "Bench-Passw0rd!" --pid "$APP_PID" --work "$WORK" \
    --rows "$INGEST_ROWS" --small-rows "$INGEST_SMALL" --structured-rows "$INGEST_STRUCTURED" --webhook-rate "$WEBHOOK_RATE" --webhook-seconds "$WEBHOOK_SECONDS")" \
    || { echo "ingest client failed"; tail -20 "$WORK/app.log"; INGEST_FAILED=1; stop_app; return; }
  echo "$out" >"$OUT/ingest.jsonl"
  jq -r 'select(.rowsPerSecond) | "  \(.case): \(.rows) rows (\(.fileMb) MB) \(.status) in \(.seconds) s = \(.rowsPerSecond) rows/s; created \(.created), updated \(.updated), unchanged \(.unchanged), rejected \(.rejected); receipt \(.receiptMs) ms; server peak RSS \(.peakRssMb) MB, heap after GC \(.peakHeapMb) MB"' <<<"$out" | tee -a "$RESULTS"
  jq -r 'select(.case == "memory") | "  memory: peak RSS \(.smallPeakMb) MB for \(.smallRows) rows, \(.largePeakMb) MB for \(.largeRows) rows: growth \(.growthMb) MB; managed heap after GC \(.smallHeapMb) -> \(.largeHeapMb) MB: growth \(.heapGrowthMb) MB"' <<<"$out" | tee -a "$RESULTS"
  jq -r 'select(.case == "inline-receipt") | "  inline feeds (\(.rowsEach) rows, answered with the report): p50 \(.p50Ms) ms, p99 \(.p99Ms) ms over \(.uploads)"' <<<"$out" | tee -a "$RESULTS"
  jq -r 'select(.case == "webhooks") | "  webhooks: \(.deliveries) (the first \(.warmupDeliveries) untimed) at \(.achievedRate)/s (target \(.targetRate)): ack p50 \(.ackP50Ms) ms, p99 \(.ackP99Ms) ms, p99.9 \(.ackP999Ms) ms; statuses \(.statuses | tostring)"' <<<"$out" | tee -a "$RESULTS"
  local run total; run="$(jq -r 'select(.case == "webhooks") | .runId' <<<"$out")"; total="$(jq -r 'select(.case == "webhooks") | .deliveries' <<<"$out")"
  local pending=1 # applied in the background: wait up to 5 minutes for the last one
  for _ in $(seq 1 1500); do
    pending="$(sqlite3 "$WORK/bench.db" "SELECT COUNT(*) FROM partners_WebhookDeliveries WHERE DeliveryId LIKE 'bench-$run-%' AND ProcessedAt IS NULL;")"
    [[ $pending == 0 ]] && break; sleep 0.2
  done
  local applied; applied="$(sqlite3 "$WORK/bench.db" "SELECT (ProcessedAt - ReceivedAt) / 10000.0 FROM partners_WebhookDeliveries WHERE DeliveryId LIKE 'bench-$run-%' AND ProcessedAt IS NOT NULL;" \
    | sort -g | awk '{a[NR]=$1} function rank(p,  i) {i=int(NR*p); if (i < NR*p) i++; return (i < 1 ? 1 : i)} END {if (NR) printf "%d applied: p50 %.0f ms, p99 %.0f ms, max %.0f ms", NR, a[rank(0.5)], a[rank(0.99)], a[NR]; else print "0 applied"}')"
  echo "  webhooks applied (processed - received): $applied; still pending: $pending" | tee -a "$RESULTS"
  # Correctness, whatever the speed: every job completed with every row; the repeat changed nothing; every webhook 202 and applied.
  jq -e -s --argjson total "$total" '
    ([.[] | select(.rowsPerSecond) | .status == "Completed" and .rejected == 0] | all)
    and ([.[] | select(.case == "csv-again") | .created == 0 and .updated == 0 and .unchanged == .rows] | all)
    and ([.[] | select(.case == "csv" or .case == "json" or .case == "xml") | .created + .updated + .unchanged == .rows] | all)
    and ([.[] | select(.case == "webhooks") | .statuses == {"202": $total}] | all)' <<<"$out" >/dev/null && [[ $pending == 0 ]] \
    || { echo "  ingest/webhook correctness: FAIL"; INGEST_FAILED=1; }
  stop_app
}

STORM_FAILED=0
INGEST_FAILED=0
for tool in jq sqlite3; do command -v "$tool" >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$tool" >/dev/null; }; done
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r); $(date -u +%F)" | tee -a "$RESULTS"
ONLY="${BENCH_ONLY:-}" # comma-separated groups: http, storm, ingest (empty: everything)
wanted() { [[ -z $ONLY || ",$ONLY," == *",$1,"* ]]; }
if wanted http; then
  run_pass "SQLite, in-process cache"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --pidfile "$REDIS_PID_FILE" --dir "$WORK" >/dev/null
  for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
  run_pass "SQLite + Redis" "127.0.0.1:$REDIS_PORT"
fi
if wanted storm; then storm_pass; fi
if wanted ingest; then ingest_pass; fi

if [[ $MODE == --smoke ]]; then
  # The smoke run checks the harness, not the numbers: every case produced a positive rate and no errors (the open-loop
  # lines only exist when the http group ran).
  if awk -F'|' 'NF > 6 && $2 !~ /case|---/ { if ($3+0 <= 0 || $6+0 != 0) bad=1 } END { exit bad }' "$RESULTS" \
     && ! grep -q '"ok":0' "$RESULTS" && { ! wanted http || grep -q '"errors":0' "$RESULTS"; } && ((STORM_FAILED == 0)) && ((INGEST_FAILED == 0)); then
    echo "bench smoke: PASS"
  else
    echo "bench smoke: FAIL"; cat "$RESULTS"; exit 1
  fi
fi

if ((STORM_FAILED)); then echo "flash storm / rate limit: FAIL"; exit 1; fi
if ((INGEST_FAILED)); then echo "feed ingest / webhooks: FAIL"; exit 1; fi
