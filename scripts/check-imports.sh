#!/usr/bin/env bash
# Checks that imports point one way (see README, "Layout"):
#   graph/    the standard library and Badger only
#   schema/   graph/ and graphql-go, never HTTP
#   internal/executor runs GraphQL for every transport: schema/, the guard
#                graphql-go, never HTTP
#   internal/server never imports Badger or graph/ (it gets what it serves)
#   cmd/talkgraph imports internal/cli only
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
      case "$imp" in net/http*) case "$what" in schema|executor) echo "$pkg imports $imp: $what must not use HTTP"; fail=1 ;; esac ;; esac
      continue
    fi
    if ! [[ $imp =~ $allow ]]; then
      echo "$pkg imports $imp: not allowed for $what"; fail=1
    fi
  done < <(imports "$pkg")
}

check ./graph/ '^github.com/dgraph-io/badger/v4($|/)' graph
check ./schema/ "^($mod/graph|github.com/graphql-go/graphql)(\$|/)" schema
check ./internal/executor/ "^($mod/schema|$mod/internal/guard|github.com/graphql-go/graphql)(\$|/)" executor
check ./internal/guard/ "^($mod/schema|github.com/graphql-go/graphql)(\$|/)" guard
check ./internal/server/ "^($mod/internal/httpapi|$mod/internal/executor|$mod/internal/guard|github.com/graphql-go/graphql|github.com/prometheus/)" server
check ./internal/httpapi/ "^($mod/internal/executor|$mod/schema|github.com/graphql-go/graphql)(\$|/)" httpapi
check ./cmd/talkgraph/ "^$mod/internal/cli\$" main
check ./internal/seed/ "^($mod/graph|go.yaml.in/yaml/v3)(\$|/)" seed

[ $fail -eq 0 ] && echo "imports point one way"
exit $fail
