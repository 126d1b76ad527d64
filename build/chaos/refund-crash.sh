#!/usr/bin/env bash
# Scenario (f): kill -9 of the app while return refunds are pending at a payment provider that is down (SPEC R2, A3).
#   stage:   N customers (CHAOS_REFUND_CUSTOMERS, default 12) each buy one unit and pay by card; the warehouse ships and
#            delivers every order; each customer files a return (REFUND preferred); support approves, the customer ships
#            it back, the warehouse receives and inspects it (NEW), support decides REFUND — all through the JSON APIs with
#            each team's bearer token. Then an admin ticks "Outage" on /admin/payments and finance processes every return:
#            Payments accepts each refund, the provider call fails, the refund stays Pending (and the return PROCESSING);
#   crash:   SIGKILL as soon as N refunds are Pending;
#   restart: the same SQLite file with the gateway healthy (the simulator's outage switch lives in memory); Payments'
#            pending-refund sweep and Returns' outcome sweep run every 5 s instead of every minute;
#   assert:  exactly one refund row per return, Succeeded, for the unit price paid; each payment's RefundedAmount equals
#            its refunds (never twice); every return COMPLETED with its refund outcome Succeeded; one
#            returns.refund-issued event per return; no refund left Pending.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
SCENARIO="refund-crash"
N="${CHAOS_REFUND_CUSTOMERS:-12}"
PARALLEL="${CHAOS_REFUND_PARALLEL:-4}"
SKU="HK-0008"
# The simulated provider lives in the app's process; a real one outlives the app. Payments:Simulator:StateFile keeps its
# charges and refunds on disk across the kill, as a real provider would.
SWEEPS=(--Payments:RefundSweepCron="*/5 * * * * *" --Returns:OutcomeSweepCron="*/5 * * * * *")
need_tools curl jq sqlite3
publish_app

DB="$WORK/refund.db"
SWEEPS+=(--Payments:Simulator:StateFile="$WORK/provider-state.jsonl")
PORT="$(port_of 3)"
start_app app "$PORT" "$DB" "${SWEEPS[@]}"
URL="${APP_URLS[app]}"
JAR="$WORK/admin.jar"
admin_sign_in "$URL" "$JAR"
set_stock "$URL" "$SKU" $((N + 50))
UNIT_PRICE="$(sql "$DB" "select Price from catalog_Products where Sku='$SKU'")"

SUPPORT_TOKEN="$(token_for "$URL" support@retail.local)"
WAREHOUSE_TOKEN="$(token_for "$URL" warehouse@retail.local)"
FINANCE_TOKEN="$(token_for "$URL" finance@retail.local)"
export URL SKU SUPPORT_TOKEN WAREHOUSE_TOKEN

# call METHOD PATH TOKEN [JSON] -> body on stdout; fails (exit 1, message on stderr) on a non-2xx answer
call() {
  local method="$1" path="$2" token="$3" body="${4:-}" out code
  out="$(mktemp)"
  code="$(curl -s -o "$out" -w '%{http_code}' --max-time 60 -X "$method" "$URL$path" -H "Authorization: Bearer $token" \
    ${body:+-H 'Content-Type: application/json' -d "$body"})" || code=000
  if [[ $code != 2* ]]; then echo "$method $path answered $code: $(head -c 300 "$out")" >&2; rm -f "$out"; return 1; fi
  cat "$out"; rm -f "$out"
}

# one customer from checkout to a return waiting for finance (DISPOSITION); prints the return code
prepare_return() {
  set -euo pipefail
  local n="$1" token order code line i
  token="$(register_one "$URL" "refund-$n-$RANDOM$RANDOM@chaos.test")"
  order="$(curl -s --max-time 60 -X POST "$URL/api/checkout" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -H "Idempotency-Key: refund-$n-$RANDOM$RANDOM" -d "$(checkout_body "$SKU")" | jq -r '.order.id // empty')"
  [[ -n $order ]] || { echo "customer $n: no paid order" >&2; return 1; }
  call POST "/api/orders/$order/ship" "$WAREHOUSE_TOKEN" >/dev/null
  call POST "/api/orders/$order/deliver" "$WAREHOUSE_TOKEN" >/dev/null
  for i in $(seq 1 120); do   # Returns hears of payment and delivery through the outbox
    [[ $(curl -s "$URL/api/returns/eligibility/$order" -H "Authorization: Bearer $token" | jq -r '.eligible // false') == true ]] && break
    sleep 0.5
  done
  code="$(call POST /api/returns "$token" "{\"orderId\":\"$order\",\"items\":[{\"sku\":\"$SKU\",\"quantity\":1}],\"reason\":\"DEFECTIVE\",\"preferredOutcome\":\"REFUND\"}" | jq -r .code)"
  call POST "/api/staff/returns/$code/approve" "$SUPPORT_TOKEN" '{}' >/dev/null
  call POST "/api/returns/$code/ship" "$token" '{"trackingNumber":"1Z999AA10123456784"}' >/dev/null
  call POST "/api/staff/returns/$code/receive" "$WAREHOUSE_TOKEN" '{}' >/dev/null
  call POST "/api/staff/returns/$code/start-inspection" "$WAREHOUSE_TOKEN" '{}' >/dev/null
  call POST "/api/staff/returns/$code/inspect" "$WAREHOUSE_TOKEN" '{"grade":"NEW","mismatch":"NONE","notes":"chaos"}' >/dev/null
  line="$(call GET "/api/staff/returns/$code" "$SUPPORT_TOKEN" | jq -r '.lines[0].id')"
  call POST "/api/staff/returns/$code/decide" "$SUPPORT_TOKEN" "{\"dispositions\":[{\"lineId\":\"$line\",\"disposition\":\"REFUND\"}]}" >/dev/null
  echo "$code"
}
export -f call prepare_return

