#!/usr/bin/env bash
# fetch-cytoscape.sh — vendor Cytoscape.js into internal/server/assets/explore/
# so the /explore page can be served from the binary (go:embed) with no CDN
# and no network at run time.
#
# The package comes from the npm registry through `npm pack`, i.e. through
# whatever registry npm is configured to use; no host is named here. npm
# checks the tarball against the registry's integrity hash.
#
# Re-runnable: the vendored files (cytoscape.min.js, LICENSE-cytoscape) are
# overwritten in place. The hand-written files of the folder (index.html,
# explore.js, explore.css, README.md) are not touched.
#
# To upgrade: change the version below (`npm view cytoscape version`; stay on
# 3.x unless the page is checked against the new major), run this script,
# update the sizes in internal/server/assets/explore/README.md, and run
# `go test ./internal/server/ -run Explore`.
set -euo pipefail

CYTOSCAPE_VERSION="3.34.4"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/internal/server/assets/explore"

command -v npm >/dev/null || { echo "fetch-cytoscape: npm is required" >&2; exit 1; }
command -v tar >/dev/null || { echo "fetch-cytoscape: tar is required" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

tgz="$(cd "$work" && npm pack --silent "cytoscape@$CYTOSCAPE_VERSION" | tail -n 1)"
[[ -n "$tgz" && -f "$work/$tgz" ]] || { echo "fetch-cytoscape: npm pack cytoscape@$CYTOSCAPE_VERSION produced no tarball" >&2; exit 1; }
mkdir -p "$work/cytoscape"
tar -xzf "$work/$tgz" -C "$work/cytoscape"
echo "fetched cytoscape@$CYTOSCAPE_VERSION ($tgz)" >&2

pkg="$work/cytoscape/package"
got="$(node -p 'require(process.argv[1]).version' "$pkg/package.json" 2>/dev/null || grep -o '"version": *"[^"]*"' "$pkg/package.json" | head -n 1 | sed 's/.*"\([^"]*\)"$/\1/')"
[[ "$got" == "$CYTOSCAPE_VERSION" ]] || { echo "fetch-cytoscape: package says version $got, want $CYTOSCAPE_VERSION" >&2; exit 1; }

written=()
# put SRC NAME: copy an unpacked file to $dest/NAME, failing if it is missing.
put() {
  local src="$pkg/$1" name="$2"
  [[ -f "$src" ]] || { echo "fetch-cytoscape: missing $1 in package" >&2; exit 1; }
  cp "$src" "$dest/$name.tmp"
  mv -f "$dest/$name.tmp" "$dest/$name"
  written+=("$name")
}

mkdir -p "$dest"
# The minified UMD build: global `cytoscape`, no dependencies; it includes the
# built-in layouts (cose among them).
put dist/cytoscape.min.js cytoscape.min.js
put LICENSE               LICENSE-cytoscape

echo "wrote ${#written[@]} files to ${dest#"$root"/}:"
(cd "$dest" && sha256sum "${written[@]}")
total="$(cd "$dest" && cat "${written[@]}" | wc -c)"
echo "total vendored bytes: $total"
