#!/usr/bin/env bash
# Fault injection on loopback (docs/chaos.md). Publishes Release once, then runs each scenario script with it and prints
# one summary table; exits 1 when any scenario fails.
#
#   build/chaos/run.sh                      every scenario (about 10 minutes on a loaded 2-core machine)
#   build/chaos/run.sh redis-outage ...     only the named ones
#
# Ports: apps 5400-5404 (CHAOS_PORT_BASE), Redis 6394 (CHAOS_REDIS_PORT). Raw output: artifacts/chaos/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

# Scenario = script in this folder. Add one = add a line (and its script).
SCENARIOS=(
  payment-outage   # (a) gateway down during a checkout burst: >= 99% accepted, all Paid after recovery, MTTR
  redis-outage     # (b) redis-server STOPped, then killed, then back: keeps serving per instance, limit global again
  crash-restart    # (c) kill -9 with orders PaymentPending: every order finished exactly once after restart
  two-instances    # (d) two instances on one Redis and one database: global rate limit, no oversell
  ingest-crash     # (e) kill -9 during a large partner feed ingest: the job resumes, every row applied exactly once
  refund-crash     # (f) kill -9 while return refunds are pending: every refund completed exactly once
)

if (($#)); then SCENARIOS=("$@"); fi
OUT="$ROOT/artifacts/chaos"
mkdir -p "$OUT"
APP="$(mktemp -d "${TMPDIR:-/tmp}/retail-chaos-app.XXXXXX")"
trap 'rm -rf "$APP"' EXIT

echo "==> publishing the app (Release)"
dotnet publish src/Host/Retail.Host -c Release -o "$APP" --nologo -v quiet >/dev/null
export CHAOS_APP_DIR="$APP"

declare -A OUTCOME=() FIGURE=() DURATION=()
failed=0
for scenario in "${SCENARIOS[@]}"; do
  echo "==> $scenario"
  started=$(date +%s)
  set +e
  bash "build/chaos/$scenario.sh" 2>&1 | tee "$OUT/$scenario.log"
  rc=${PIPESTATUS[0]}
  set -e
  DURATION[$scenario]=$(($(date +%s) - started))
  line="$(grep -E "^(PASS|FAIL) $scenario:" "$OUT/$scenario.log" | tail -1 || true)"
  if ((rc == 0)) && [[ $line == PASS* ]]; then OUTCOME[$scenario]=PASS; else OUTCOME[$scenario]=FAIL; failed=1; fi
  FIGURE[$scenario]="${line#* "$scenario": }"
  [[ -n $line ]] || FIGURE[$scenario]="no result line (exit $rc); see artifacts/chaos/$scenario.log"
done

{
  echo
  echo "| scenario | result | seconds | measured |"
  echo "|---|---|---:|---|"
  for scenario in "${SCENARIOS[@]}"; do
    echo "| $scenario | ${OUTCOME[$scenario]} | ${DURATION[$scenario]} | ${FIGURE[$scenario]} |"
  done
} | tee "$OUT/summary.md"
exit "$failed"
