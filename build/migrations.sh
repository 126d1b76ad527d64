#!/usr/bin/env bash
# EF Core migrations for every module x provider.
#
#   build/migrations.sh --check      fail (exit 1) if any module/provider has pending model changes
#   build/migrations.sh add <Name>   add migration <Name> wherever the model changed (others are skipped)
#   build/migrations.sh reset        delete Migrations/Sqlite and Migrations/SqlServer and create Initial
#
# Convention (no edit needed for a new module): src/Modules/<M>/Retail.Modules.<M>.Infrastructure/*.csproj
# holds `class <X>SqliteDbContext` and `class <X>SqlServerDbContext` with design-time factories; their
# migrations live in Migrations/Sqlite and Migrations/SqlServer of that project.
#
# Environment: MIGRATIONS_CONFIGURATION (default Release), MIGRATIONS_SKIP_BUILD=1 to reuse an existing
# build of that configuration (build/test.sh does, right after building the solution).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

CONFIGURATION="${MIGRATIONS_CONFIGURATION:-Release}"
SKIP_BUILD="${MIGRATIONS_SKIP_BUILD:-0}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

usage() {
  sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

mode="${1:-}"
name=""
case "$mode" in
  --check | check) mode=check ;;
  add)
    name="${2:-}"
    [[ $name =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || { echo "migrations.sh add: a migration name (C# identifier) is required" >&2; usage; }
    ;;
  reset) ;;
  *) usage ;;
esac

shopt -s nullglob
projects=(src/Modules/*/Retail.Modules.*.Infrastructure/*.csproj)
shopt -u nullglob
if ((${#projects[@]} == 0)); then
  echo "migrations: no modules found (src/Modules/*/Retail.Modules.*.Infrastructure/*.csproj)"
  exit 0
fi

dotnet tool restore >/dev/null

# Context classes of one project: `class FooSqliteDbContext` / `class FooSqlServerDbContext`
# (not ...Factory or ...ModelSnapshot), outside bin/, obj/ and Migrations/.
contexts_of() {
  local dir
  dir="$(dirname "$1")"
  grep -rhoE --include='*.cs' --exclude-dir=bin --exclude-dir=obj --exclude-dir=Migrations \
    'class [A-Za-z_][A-Za-z0-9_]*(SqliteDbContext|SqlServerDbContext)\b' "$dir" \
    | awk '{print $2}' | sort -u
}

provider_of() {
  case "$1" in
    *SqliteDbContext) echo Sqlite ;;
    *SqlServerDbContext) echo SqlServer ;;
  esac
}

ef() { # ef <csproj> <context> <provider> <ef args...>
  local project="$1" context="$2" provider="$3"
  shift 3
  dotnet ef "$@" --project "$project" --startup-project "$project" --context "$context" \
    --configuration "$CONFIGURATION" --no-build --no-color
}

build_project() {
  [[ $SKIP_BUILD == 1 ]] && return 0
  echo "==> dotnet build $1 -c $CONFIGURATION"
  dotnet build "$1" -c "$CONFIGURATION" -nologo -v quiet
}

# Exit 0: no pending changes. Exit 1: pending changes (output kept in $pending_output). Other: error.
pending_output=""
has_pending() {
  local project="$1" context="$2" provider="$3" rc=0
  pending_output="$(ef "$project" "$context" "$provider" migrations has-pending-model-changes 2>&1)" || rc=$?
  if ((rc == 0)); then
    return 0
  fi
  if grep -qiE 'changes have been made to the model|pending model changes|add a new migration' <<<"$pending_output"; then
    return 1
  fi
  echo "$pending_output" >&2
  return 2
}

failures=()
found=0
added=0
for project in "${projects[@]}"; do
  module="$(basename "$(dirname "$(dirname "$project")")")"
  project_dir="$(dirname "$project")"
  mapfile -t contexts < <(contexts_of "$project")
  if ((${#contexts[@]} == 0)); then
    echo "migrations: $module has no *SqliteDbContext/*SqlServerDbContext classes; skipped"
    continue
  fi
  found=$((found + ${#contexts[@]}))

  if [[ $mode == reset ]]; then
    rm -rf "$project_dir/Migrations/Sqlite" "$project_dir/Migrations/SqlServer"
    rmdir "$project_dir/Migrations" 2>/dev/null || true
    SKIP_BUILD=0 build_project "$project" # the old migrations must leave the assembly
  else
    build_project "$project"
  fi

  for context in "${contexts[@]}"; do
    provider="$(provider_of "$context")"
    label="$module/$provider ($context)"
    case "$mode" in
      check)
        rc=0
        has_pending "$project" "$context" "$provider" || rc=$?
        case $rc in
          0) echo "ok       $label" ;;
          1) echo "PENDING  $label: model changes without a migration"; failures+=("$label") ;;
          *) echo "ERROR    $label: dotnet ef failed"; failures+=("$label") ;;
        esac
        ;;
      add)
        rc=0
        has_pending "$project" "$context" "$provider" || rc=$?
        case $rc in
          0) echo "skip     $label: no model changes" ;;
          1)
            echo "add      $label: $name"
            ef "$project" "$context" "$provider" migrations add "$name" --output-dir "Migrations/$provider"
            added=$((added + 1))
            ;;
          *) failures+=("$label") ;;
        esac
        ;;
      reset)
        echo "initial  $label"
        ef "$project" "$context" "$provider" migrations add Initial --output-dir "Migrations/$provider"
        added=$((added + 1))
        ;;
    esac
  done
done

if ((found == 0)); then
  echo "migrations: no module DbContexts found"
  exit 0
fi

if ((${#failures[@]} > 0)); then
  if [[ $mode == check ]]; then
    echo "migrations: pending model changes or errors in: ${failures[*]}" >&2
    echo "run: build/migrations.sh add <Name>" >&2
  else
    echo "migrations: failed for: ${failures[*]}" >&2
  fi
  exit 1
fi

if [[ $mode != check ]]; then
  if ((added > 0)); then
    echo "migrations: $added migration(s) written; rebuild to compile them"
  else
    echo "migrations: no model changes; nothing added"
  fi
fi
