#!/usr/bin/env bash
# Checks that imports point one way (see README, "Layout"): the table below
# says, for every package of the module, which packages it may import
# besides the standard library. An entry is a package of this module
# (graph, internal/seed) or an outside module path (its sub-packages
# included); "-net/http" forbids a package of the standard library (and its
# sub-packages). A package without a row fails the check: a new package
# needs a decision about where it sits.
set -euo pipefail
cd "$(dirname "$0")/.."
mod=$(go list -m)

# package              may import
rules=(
  "graph                github.com/dgraph-io/badger/v4 github.com/dgraph-io/ristretto/v2/z -net/http"
  "schema               graph github.com/graphql-go/graphql -net/http"
  "internal/executor    schema internal/guard internal/compile github.com/graphql-go/graphql -net/http"
  "internal/compile     github.com/graphql-go/graphql -net/http"
  "internal/guard       schema github.com/graphql-go/graphql"
  "internal/httpapi     internal/executor schema github.com/graphql-go/graphql"
  "internal/server      internal/httpapi internal/executor internal/guard github.com/graphql-go/graphql github.com/prometheus/client_golang"
  "internal/seed        graph go.yaml.in/yaml/v3 -net/http"
  "internal/export      graph go.yaml.in/yaml/v3 -net/http"
  "internal/importer    graph internal/seed internal/export internal/textindex go.yaml.in/yaml/v3 github.com/yuin/goldmark golang.org/x/net/html golang.org/x/sys/unix -net/http"
  "internal/link        graph internal/words internal/benchdata internal/testdb internal/textindex"
  "internal/vocab       graph internal/importer internal/textindex internal/words go.yaml.in/yaml/v3 -net/http"
  "internal/words"
  "internal/lexicon     graph github.com/blevesearch/vellum -net/http"
  "internal/seedschema  graph"
  "internal/textindex   graph github.com/blevesearch/bleve/v2"
  "internal/gctune"
  "internal/baseline    github.com/graphql-go/graphql"
  "internal/gen"
  "internal/benchdata   graph internal/gen internal/seed internal/textindex seeds"
  "internal/testdb      graph internal/seed internal/textindex seeds"
  "internal/cli         graph schema seeds internal/export internal/executor internal/gen internal/gctune internal/guard internal/importer internal/lexicon internal/link internal/seed internal/seedschema internal/server internal/textindex internal/vocab github.com/spf13/cobra github.com/fsnotify/fsnotify go.yaml.in/yaml/v3"
  "cmd/talkgraph        internal/cli"
  "seeds"
  "scripts/benchreport"
  "scripts/executorbench internal/baseline graph schema seeds internal/executor internal/guard internal/seed internal/textindex"
)

fail=0

# is_std reports whether an import path is in the standard library.
is_std() { case "$1" in *.*/*) return 1 ;; *) return 0 ;; esac; }

# allowed reports whether imp is among the entries (an entry also allows its
# sub-packages) and not forbidden.
allowed() {
  local imp=$1; shift
  local e path
  for e in "$@"; do
    case "$e" in
      -*) path=${e#-}; if [[ $imp == "$path" || $imp == "$path"/* ]]; then return 1; fi ;;
    esac
  done
  if is_std "$imp"; then return 0; fi
  for e in "$@"; do
    case "$e" in
      -*) continue ;;
      *.*/*) path=$e ;;
      *) path=$mod/$e ;;
    esac
    if [[ $imp == "$path" || $imp == "$path"/* ]]; then return 0; fi
  done
  return 1
}

declare -A rule
for r in "${rules[@]}"; do
  read -r pkg entries <<<"$r"
  rule[$pkg]=$entries
done

while read -r pkg imps; do
  rel=${pkg#"$mod"}; rel=${rel#/}
  if [[ -z ${rule[$rel]+set} ]]; then
    echo "$rel: no row in scripts/check-imports.sh: add one saying what it may import"; fail=1
    continue
  fi
  read -r -a entries <<<"${rule[$rel]}"
  for imp in $imps; do
    if ! allowed "$imp" "${entries[@]+"${entries[@]}"}"; then
      echo "$rel imports $imp: not allowed (its row in scripts/check-imports.sh)"; fail=1
    fi
  done
done < <(go list -f '{{.ImportPath}} {{join .Imports " "}}' ./...)

[ $fail -eq 0 ] && echo "imports point one way"
exit $fail
