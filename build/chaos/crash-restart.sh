#!/usr/bin/env bash
# Scenario (c): kill -9 of the app while orders are PaymentPending during a payment outage.
#   stage:   the app starts with the gateway down (Payments:Simulator:Outage=true); N customers check out (default 120,
#            16 at a time); the server is killed with SIGKILL in the middle of the burst, so requests are in flight;
#   restart: the same SQLite file, the gateway up; the payment-retry job and the outbox relay pick up where it stopped;
#   assert:  every order the client saw accepted (201/202) exists; every order ends Paid or Cancelled exactly once;
#            each Paid order has exactly one succeeded payment and one order-paid event (no duplicates from the replay);
#            no payment is left Pending; stock went down by exactly the units of Paid orders (no reservation leaked by
#            a request cut off between reserving and writing its order: the ordering-interrupted-checkouts job releases
#            them, here after 10 s instead of 2 min); no checkout attempt left in progress; no outbox row left unprocessed.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
SCENARIO="crash-restart"
N="${CHAOS_CRASH_CUSTOMERS:-120}"
PARALLEL="${CHAOS_CRASH_PARALLEL:-16}"
SKU="HK-0008"
need_tools curl jq sqlite3
publish_app

DB="$WORK/crash.db"
PORT="$(port_of 1)"
start_app app "$PORT" "$DB" --Payments:Simulator:Outage=true --Ordering:PaymentRetryCron="*/5 * * * * *"
URL="${APP_URLS[app]}"
log "registering $N customers"
register_customers "$URL" "$N" crash >"$WORK/tokens"
set_stock "$URL" "$SKU" $((N + 50))
stock_before="$(sql "$DB" "select Stock from catalog_Products where Sku='$SKU'")"

# The burst in the background; SIGKILL once a third of the orders exist.
checkout_burst "$URL" "$WORK/tokens" "$SKU" "$PARALLEL" >"$WORK/statuses" &
BURST=$!
kill9_when app "$DB" "select count(*) >= $((N / 3)) from ordering_Orders"
killed_at_orders="$(sql "$DB" "select count(*) from ordering_Orders")"
wait "$BURST" || true
accepted=$(($(count 201 "$WORK/statuses") + $(count 202 "$WORK/statuses")))
cut_off=$(count 000 "$WORK/statuses")
pending_at_kill="$(sql "$DB" "select count(*) from ordering_Orders where Status in ('Pending','PaymentPending')")"
in_progress_at_kill="$(sql "$DB" "select count(*) from ordering_IdempotencyRecords where CompletedAt is null")"
log "killed with $killed_at_orders orders ($pending_at_kill pending); client saw $accepted accepted, $cut_off cut off ($(sort "$WORK/statuses" | uniq -c | tr -s ' \n' ' '))"

# Restart with the gateway up; settled = no pending order, no pending payment, no checkout attempt in progress (nor
# marked interrupted and not yet released), no unprocessed outbox row.
SETTLED="select (select count(*) from ordering_Orders where Status in ('Pending','PaymentPending'))
              + (select count(*) from ordering_IdempotencyRecords where CompletedAt is null)
              + (select count(*) from payments_Payments where Status='Pending')
              + (select count(*) from ordering_OutboxMessages where ProcessedAt is null)
              + (select count(*) from catalog_OutboxMessages where ProcessedAt is null)
              + (select count(*) from payments_OutboxMessages where ProcessedAt is null)"
restart_and_settle app "$PORT" "$DB" "$SETTLED" 90 \
  --Ordering:InterruptedCheckoutAfter=00:00:10 --Ordering:InterruptedCheckoutCron="*/5 * * * * *" || true
settle_s="$SETTLE_S"

orders="$(sql "$DB" "select count(*) from ordering_Orders")"
paid="$(sql "$DB" "select count(*) from ordering_Orders where Status='Paid'")"
cancelled="$(sql "$DB" "select count(*) from ordering_Orders where Status='Cancelled'")"
unfinished="$(sql "$DB" "select count(*) from ordering_Orders where Status not in ('Paid','Cancelled')")"
payments_ok="$(sql "$DB" "select count(*) from payments_Payments where Status='Succeeded'")"
payments_pending="$(sql "$DB" "select count(*) from payments_Payments where Status='Pending'")"
paid_twice="$(sql "$DB" "select count(*) from (select OrderId from payments_Payments where Status='Succeeded' group by OrderId having count(*) > 1)")"
paid_events="$(sql "$DB" "select count(*) from ordering_OutboxMessages where Type='ordering.order-paid.v1'")"
placed_events="$(sql "$DB" "select count(*) from ordering_OutboxMessages where Type='ordering.order-placed.v1'")"
outbox_left="$(sql "$DB" "select (select count(*) from ordering_OutboxMessages where ProcessedAt is null) + (select count(*) from payments_OutboxMessages where ProcessedAt is null) + (select count(*) from catalog_OutboxMessages where ProcessedAt is null)")"
attempts_left="$(sql "$DB" "select count(*) from ordering_IdempotencyRecords where CompletedAt is null")"
orphan_reservations="$(sql "$DB" "select count(*) from catalog_StockReservations r where r.ReleasedAt is null and not exists (select 1 from ordering_Orders o where o.Id = r.OrderId)")"
held_units="$(sql "$DB" "select coalesce(sum(Quantity),0) from catalog_StockReservations where Sku='$SKU' and ReleasedAt is null")"
stock_after="$(sql "$DB" "select Stock from catalog_Products where Sku='$SKU'")"
sold=$((stock_before - stock_after))

figure="killed at $killed_at_orders orders ($pending_at_kill PaymentPending), client saw $accepted accepted + $cut_off cut off; settled ${settle_s}s after the restart: orders=$orders paid=$paid cancelled=$cancelled unfinished=$unfinished, succeeded payments=$payments_ok pending payments=$payments_pending paid twice=$paid_twice, order-placed events=$placed_events order-paid events=$paid_events unprocessed outbox=$outbox_left, units sold=$sold held=$held_units orphan reservations=$orphan_reservations, attempts in progress at the kill $in_progress_at_kill (left $attempts_left)"
if ((orders >= accepted && unfinished == 0 && paid + cancelled == orders && payments_ok == paid && payments_pending == 0 && paid_twice == 0 \
     && paid_events == paid && placed_events == orders && outbox_left == 0 && orphan_reservations == 0 && attempts_left == 0 && sold == paid && held_units == paid && pending_at_kill > 0)); then
  result PASS "$SCENARIO" "$figure"
else
  result FAIL "$SCENARIO" "$figure"; tail -20 "$WORK/app.log" | cut -c1-300; exit 1
fi
