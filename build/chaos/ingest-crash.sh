#!/usr/bin/env bash
# Scenario (e): kill -9 of the app in the middle of a large partner feed ingest (SPEC I1, issue 8).
#   stage:   a catalog admin creates a partner and a live API key through the back-office pages (/admin/partners, as a
#            browser would: cookie + antiforgery); the partner POSTs a CSV of N unique, valid rows (CHAOS_INGEST_ROWS,
#            default 60,000: 33 s at 1,800 rows/s) to /api/partners/feeds, which answers 202 with a background job; as soon as the job row
#            shows between CHAOS_INGEST_KILL_MIN (10) and CHAOS_INGEST_KILL_MAX (90) percent progress, SIGKILL;
#   restart: the same SQLite file and feed folder; the app re-queues the unfinished job at start and it continues after
#            its last committed batch;
#   assert:  the job Completed (over the API and in its row), exactly one job row for the partner, the job's created count
#            = N with 0 rejected, the catalog holds exactly N products of the partner, no SKU twice, each
#            product in exactly one catalog.product-batch-changed event; re-sending the same bytes is an idempotent replay of that job.
# The kill point is relative (progress %), so the scenario keeps working when the ingest gets faster; N should make
# the job last 20 s or more at the current speed so that the window between 10% and 90% is wide.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
SCENARIO="ingest-crash"
N="${CHAOS_INGEST_ROWS:-60000}"
KILL_MIN="${CHAOS_INGEST_KILL_MIN:-10}"
KILL_MAX="${CHAOS_INGEST_KILL_MAX:-90}"
SETTLE_TIMEOUT="${CHAOS_INGEST_SETTLE_S:-600}"
need_tools curl jq sqlite3
publish_app

DB="$WORK/ingest.db"
PORT="$(port_of 2)"
FEEDS="$WORK/feeds"
start_app app "$PORT" "$DB" --Partners:StorageFolder="$FEEDS"
URL="${APP_URLS[app]}"

# --- a partner and a live key, through the back-office pages --------------------------------------
JAR="$WORK/catalog.jar"
admin_sign_in "$URL" "$JAR" catalog@retail.local
form_token() { sed -n 's/.*name="__RequestVerificationToken" type="hidden" value="\([^"]*\)".*/\1/p' | head -1; }
token="$(curl -s -c "$JAR" -b "$JAR" "$URL/admin/partners" | form_token)"
partner_page="$(curl -s -o /dev/null -w '%{redirect_url}' -c "$JAR" -b "$JAR" -X POST "$URL/admin/partners" \
  --data-urlencode "Input.Name=Chaos ingest partner $RANDOM" --data-urlencode "Input.ContactEmail=chaos-ingest@partner.example" \
  --data-urlencode "__RequestVerificationToken=$token")"
PARTNER_ID="${partner_page##*/}"
[[ $PARTNER_ID =~ ^[0-9a-f-]{36}$ ]] || { result FAIL "$SCENARIO" "creating the partner did not redirect to its page ($partner_page)"; exit 1; }
token="$(curl -s -c "$JAR" -b "$JAR" "$partner_page" | form_token)"
KEY="$(curl -s -c "$JAR" -b "$JAR" -X POST "$partner_page?handler=CreateKey" --data-urlencode "Key.Name=chaos live key" \
  --data-urlencode "__RequestVerificationToken=$token" | sed -n 's/.*id="new-key-value">\([^<]*\)<.*/\1/p' | head -1)"
[[ $KEY == rk_live_* ]] || { result FAIL "$SCENARIO" "no live key shown after creating one"; exit 1; }
PARTNER_KEY="$(tr -d '-' <<<"$PARTNER_ID")"   # Catalog stores the partner as 32 hex digits (Guid "N")
log "partner $PARTNER_ID with key ${KEY%%.*}"