log "preparing $N returns up to the refund ($PARALLEL at a time)"
seq 1 "$N" | xargs -P "$PARALLEL" -I{} bash -c 'prepare_return {}' >"$WORK/codes" 2>"$WORK/prepare.err" || true
prepared=$(grep -c '^RMA-' "$WORK/codes" || true)
((prepared == N)) || { result FAIL "$SCENARIO" "only $prepared of $N returns reached DISPOSITION: $(head -3 "$WORK/prepare.err" | tr '\n' ' ')"; exit 1; }
log "$prepared returns in DISPOSITION"

# The provider goes down, then finance processes every return: each refund is accepted and stays Pending.
set_outage "$URL" "$JAR" true
processed=0
while read -r code; do
  call POST "/api/staff/returns/$code/process" "$FINANCE_TOKEN" '{}' >/dev/null && processed=$((processed + 1))
done <"$WORK/codes"
log "finance processed $processed returns during the outage"
kill9_when app "$DB" "select count(*) >= $N from payments_Refunds where Status='Pending'"
pending_at_kill="$(sql "$DB" "select count(*) from payments_Refunds where Status='Pending'")"
succeeded_at_kill="$(sql "$DB" "select count(*) from payments_Refunds where Status='Succeeded'")"
processing_at_kill="$(sql "$DB" "select count(*) from returns_Returns where upper(Status)='PROCESSING'")"
log "killed with $pending_at_kill refunds Pending ($succeeded_at_kill succeeded), $processing_at_kill returns PROCESSING"

# Restart, gateway healthy; settled = no refund Pending and no return short of COMPLETED.
SETTLED="select (select count(*) from payments_Refunds where Status='Pending')
              + (select count(*) from returns_Returns where upper(Status) <> 'COMPLETED')"
restart_and_settle app "$PORT" "$DB" "$SETTLED" 120 "${SWEEPS[@]}" || true
settle_s="$SETTLE_S"

returns="$(sql "$DB" "select count(*) from returns_Returns")"
completed="$(sql "$DB" "select count(*) from returns_Returns where upper(Status)='COMPLETED'")"
refunds="$(sql "$DB" "select count(*) from payments_Refunds")"
refunds_ok="$(sql "$DB" "select count(*) from payments_Refunds where Status='Succeeded'")"
refunds_pending="$(sql "$DB" "select count(*) from payments_Refunds where Status='Pending'")"
refunded_twice="$(sql "$DB" "select count(*) from (select OrderId from payments_Refunds group by OrderId having count(*) > 1)")"
returns_without_refund="$(sql "$DB" "select count(*) from returns_Returns r where not exists (select 1 from payments_Refunds f where f.OrderId = r.OrderId)")"
wrong_amount="$(sql "$DB" "select count(*) from payments_Refunds where Amount <> $UNIT_PRICE")"
over_refunded="$(sql "$DB" "select count(*) from payments_Payments p where p.RefundedAmount <> (select coalesce(sum(Amount),0) from payments_Refunds f where f.PaymentId = p.Id and f.Status='Succeeded') or p.RefundedAmount > p.Amount")"
refunded_total="$(sql "$DB" "select coalesce(sum(RefundedAmount),0) from payments_Payments")"
outcomes_open="$(sql "$DB" "select count(*) from returns_ReturnOutcomes where upper(Status) <> 'SUCCEEDED'")"
refused="$(sql "$DB" "select count(*) from payments_Refunds where Status='Failed'")"
refused_why="$(sql "$DB" "select group_concat(LastError || ' x' || n, ', ') from (select LastError, count(*) n from payments_Refunds where Status='Failed' group by LastError)")"
issued_events="$(sql "$DB" "select count(*) from returns_OutboxMessages where Type='returns.refund-issued.v1'")"

figure="$N returns processed during the outage; killed with $pending_at_kill refunds Pending ($processing_at_kill returns PROCESSING); settled ${settle_s}s after the restart: returns $completed/$returns COMPLETED, refunds $refunds ($refunds_ok Succeeded, $refunds_pending Pending, $refused refused by the provider${refused_why:+: $refused_why}), orders refunded twice $refunded_twice, returns without a refund $returns_without_refund, refunds not the unit price ($UNIT_PRICE minor units) $wrong_amount, payments whose RefundedAmount differs from their refunds $over_refunded, refunded total $refunded_total, open outcomes $outcomes_open, refund-issued events $issued_events"
if ((pending_at_kill == N && returns == N && completed == N && refunds == N && refunds_ok == N && refunds_pending == 0 && refunded_twice == 0 \
     && returns_without_refund == 0 && wrong_amount == 0 && over_refunded == 0 && refunded_total == N * UNIT_PRICE && outcomes_open == 0 && issued_events == N)); then
  result PASS "$SCENARIO" "$figure"
else
  result FAIL "$SCENARIO" "$figure"; tail -20 "$WORK/app.log" | cut -c1-300; exit 1
fi
