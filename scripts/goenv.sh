# Sourced by the scripts (not run): which Go go.mod needs, and the Go that
# scripts/deps.sh installs from the Go module proxy when the machine's go is
# missing or older. After `. scripts/goenv.sh; goenv_use`, `go` is one that
# can build this module (the cached one first on PATH when needed).
#
#   goenv_want       prints the toolchain go.mod asks for, e.g. go1.26.0
#                    (its toolchain line, else its go line)
#   goenv_have       prints the version of `go` on PATH (go1.19.8), or nothing
#   goenv_ge A B     true when Go version A >= B
#   goenv_dir        the directory the fetched Go lives in:
#                    $APPINSPECT_GO_DIR (default ~/.cache/appinspect/go)/<version>
#   goenv_use        puts goenv_dir/bin first on PATH when the go on PATH is
#                    missing or too old and the fetched one is there

goenv_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

goenv_want() {
  local tc g
  tc=$(awk '$1 == "toolchain" {print $2; exit}' "$goenv_root/go.mod")
  if [ -n "$tc" ] && [ "$tc" != default ]; then echo "$tc"; return; fi
  g=$(awk '$1 == "go" {print $2; exit}' "$goenv_root/go.mod")
  # "go 1.26" names a language version; its first release is go1.26.0
  # (from Go 1.21 on; earlier first releases were go1.N).
  if [[ "$g" =~ ^1\.([0-9]+)$ ]] && [ "${BASH_REMATCH[1]}" -ge 21 ]; then g="$g.0"; fi
  echo "go$g"
}

goenv_have() {
  command -v go >/dev/null 2>&1 || return 0
  # `go env GOVERSION` exists from 1.16; `go version` works everywhere.
  GOTOOLCHAIN=local go version 2>/dev/null | awk '{print $3}'
}

# _goenv_parts go1.21rc2 -> "1 21 -1": major, minor, patch (rc/beta sort first).
_goenv_parts() {
  local v=${1#go} major minor patch=0
  if [[ "$v" =~ ^([0-9]+)\.([0-9]+)(\.([0-9]+))?(.*)$ ]]; then
    major=${BASH_REMATCH[1]} minor=${BASH_REMATCH[2]}
    if [ -n "${BASH_REMATCH[4]}" ]; then patch=${BASH_REMATCH[4]}
    elif [ -n "${BASH_REMATCH[5]}" ]; then patch=-1
    fi
    echo "$major $minor $patch"
  else
    echo "0 0 0"
  fi
}

goenv_ge() {
  local a b
  read -r -a a <<<"$(_goenv_parts "$1")"
  read -r -a b <<<"$(_goenv_parts "$2")"
  for i in 0 1 2; do
    [ "${a[$i]}" -gt "${b[$i]}" ] && return 0
    [ "${a[$i]}" -lt "${b[$i]}" ] && return 1
  done
  return 0
}

goenv_dir() {
  echo "${APPINSPECT_GO_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/appinspect/go}/$(goenv_want)"
}

goenv_use() {
  local want have dir
  want=$(goenv_want)
  have=$(goenv_have)
  if [ -n "$have" ] && goenv_ge "$have" "$want"; then return 0; fi
  dir=$(goenv_dir)
  if [ -x "$dir/bin/go" ]; then
    export PATH="$dir/bin:$PATH"
    # This Go is exactly what go.mod asks for: no further switching.
    export GOTOOLCHAIN=local
    hash -r
    return 0
  fi
  echo "goenv: go ${have:-(none)} is older than the $want go.mod needs, and $dir is not there; run bash scripts/deps.sh" >&2
  return 1
}

# goenv_ensure is goenv_use, fetching the Go go.mod needs first when it is
# not there yet (scripts/deps.sh go: the toolchain only, no apt packages
# unless there is no go at all).
goenv_ensure() {
  goenv_use 2>/dev/null && return 0
  bash "$goenv_root/scripts/deps.sh" go && goenv_use
}
