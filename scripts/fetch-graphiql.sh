#!/usr/bin/env bash
# fetch-graphiql.sh — vendor GraphiQL and its runtime dependencies into
# internal/server/assets/graphiql/ so the server can serve them from the
# binary (go:embed) with no CDN and no network at run time.
#
# Packages come from the npm registry through `npm pack`, i.e. through
# whatever registry npm is configured to use; no host is named here.
# npm checks each tarball against the registry's integrity hash.
#
# Re-runnable: every vendored file is overwritten in place. The hand-written
# files in the folder (index.html, examples.json, README.md) are not touched.
#
# To upgrade: change the versions below, run this script, then check the
# page (see internal/server/assets/graphiql/README.md).
set -euo pipefail

GRAPHIQL_VERSION="3.9.0"
REACT_VERSION="18.3.1"
REACT_DOM_VERSION="18.3.1"
# @graphiql/plugin-explorer 3.2.6 peers on @graphiql/react ^0.29.0, the same
# @graphiql/react line that graphiql 3.9.0 bundles.
EXPLORER_VERSION="3.2.6"
# graphiql-explorer (OneGraph) is bundled inside the explorer plugin's UMD
# build; it is fetched only for its LICENSE text.
ONEGRAPH_EXPLORER_VERSION="0.9.0"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/internal/server/assets/graphiql"

command -v npm >/dev/null || { echo "fetch-graphiql: npm is required" >&2; exit 1; }
command -v tar >/dev/null || { echo "fetch-graphiql: tar is required" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# unpack SPEC DIR: npm pack SPEC into $work and extract it into $work/DIR.
unpack() {
  local spec="$1" dir="$2" tgz
  tgz="$(cd "$work" && npm pack --silent "$spec" | tail -n 1)"
  [[ -n "$tgz" && -f "$work/$tgz" ]] || { echo "fetch-graphiql: npm pack $spec produced no tarball" >&2; exit 1; }
  mkdir -p "$work/$dir"
  tar -xzf "$work/$tgz" -C "$work/$dir"
  echo "fetched $spec ($tgz)" >&2
}

# put SRC NAME: copy an unpacked file to $dest/NAME, failing if it is missing.
put() {
  local src="$work/$1" name="$2"
  [[ -f "$src" ]] || { echo "fetch-graphiql: missing $1 in package" >&2; exit 1; }
  cp "$src" "$dest/$name.tmp"
  mv -f "$dest/$name.tmp" "$dest/$name"
  written+=("$name")
}

written=()
mkdir -p "$dest"

unpack "graphiql@$GRAPHIQL_VERSION" graphiql
unpack "react@$REACT_VERSION" react
unpack "react-dom@$REACT_DOM_VERSION" react-dom
unpack "@graphiql/plugin-explorer@$EXPLORER_VERSION" explorer
unpack "graphiql-explorer@$ONEGRAPH_EXPLORER_VERSION" onegraph-explorer

# graphiql: the standalone UMD build (global `GraphiQL`, expects globals
# `React` and `ReactDOM`). In 3.x graphiql.min.js is a copy of dist/index.umd.js
# and graphiql.min.css a copy of dist/style.css (fonts are inlined as data:).
put graphiql/package/graphiql.min.js  graphiql.min.js
put graphiql/package/graphiql.min.css graphiql.min.css
put graphiql/package/LICENSE          LICENSE-graphiql

put react/package/umd/react.production.min.js react.production.min.js
put react/package/LICENSE                     LICENSE-react

put react-dom/package/umd/react-dom.production.min.js react-dom.production.min.js
put react-dom/package/LICENSE                         LICENSE-react-dom

# explorer plugin: UMD build, global `GraphiQLPluginExplorer`; it expects the
# globals `React` and `GraphiQL` (it uses GraphiQL.React and GraphiQL.GraphQL).
put explorer/package/dist/index.umd.js graphiql-plugin-explorer.umd.js
put explorer/package/dist/style.css    graphiql-plugin-explorer.css

# The @graphiql/plugin-explorer tarball ships no LICENSE file (package.json
# says "MIT"); it lives in the same graphql/graphiql monorepo as graphiql,
# whose LICENSE covers it. Its UMD bundle also contains graphiql-explorer.
explorer_license="$(grep -o '"license": *"[^"]*"' "$work/explorer/package/package.json" || true)"
[[ "$explorer_license" == *'"MIT"'* ]] || { echo "fetch-graphiql: unexpected plugin-explorer licence: $explorer_license" >&2; exit 1; }
[[ -f "$work/onegraph-explorer/package/LICENSE" ]] || { echo "fetch-graphiql: graphiql-explorer has no LICENSE" >&2; exit 1; }
{
  echo "@graphiql/plugin-explorer@$EXPLORER_VERSION (graphiql-plugin-explorer.umd.js, graphiql-plugin-explorer.css)"
  echo "is MIT licensed (package.json: $explorer_license). Its npm package ships no LICENSE"
  echo "file; it is part of the graphql/graphiql monorepo, whose licence is:"
  echo
  cat "$work/graphiql/package/LICENSE"
  echo
  echo "----------------------------------------------------------------------"
  echo
  echo "graphiql-plugin-explorer.umd.js bundles graphiql-explorer@$ONEGRAPH_EXPLORER_VERSION (OneGraph),"
  echo "whose licence is:"
  echo
  cat "$work/onegraph-explorer/package/LICENSE"
} > "$dest/LICENSE-plugin-explorer.tmp"
mv -f "$dest/LICENSE-plugin-explorer.tmp" "$dest/LICENSE-plugin-explorer"
written+=("LICENSE-plugin-explorer")

echo "wrote ${#written[@]} files to ${dest#"$root"/}:"
(cd "$dest" && sha256sum "${written[@]}")
total="$(cd "$dest" && cat "${written[@]}" | wc -c)"
echo "total vendored bytes: $total"
