#!/usr/bin/env bash
# Fails when the package layering is broken: Fyne below the UI, the GLFW
# driver in ui, storage/PDF code reachable from ui, the use-case layer (app)
# depending on its command line, or the command line (app/cli) reaching past
# app.Service into the store.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/goenv.sh
goenv_ensure # the Go go.mod needs (fetched by scripts/deps.sh when the machine's is older)
mod=$(go list -m)
fail=0
libs=$(go list ./inspect/... ./cases/... ./reports/... ./app/... 2>/dev/null)
bad=$(go list -deps $libs | grep '^fyne.io/' || true)
[ -z "$bad" ] || { echo "Fyne imported below the UI:"; echo "$bad"; fail=1; }
bad=$(go list -deps ./ui | grep -x 'fyne.io/fyne/v2/app' || true)
[ -z "$bad" ] || { echo "ui imports the Fyne driver"; fail=1; }
bad=$(go list -deps ./ui | grep -E "^${mod}/(app|reports|cases/sqlite)$|^database/sql$" || true)
[ -z "$bad" ] || { echo "ui reaches storage or PDF code:"; echo "$bad"; fail=1; }
bad=$(grep -rl --include='*.go' '"fyne.io/fyne/v2/app"' . | grep -v '^./main.go$' || true)
[ -z "$bad" ] || { echo "only main.go may import fyne.io/fyne/v2/app:"; echo "$bad"; fail=1; }
# (an import of app/cli from app is also a cycle: go list reports it, hence 2>&1)
bad=$(go list -f '{{join .Imports "\n"}}' ./app 2>&1 | grep -E "${mod}/app/cli|import cycle" || true)
[ -z "$bad" ] || { echo "app imports app/cli (the command line must sit above the Service)"; fail=1; }
bad=$(go list -f '{{join .Imports "\n"}}{{"\n"}}{{join .TestImports "\n"}}' ./app/cli | grep -E "^${mod}/cases/sqlite$|^database/sql(/|$)" || true)
[ -z "$bad" ] || { echo "app/cli imports the store directly (use app.Service):"; echo "$bad"; fail=1; }
[ $fail -eq 0 ] && echo "depcheck ok"
exit $fail
