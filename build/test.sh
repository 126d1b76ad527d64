#!/usr/bin/env bash
# The one CI entry point (.ci/run calls it; README tells developers to run it too).
#  1. installs missing Debian packages, 2. starts a private Redis on loopback for the run,
#  3. builds Release (warnings are errors), 4. validates docker-compose.yml, 5. checks that no
#  module/provider has pending EF Core model changes, 6. runs every test project, and
#  7. ends with the line `tests: N passed, M failed` (`, K skipped` when K > 0).
# Artifacts (TRX files, later screenshots) go to artifacts/ (git-ignored).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Debian packages the run needs. Add a package = add a line.
APT_PACKAGES=(
  redis-server     # private Redis for the Redis-backed tests (also provides redis-cli)
  docker-compose   # v1, only to validate docker-compose.yml (no engine runs here)
  sqlite3          # handy for inspecting test databases
  chromium         # the browser Playwright drives in tests/Retail.EndToEndTests (never downloaded by Playwright)
)

REDIS_PORT="${RETAIL_TEST_REDIS_PORT:-6391}"
ARTIFACTS="$ROOT/artifacts"
RESULTS="$ARTIFACTS/test-results"
CONFIGURATION=Release

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

step="setup"
summary_printed=0
redis_started=0
TMP_DIR="$(mktemp -d "${TMPDIR:-/tmp}/retail-test.XXXXXX")"

log() { printf '\n==> %s\n' "$*"; }

# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
  local rc=$?
  if [[ $redis_started == 1 ]]; then
    redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    if [[ -f "$TMP_DIR/redis.pid" ]]; then
      kill "$(cat "$TMP_DIR/redis.pid")" >/dev/null 2>&1 || true
    fi
  fi
  rm -rf "$TMP_DIR"
  if [[ $summary_printed == 0 ]]; then
    echo "test.sh: failed during '$step' (exit $rc)" >&2
    echo "tests: 0 passed, 0 failed"
    [[ $rc == 0 ]] && rc=1
  fi
  exit "$rc"
}
trap cleanup EXIT

# --- 1. packages ----------------------------------------------------------------------------
step="install packages"
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]} > 0)); then
  log "installing ${missing[*]}"
  SUDO=()
  [[ $(id -u) != 0 ]] && SUDO=(sudo)
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}"
fi

# --- 2. Redis on loopback -------------------------------------------------------------------
step="start redis"
if redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
  # Left over from an interrupted run: reuse it (empty) rather than fail to bind.
  log "reusing the Redis already answering on 127.0.0.1:$REDIS_PORT (flushed)"
  redis-cli -p "$REDIS_PORT" flushall >/dev/null
else
  log "starting redis-server on 127.0.0.1:$REDIS_PORT"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
    --daemonize yes --pidfile "$TMP_DIR/redis.pid" --dir "$TMP_DIR" \
    --logfile "$TMP_DIR/redis.log"
  redis_started=1
  for ((i = 0; i < 50; i++)); do
    if redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
      break
    fi
    sleep 0.2
  done
  if ! redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
    echo "redis-server did not answer on port $REDIS_PORT" >&2
    cat "$TMP_DIR/redis.log" >&2 || true
    exit 1
  fi
fi
export RETAIL_TEST_REDIS="127.0.0.1:$REDIS_PORT"

# --- 3. build ---------------------------------------------------------------------------------
step="dotnet tool restore"
log "dotnet tool restore"
dotnet tool restore

step="build"
log "dotnet build Retail.sln -c $CONFIGURATION"
dotnet build Retail.sln -c "$CONFIGURATION"

# --- 4. compose file --------------------------------------------------------------------------
step="validate docker-compose.yml"
log "docker-compose config -q"
# A dummy password only so interpolation of the required variable succeeds; nothing is started.
MSSQL_SA_PASSWORD="${MSSQL_SA_PASSWORD:-Validate-Only-1}" docker-compose -f docker-compose.yml config -q

# --- 5. migrations ----------------------------------------------------------------------------
step="check migrations"
log "build/migrations.sh --check"
MIGRATIONS_CONFIGURATION="$CONFIGURATION" MIGRATIONS_SKIP_BUILD=1 bash build/migrations.sh --check

# --- 6. tests ---------------------------------------------------------------------------------
step="test"
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
log "dotnet test Retail.sln -c $CONFIGURATION"
# No fixed LogFileName: with one name every project overwrites the same file. The default name
# is unique per test project (the logger adds a suffix if two finish in the same second).
set +e
dotnet test Retail.sln -c "$CONFIGURATION" --no-build \
  --logger "trx" \
  --results-directory "$RESULTS" 2>&1 | tee "$RESULTS/dotnet-test.log"
test_rc=${PIPESTATUS[0]}
set -e

# --- 6b. benchmark harness smoke (seconds; checks the harness works, not the numbers) ----------
step="bench smoke"
log "build/bench/run.sh --smoke"
bench_rc=0
bash build/bench/run.sh --smoke >"$ARTIFACTS/bench-smoke.log" 2>&1 || bench_rc=$?
tail -n 1 "$ARTIFACTS/bench-smoke.log"

# --- 7. summary -------------------------------------------------------------------------------
step="summarize"
attr() { # attr NAME COUNTERS_ELEMENT -> value or 0
  local v
  v="$(sed -n "s/.*[[:space:]]$1=\"\([0-9]*\)\".*/\1/p" <<<"$2")"
  echo "${v:-0}"
}
passed=0 failed=0 skipped=0 executed=0 files=0
shopt -s nullglob
trx_files=("$RESULTS"/*.trx)
shopt -u nullglob
for trx in "${trx_files[@]}"; do
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1 || true)"
  [[ -z $counters ]] && continue
  files=$((files + 1))
  total=$(attr total "$counters")
  exe=$(attr executed "$counters")
  executed=$((executed + exe))
  passed=$((passed + $(attr passed "$counters")))
  failed=$((failed + $(attr failed "$counters") + $(attr error "$counters") + $(attr timeout "$counters") + $(attr aborted "$counters")))
  # xunit's skipped tests are NotExecuted results: counted in total, not in executed
  # (the notExecuted counter stays 0), so skipped = total - executed.
  skip=$((total - exe))
  ((skip < 0)) && skip=0
  skipped=$((skipped + skip))
done

# Every test project should have reported; a missing TRX usually means a crashed test host.
for proj in tests/*/*.csproj; do
  [[ -f $proj ]] || continue
  name="$(basename "$proj" .csproj)"
  # The TRX stores the test assembly path lower-cased.
  if ((${#trx_files[@]} == 0)) || ! grep -Fiqs "/$name.dll\"" "${trx_files[@]}"; then
    echo "warning: no test results found for $name" >&2
  fi
done

status=0
if ((test_rc != 0)); then
  echo "dotnet test exited with $test_rc" >&2
  status=1
fi
if ((bench_rc != 0)); then
  echo "benchmark smoke failed (artifacts/bench-smoke.log):" >&2
  tail -n 30 "$ARTIFACTS/bench-smoke.log" >&2
  status=1
fi
if ((executed == 0)); then
  echo "FAILED: no tests were executed ($files result files in ${RESULTS#"$ROOT"/})" >&2
  status=1
fi
((failed > 0)) && status=1

line="tests: $passed passed, $failed failed"
((skipped > 0)) && line+=", $skipped skipped"
summary_printed=1
echo "$line"
exit "$status"