# --- the feed: N unique valid rows -------------------------------------------------------------------
CSV="$WORK/feed.csv"
awk -v n="$N" 'BEGIN {
  print "sku,name,description,category,price,currency,stock,brand,gtin,image_url"
  for (i = 1; i <= n; i++)
    printf "CHAOS-%07d,Chaos product %d,A product of the kill -9 ingest scenario number %d,Home & Kitchen,%d.99,USD,%d,Acme,,https://cdn.example.com/%d.jpg\n", i, i, i, 10 + i % 90, i % 50, i
}' >"$CSV"
log "feed: $N rows, $(($(stat -c %s "$CSV") / 1024)) KB"

submit() { # submit -> "<http status> <job id>"
  curl -s -o "$WORK/receipt.json" -w '%{http_code}' -X POST "$URL/api/partners/feeds" -H "X-Api-Key: $KEY" \
    -H 'Content-Type: text/csv' -H 'X-File-Name: chaos-feed.csv' --data-binary "@$CSV"
  echo " $(jq -r '.id // empty' "$WORK/receipt.json" 2>/dev/null)"
}
read -r code JOB_ID < <(submit)
[[ $code == 202 && $JOB_ID =~ ^[0-9a-f-]{36}$ ]] || { result FAIL "$SCENARIO" "the feed answered $code, not 202 with a job ($(head -c 300 "$WORK/receipt.json"))"; exit 1; }
submitted_at=$(date +%s.%N)
log "job $JOB_ID accepted (202)"

JOB_WHERE="from partners_FeedJobs where (Id = upper('$JOB_ID') or Id = lower('$JOB_ID'))"
# --- SIGKILL between KILL_MIN% and KILL_MAX% ----------------------------------------------------------
# The job row changes only when a batch is checkpointed. Killing right after a checkpoint would always hit the quiet
# moment between batches, so the kill waits a random 0 to CHAOS_INGEST_JITTER_MS (default 2000) more milliseconds and
# lands anywhere inside a batch: while rows are parsed, while Catalog commits them, or between Catalog's commit and the
# job's checkpoint. A job that jumps over the whole window (a far faster ingest) is a FAIL with its figure.
JITTER_MS=$((RANDOM % (${CHAOS_INGEST_JITTER_MS:-2000} + 1)))
deadline=$(($(date +%s) + SETTLE_TIMEOUT))
until (($(sql "$DB" "select count(*) $JOB_WHERE and Percent >= $KILL_MIN and Status in (1, 2)" 2>/dev/null || echo 0) > 0)); do
  (($(date +%s) > deadline)) && { result FAIL "$SCENARIO" "the job never reached ${KILL_MIN}%"; exit 1; }
  sleep 0.05
done
if [[ ${CHAOS_INGEST_KILL_IN_GAP:-0} == 1 ]]; then
  # Probe the gap on purpose: kill the moment Catalog holds more of the partner's products than the job has checkpointed
  # (a batch committed by Catalog, its checkpoint not yet written by Partners).
  JITTER_MS=gap
  gap_sql="select (select count(*) from catalog_Products where PartnerId = '$PARTNER_KEY') > (select RowsCommitted $JOB_WHERE)"
  until [[ $(sql "$DB" "$gap_sql" 2>/dev/null) == 1 ]]; do
    (($(date +%s) > deadline)) && { result FAIL "$SCENARIO" "never saw Catalog ahead of the checkpoint"; exit 1; }
  done
else
  sleep "$(awk -v ms="$JITTER_MS" 'BEGIN {printf "%.3f", ms / 1000}')"
fi
stop_app app KILL
log "app killed with SIGKILL (${JITTER_MS} ms after the job row first showed ${KILL_MIN}%; gap = killed between Catalog's commit and the checkpoint)"
killed_s=$(awk -v s="$submitted_at" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e-s}')
IFS='|' read -r killed_pct killed_rows killed_status < <(sql "$DB" "select Percent, RowsCommitted, Status $JOB_WHERE")
products_at_kill="$(sql "$DB" "select count(*) from catalog_Products where PartnerId = '$PARTNER_KEY'")"
log "killed at ${killed_pct}% ($killed_rows rows checkpointed, $products_at_kill products in the catalog, status $killed_status) ${killed_s}s after the 202"

