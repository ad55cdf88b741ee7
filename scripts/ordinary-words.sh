#!/usr/bin/env bash
# Rebuilds internal/words/en.txt from Debian's wamerican-small, and prints
# the candidate German and French words (words of the vocabulary's names
# that Debian's wngerman and wfrench hold as common words) for a person to
# check by hand before they go into internal/words/{de,fr}.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get download wamerican-small wngerman wfrench >/dev/null && for f in *.deb; do dpkg-deb -x "$f" x; done)
grep -v "'" "$tmp/x/usr/share/dict/american-english-small" | tr 'A-Z' 'a-z' | grep -E '^[a-z]+$' | sort -u > internal/words/en.txt
python3 - "$tmp/x/usr/share/dict" <<'PY'
import sys, glob, re, yaml
d = sys.argv[1]
names = set()
for f in glob.glob('seeds/*/*.yaml'):
    for n in (yaml.safe_load(open(f)) or {}).get('nodes') or []:
        for s in [n['name']] + (n.get('aliases') or []):
            names.update(w.lower() for w in re.findall(r"[^\W\d_]+", s))
de = set(open(d + '/ngerman').read().split())
fr = set(open(d + '/french').read().split())
en = set(open('internal/words/en.txt').read().split())
cand_de = sorted(w for w in names if w in de or (w.capitalize() in de and any(w.capitalize() + s in de for s in ('e', 'en', 'er', 'n', 'in', 'innen', 'chen', 'ern'))))
cand_fr = sorted(w for w in names if w in fr)
print('German candidates not yet in de.txt:', ' '.join(w for w in cand_de if w not in set(open('internal/words/de.txt').read().split())))
print('French candidates not yet in fr.txt:', ' '.join(w for w in cand_fr if w not in set(open('internal/words/fr.txt').read().split())))
PY
