"""Reads a talkgraph export with rdflib, the RDF library nobody here wrote.

usage: /usr/bin/python3 check.py FILE.nq FILE.jsonld

Parses FILE.nq as N-Quads and FILE.jsonld as JSON-LD (offline: the export's
@context is inline), checks that both give the same graph, that every IRI
is absolute and every typed literal well-formed, and prints on stdout, as
JSON, what the Go test compares with the data: the number of triples, the
number of subjects of each rdf:type, and the rdf:Statement reifications as
[subject, predicate, object, source, quote, dataset] lists. Any problem is
one line on stderr and exit status 1.
"""
import json
import sys
import urllib.parse
import warnings

from rdflib import RDF, BNode, ConjunctiveGraph, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic


def load(path, fmt):
    conj = ConjunctiveGraph()
    with warnings.catch_warnings():
        # rdflib only warns about an ill-typed literal: make it an error.
        warnings.simplefilter("error")
        conj.parse(path, format=fmt)
    g = Graph()
    for t in conj.triples((None, None, None)):
        g.add(t)
    return g


def problems(g):
    for t in g:
        for term in t:
            if isinstance(term, BNode):
                yield "blank node %s: want IRIs only" % term
            if isinstance(term, URIRef) and not urllib.parse.urlsplit(str(term)).scheme:
                yield "relative IRI <%s>: want absolute IRIs" % term
            if isinstance(term, Literal) and term.datatype is not None and term.value is None:
                yield "ill-typed literal %r" % term


def summary(g):
    types = {}
    for _, _, c in g.triples((None, RDF.type, None)):
        types[str(c)] = types.get(str(c), 0) + 1
    ns = [str(p) for p in g.predicates() if str(p).endswith("#dataset")][:1]
    base = ns[0][: -len("dataset")] if ns else ""
    statements = []
    for st in g.subjects(RDF.type, RDF.Statement):
        def one(p):
            vals = list(g.objects(st, p))
            return str(vals[0]) if len(vals) == 1 else None
        statements.append([one(RDF.subject), one(RDF.predicate), one(RDF.object),
                           one(URIRef(base + "source")), one(URIRef(base + "quote")) or "",
                           one(URIRef(base + "dataset"))])
    statements.sort()
    return {"triples": len(g), "types": types, "statements": statements}


def main(nq, jsonld):
    try:
        a = load(nq, "nquads")
        b = load(jsonld, "json-ld")
    except Exception as e:  # rdflib's parse errors have no common base class
        sys.exit("parse: %s: %s" % (type(e).__name__, e))
    bad = list(problems(a)) + list(problems(b))
    if bad:
        sys.exit("; ".join(bad[:5]))
    if not isomorphic(a, b):
        _, only_nq, only_jsonld = graph_diff(a, b)
        sys.exit("N-Quads and JSON-LD differ: %d triples only in the N-Quads (%s), %d only in the JSON-LD (%s)"
                 % (len(only_nq), sorted(only_nq)[:2], len(only_jsonld), sorted(only_jsonld)[:2]))
    json.dump(summary(a), sys.stdout)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
