#!/usr/bin/env bash
# Checks that imports point one way (see README, "Layout"):
#   graph/    the standard library and Badger only
#   schema/   graph/ and graphql-go, never HTTP
#   internal/server never imports Badger or graph/ (it gets what it serves)
#   cmd/talkgraph imports internal/cli only
#   internal/importer imports graph/, the seed loader and YAML writer, never schema/ or HTTP
set -euo pipefail
cd "$(dirname "$0")/.."
mod=$(go list -m)
fail=0

imports() { go list -f '{{join .Imports "\n"}}' "$@" | sort -u; }

# is_std reports whether an import path is in the standard library.
is_std() { case "$1" in *.*/*) return 1 ;; *) return 0 ;; esac; }

check() { # package, allowed-regex, what
  local pkg=$1 allow=$2 what=$3
  while read -r imp; do
    [ -z "$imp" ] && continue
    if is_std "$imp"; then
      case "$imp" in net/http*) [ "$what" = "schema" ] && { echo "$pkg imports $imp: $what must not use HTTP"; fail=1; } ;; esac
      continue
    fi
    if ! [[ $imp =~ $allow ]]; then
      echo "$pkg imports $imp: not allowed for $what"; fail=1
    fi
  done < <(imports "$pkg")
}

check ./graph/ '^github.com/dgraph-io/badger/v4($|/)' graph
check ./schema/ "^($mod/graph|github.com/graphql-go/graphql)(\$|/)" schema
check ./internal/server/ "^($mod/internal/httpapi|$mod/internal/guard|github.com/graphql-go/graphql|github.com/prometheus/)" server
check ./internal/httpapi/ '^github.com/graphql-go/graphql($|/)' httpapi
check ./cmd/talkgraph/ "^$mod/internal/cli\$" main
check ./internal/seed/ "^($mod/graph|go.yaml.in/yaml/v3)(\$|/)" seed
check ./internal/importer/ "^($mod/graph|$mod/internal/seed|$mod/internal/export|$mod/internal/textindex|go.yaml.in/yaml/v3|github.com/yuin/goldmark|golang.org/x/net/html|golang.org/x/sys/unix)(\$|/)" importer

[ $fail -eq 0 ] && echo "imports point one way"
exit $fail
