#!/usr/bin/env bash
# Scenario (d): two app instances sharing one Redis and one database (SPEC A1 "the limit holds across all app
# instances together", P2 "never oversold").
#   The database is one SQLite file opened by both processes. SQLite serialises writers across processes with file
#   locks (each instance waits on the busy timeout), which is correct but slower than SQL Server: the deployment with
#   several instances is SQL Server (docker-compose --scale app=2); this scenario proves the invariants, which live in
#   the SQL (conditional UPDATE ... WHERE Stock >= n) and in Redis, not in either process.
#   stage:   instance A seeds the file; instance B opens it without seeding; both use the same Redis (rate limits, cache
#            second level, Data Protection key ring, so a bearer token from A works on B);
#   assert:  one user alternating A, B, A, B, A, B: 201 x5 then 429 (the window is shared);
#            M customers (default 100) buy one unit each of a product with S units (default 25), half through A and half
#            through B at once: exactly S orders accepted, the rest "out of stock" (409), no 5xx, stock 0 (never negative),
#            Paid orders = units sold = S = units reserved.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
SCENARIO="two-instances"
M="${CHAOS_TWO_CUSTOMERS:-100}"
S="${CHAOS_TWO_STOCK:-25}"
PARALLEL="${CHAOS_TWO_PARALLEL:-16}"
SKU="BK-0002"
need_tools curl jq sqlite3 redis-server redis-cli
publish_app

start_redis
DB="$WORK/shared.db"
start_app a "$(port_of 3)" "$DB" --ConnectionStrings:Redis="$(redis_cs)"
start_app b "$(port_of 4)" "$DB" --ConnectionStrings:Redis="$(redis_cs)" --Seed:Demo=false
A="${APP_URLS[a]}"; B="${APP_URLS[b]}"

# --- the rate limit is global ---------------------------------------------------------------------
set_stock "$A" HK-0008 100
token="$(register_customers "$A" 1 twolimit)"
limit=()
for url in "$A" "$B" "$A" "$B" "$A" "$B"; do limit+=("$(checkout "$url" "$token" HK-0008)"); done
limit_seen="$(IFS=,; echo "${limit[*]}")"
log "one user alternating A,B x3: $limit_seen"

# --- stock is never oversold ------------------------------------------------------------------------
log "registering $M customers"
register_customers "$A" "$M" twostock >"$WORK/tokens"
set_stock "$A" "$SKU" "$S"
head -n $((M / 2)) "$WORK/tokens" >"$WORK/tokens.a"
tail -n +$((M / 2 + 1)) "$WORK/tokens" >"$WORK/tokens.b"
started=$(date +%s.%N)
checkout_burst "$A" "$WORK/tokens.a" "$SKU" $((PARALLEL / 2)) >"$WORK/statuses.a" &
burst_a=$!
checkout_burst "$B" "$WORK/tokens.b" "$SKU" $((PARALLEL / 2)) >"$WORK/statuses.b"
wait "$burst_a"
burst_s=$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e-s}')
cat "$WORK/statuses.a" "$WORK/statuses.b" >"$WORK/statuses"
ok=$(count 201 "$WORK/statuses"); sold_out=$(count 409 "$WORK/statuses")
ok_a=$(count 201 "$WORK/statuses.a"); ok_b=$(count 201 "$WORK/statuses.b")
server_errors=$(grep -c '^5\|^000' "$WORK/statuses" || true)
mix="$(sort "$WORK/statuses" | uniq -c | tr -s ' \n' ' ')"

stock="$(sql "$DB" "select Stock from catalog_Products where Sku='$SKU'")"
paid="$(sql "$DB" "select count(*) from ordering_Orders o join ordering_OrderLines l on l.OrderId = o.Id where l.Sku='$SKU' and o.Status='Paid'")"
reserved="$(sql "$DB" "select coalesce(sum(Quantity),0) from catalog_StockReservations where Sku='$SKU' and ReleasedAt is null")"
negative="$(sql "$DB" "select count(*) from catalog_Products where Stock < 0")"

figure="alternating A,B: $limit_seen; burst of $M on $S units in ${burst_s}s: accepted $ok (A $ok_a, B $ok_b), sold out $sold_out, 5xx/no answer $server_errors [$mix]; stock left $stock, paid orders $paid, units reserved $reserved, products below zero $negative"
if [[ $limit_seen == "201,201,201,201,201,429" ]] && ((ok == S && sold_out == M - S && server_errors == 0 && stock == 0 && paid == S && reserved == S && negative == 0)); then
  result PASS "$SCENARIO" "$figure"
else
  result FAIL "$SCENARIO" "$figure"; tail -10 "$WORK/a.log" | cut -c1-300; tail -10 "$WORK/b.log" | cut -c1-300; exit 1
fi