# --- restart on the same file; settled = the job finished ---------------------------------------------
# A watcher notes when the resumed job checkpoints its first new batch (app start-up included).
restarted_at=$(date +%s.%N)
( while (($(sql "$DB" "select count(*) $JOB_WHERE and (RowsCommitted > $killed_rows or Status not in (0, 1, 2))" 2>/dev/null || echo 0) == 0)); do sleep 0.1; done
  awk -v s="$restarted_at" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e-s}' >"$WORK/resumed" ) &
WATCHER=$!
restart_and_settle app "$PORT" "$DB" "select count(*) $JOB_WHERE and Status in (0, 1, 2)" "$SETTLE_TIMEOUT" \
  --Partners:StorageFolder="$FEEDS" || true
settle_s="$SETTLE_S"
sleep 0.3; kill "$WATCHER" 2>/dev/null || true; wait "$WATCHER" 2>/dev/null || true
resumed_s="$(cat "$WORK/resumed" 2>/dev/null || echo n/a)"

# --- assertions ---------------------------------------------------------------------------------------
api_status="$(curl -s "$URL/api/partners/jobs/$JOB_ID" -H "X-Api-Key: $KEY" | jq -r '.status // "none"')"
IFS='|' read -r status created updated unchanged rejected rows_read attempts < <(sql "$DB" "select Status, Created, Updated, Unchanged, Rejected, RowsRead, Attempts $JOB_WHERE")
jobs="$(sql "$DB" "select count(*) from partners_FeedJobs where PartnerId = (select PartnerId $JOB_WHERE)")"
products="$(sql "$DB" "select count(*) from catalog_Products where PartnerId = '$PARTNER_KEY'")"
feed_products="$(sql "$DB" "select count(*) from catalog_Products where Sku like 'CHAOS-%'")"
duplicate_skus="$(sql "$DB" "select count(*) from (select Sku from catalog_Products group by Sku having count(*) > 1)")"
upsert_events="$(sql "$DB" "select coalesce(sum(json_array_length(Payload, '\$.products')), 0) from catalog_OutboxMessages where Type = 'catalog.product-batch-changed.v1' and Payload like '%CHAOS-%'")"
row_errors="$(sql "$DB" "select count(*) from partners_FeedRowErrors where JobId = (select Id $JOB_WHERE)")"
read -r replay_code replay_id < <(submit)

figure="killed at ${killed_pct}% (+${JITTER_MS} ms) ($killed_rows of $N rows checkpointed, $products_at_kill products) ${killed_s}s after the 202; first new batch ${resumed_s}s after the restart, completed ${settle_s}s after it (attempts $attempts): status $api_status, $products products of the partner (feed SKUs $feed_products), created $created updated $updated unchanged $unchanged rejected $rejected of $rows_read rows, $jobs job row(s), $duplicate_skus duplicate SKUs, $row_errors row errors, $upsert_events products in batch events; same bytes again: $replay_code (job ${replay_id:0:8})"
if [[ $status == 4 && $api_status == Completed ]] && ((killed_pct >= KILL_MIN && killed_pct <= KILL_MAX)) \
   && ((products == N && feed_products == N && created == N && rejected == 0 && rows_read == N && jobs == 1 && duplicate_skus == 0 && row_errors == 0 && upsert_events == N)) \
   && [[ $replay_code == 200 && $replay_id == "$JOB_ID" ]]; then
  result PASS "$SCENARIO" "$figure"
else
  result FAIL "$SCENARIO" "$figure"; tail -20 "$WORK/app.log" | cut -c1-300; exit 1
fi
