#!/usr/bin/env bash
# Quick start, step 1: install what is missing, build AppInspect, start it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh gui
export GOTOOLCHAIN=${GOTOOLCHAIN:-auto}
mkdir -p bin
go build -tags migrated_fynedo -o bin/appinspect .
exec ./bin/appinspect "$@"
