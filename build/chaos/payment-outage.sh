#!/usr/bin/env bash
# Scenario (a): the payment provider goes down during a checkout burst (SPEC A2/A3).
#   stage:   an admin ticks "Outage" on /admin/payments (the simulated gateway fails every call), then N customers
#            check out at once (CHAOS_OUTAGE_CUSTOMERS, default 200, CHAOS_OUTAGE_PARALLEL at a time, default 32);
#   recover: the admin unticks "Outage"; after the breaker's 30 s break the payment-retry job pays the pending orders.
#   assert:  >= 99% of the submitted orders accepted (201 Paid or 202 PaymentPending); after recovery every accepted
#            order is Paid with exactly one succeeded payment and one order-paid event; stock went down by exactly the
#            units sold; MTTR (breaker first opened -> first successful payment) reported and under 5 minutes.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
SCENARIO="payment-outage"
N="${CHAOS_OUTAGE_CUSTOMERS:-200}"
PARALLEL="${CHAOS_OUTAGE_PARALLEL:-32}"
SKU="HK-0008"
need_tools curl jq sqlite3
publish_app

DB="$WORK/outage.db"
# The retry job runs every 5 s instead of every minute (production default) so the scenario stays short; the breaker
# keeps its production settings (opens after 3 failures, 30 s break, half-open probe).
start_app app "$(port_of 0)" "$DB" --Ordering:PaymentRetryCron="*/5 * * * * *"
URL="${APP_URLS[app]}"
JAR="$WORK/admin.jar"
admin_sign_in "$URL" "$JAR"

log "registering $N customers"
register_customers "$URL" "$N" outage >"$WORK/tokens"
[[ $(wc -l <"$WORK/tokens") == "$N" ]] || { result FAIL "$SCENARIO" "only $(wc -l <"$WORK/tokens") of $N customers registered"; exit 1; }
set_stock "$URL" "$SKU" $((N + 50))
stock_before="$(sql "$DB" "select Stock from catalog_Products where Sku='$SKU'")"

set_outage "$URL" "$JAR" true
started=$(date +%s.%N)
checkout_burst "$URL" "$WORK/tokens" "$SKU" "$PARALLEL" >"$WORK/statuses"
burst_s=$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e-s}')
paid_now=$(count 201 "$WORK/statuses"); pending=$(count 202 "$WORK/statuses")
accepted=$((paid_now + pending))
state_during="$(breaker_state "$URL" "$JAR")"
log "burst of $N in ${burst_s}s: 201=$paid_now 202=$pending other=$((N - accepted)) ($(sort "$WORK/statuses" | uniq -c | tr -s ' \n' ' ')); breaker $state_during"

set_outage "$URL" "$JAR" false
recovered_at=$(date +%s)
deadline=$((recovered_at + 110))
while :; do
  left="$(sql "$DB" "select count(*) from ordering_Orders where Status in ('Pending','PaymentPending')")"
  [[ $left == 0 ]] && break
  (($(date +%s) > deadline)) && break
  sleep 1
done
drain_s=$(($(date +%s) - recovered_at))
mttr="$(breaker_mttr "$URL" "$JAR")"

orders="$(sql "$DB" "select count(*) from ordering_Orders")"
paid="$(sql "$DB" "select count(*) from ordering_Orders where Status='Paid'")"
left="$(sql "$DB" "select count(*) from ordering_Orders where Status<>'Paid'")"
payments_ok="$(sql "$DB" "select count(*) from payments_Payments where Status='Succeeded'")"
orders_paid_twice="$(sql "$DB" "select count(*) from (select OrderId from payments_Payments where Status='Succeeded' group by OrderId having count(*) > 1)")"
paid_events="$(sql "$DB" "select count(*) from ordering_OutboxMessages where Type='ordering.order-paid.v1'")"
stock_after="$(sql "$DB" "select Stock from catalog_Products where Sku='$SKU'")"
sold=$((stock_before - stock_after))
mttr_s="$(sed -n 's/^\([0-9.]*\) s.*/\1/p' <<<"$mttr")"
acceptance="$(awk -v a="$accepted" -v n="$N" 'BEGIN {printf "%.2f", 100*a/n}')"

figure="accepted $accepted/$N (${acceptance}%, $pending queued as PaymentPending) in ${burst_s}s; breaker during outage: $state_during; all paid ${drain_s}s after recovery (orders=$orders paid=$paid not-paid=$left, succeeded payments=$payments_ok, paid twice=$orders_paid_twice, order-paid events=$paid_events, units sold=$sold); MTTR ${mttr_s:-n/a} s"
if awk -v a="$accepted" -v n="$N" 'BEGIN {exit !(a >= 0.99*n)}' && ((pending > 0)) && [[ $state_during == Open ]] \
   && ((orders == accepted && paid == accepted && left == 0 && payments_ok == paid && orders_paid_twice == 0 && paid_events == paid && sold == paid)) \
   && [[ -n $mttr_s ]] && awk -v m="$mttr_s" 'BEGIN {exit !(m < 300)}'; then
  result PASS "$SCENARIO" "$figure"
else
  result FAIL "$SCENARIO" "$figure"; tail -20 "$WORK/app.log" | cut -c1-300; exit 1
fi
