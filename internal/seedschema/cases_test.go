package seedschema

import (
	"fmt"
	"strings"
)

// The cases of TestSchemaAgreesWithLoader: each rule of the schema, on both
// sides of its line, and the rules only the loader can check (gap).

func nodeCases() []schemaCase {
	return []schemaCase{
		{name: "minimal node", file: withNode("{id: x, kind: tool, name: X}"), valid: true},
		{name: "every node field", file: withNode(`{id: kafka, kind: tool, name: Apache Kafka, aliases: [Kafka],
      description: {en: A log., fr: Un journal.}, props: {url: "https://kafka.apache.org"}}`), valid: true},
		{name: "numeric name", file: withNode("{id: book-1984, kind: publication, name: 1984}"), valid: true},
		{name: "integer id", file: withNode("{id: 2017, kind: concept, name: The year}"), valid: true},
		{name: "dotted id", file: withNode("{id: v1.2_b-c, kind: tool, name: X}"), valid: true},
		{name: "id with a capital", file: withNode("{id: Kafka, kind: tool, name: X}"), valid: false},
		{name: "id with a double dash", file: withNode("{id: a--b, kind: tool, name: X}"), valid: false},
		{name: "negative integer id", file: withNode("{id: -3, kind: tool, name: X}"), valid: false},
		{name: "id too long", file: withNode(fmt.Sprintf("{id: %s, kind: tool, name: X}", strings.Repeat("a", 129))), valid: false},
		{name: "unknown kind", file: withNode("{id: x, kind: tol, name: X}"), valid: false},
		{name: "missing name", file: withNode("{id: x, kind: tool}"), valid: false},
		{name: "null name", file: withNode("{id: x, kind: tool, name: }"), valid: false},
		{name: "blank name", file: withNode(`{id: x, kind: tool, name: "  "}`), valid: false},
		{name: "name too long", file: withNode(fmt.Sprintf("{id: x, kind: tool, name: %s}", strings.Repeat("n", 301))), valid: false},
		{name: "unknown field", file: withNode("{id: x, kind: tool, name: X, label: Y}"), valid: false},
		{name: "null aliases", file: withNode("{id: x, kind: tool, name: X, aliases: ~}"), valid: true},
		{name: "empty alias", file: withNode(`{id: x, kind: tool, name: X, aliases: [""]}`), valid: false},
		{name: "too many aliases", file: withNode(fmt.Sprintf("{id: x, kind: tool, name: X, aliases: [%s]}", strings.Repeat("a, ", 50)+"a")), valid: false},
		{name: "aliases not a list", file: withNode("{id: x, kind: tool, name: X, aliases: {a: b}}"), valid: false},
		{name: "description in two languages", file: withNode("{id: x, kind: tool, name: X, description: {en: A tool., fr: Un outil.}}"), valid: true},
		{name: "description language of three letters", file: withNode("{id: x, kind: tool, name: X, description: {eng: A tool.}}"), valid: false},
		{name: "empty description", file: withNode(`{id: x, kind: tool, name: X, description: {en: ""}}`), valid: false},
		{name: "description not a mapping", file: withNode("{id: x, kind: tool, name: X, description: A tool.}"), valid: false},
		{name: "duplicate id", file: withNode("{id: ada, kind: person, name: Ada again}"), gap: "ids are unique across files"},
		{name: "name too long in bytes", file: withNode(fmt.Sprintf("{id: x, kind: tool, name: %s}", strings.Repeat("é", 151))), gap: "maxLength counts characters, the loader bytes"},
	}
}

func propCases() []schemaCase {
	return []schemaCase{
		{name: "int prop as a YAML int", file: withProps("year: 2017"), valid: true},
		{name: "int prop as a string", file: withProps(`edition: "7"`), valid: true},
		{name: "int prop with a sign", file: withProps(`order: "+7"`), valid: true},
		{name: "int prop with a letter", file: withProps("year: 20x7"), valid: false},
		{name: "int prop with a fraction", file: withProps("year: 2017.5"), valid: false},
		{name: "int prop in hexadecimal", file: withProps("year: 0x7E1"), valid: false},
		{name: "int prop out of range", file: withProps(`year: "99999999999999999999"`), gap: "an int64's range is not checked"},
		{name: "date", file: withProps("date: 2017-04-24"), valid: true},
		{name: "date on 29 February of a leap year", file: withProps("date: 2016-02-29"), valid: true},
		{name: "date on 30 February", file: withProps("date: 2017-02-30"), valid: false},
		{name: "date on 29 February of another year", file: withProps("published: 2017-02-29"), valid: false},
		{name: "date with one-digit month", file: withProps("date: 2017-4-24"), valid: false},
		{name: "date with a time", file: withProps("date: 2017-04-24T10:00:00Z"), valid: false},
		{name: "time", file: withProps(`start: "09:30"`), valid: true},
		{name: "time with a one-digit hour", file: withProps("start: 9:30"), valid: true},
		{name: "time at 24:00", file: withProps("start: 24:00"), valid: false},
		{name: "time with one-digit minutes", file: withProps("start: 9:3"), valid: false},
		{name: "url", file: withProps("url: https://www.dotscale.io/"), valid: true},
		{name: "url with an upper-case scheme", file: withProps("video: HTTP://example.com/v"), valid: true},
		{name: "url with another scheme", file: withProps("url: ftp://example.com/"), valid: false},
		{name: "url without a host", file: withProps(`url: "https:///x"`), valid: false},
		{name: "relative url", file: withProps("url: /talks/1"), valid: false},
		{name: "text prop as a number", file: withProps("venue: 42"), valid: true},
		{name: "empty text prop", file: withProps(`venue: ""`), valid: true},
		{name: "text prop too long", file: withProps("city: " + strings.Repeat("c", 8001)), valid: false},
		{name: "unknown prop", file: withProps("speaker: Ada"), valid: false},
		{name: "prop not a scalar", file: withProps("city: [Paris]"), valid: false},
	}
}

func edgeCases() []schemaCase {
	return []schemaCase{
		{name: "edge", file: withEdge("{from: ada, type: gave, to: talk, " + evid + "}"), valid: true},
		{name: "inverse type", file: withEdge("{from: talk, type: given_by, to: ada, evidence: [{source: src}]}"), valid: true},
		{name: "empty quote", file: withEdge(`{from: ada, type: gave, to: talk, evidence: [{source: src, quote: ""}]}`), valid: true},
		{name: "unknown type", file: withEdge("{from: ada, type: gives, to: talk, " + evid + "}"), valid: false},
		{name: "missing to", file: withEdge("{from: ada, type: gave, " + evid + "}"), valid: false},
		{name: "missing evidence", file: withEdge("{from: ada, type: gave, to: talk}"), valid: false},
		{name: "no evidence", file: withEdge("{from: ada, type: gave, to: talk, evidence: []}"), valid: false},
		{name: "evidence without source", file: withEdge("{from: ada, type: gave, to: talk, evidence: [{quote: says so}]}"), valid: false},
		{name: "evidence with an unknown field", file: withEdge("{from: ada, type: gave, to: talk, evidence: [{source: src, page: 3}]}"), valid: false},
		{name: "blank quote", file: withEdge(`{from: ada, type: gave, to: talk, evidence: [{source: src, quote: "  "}]}`), valid: false},
		{name: "quote too long", file: withEdge(fmt.Sprintf("{from: ada, type: gave, to: talk, evidence: [{source: src, quote: %s}]}", strings.Repeat("q", 501))), valid: false},
		{name: "endpoint not a slug", file: withEdge("{from: Ada, type: gave, to: talk, " + evid + "}"), valid: false},
		{name: "unknown id", file: withEdge("{from: bob, type: gave, to: talk, " + evid + "}"), gap: "references are to other nodes"},
		{name: "kinds the type may not join", file: withEdge("{from: talk, type: gave, to: ada, " + evid + "}"), gap: "the kinds are on other nodes"},
		{name: "evidence source not a source", file: withEdge("{from: ada, type: gave, to: talk, evidence: [{source: talk}]}"), gap: "the kind is on another node"},
		{name: "edge to itself", file: withEdge("{from: ada, type: related_to, to: ada, " + evid + "}"), gap: "no keyword compares two values"},
	}
}
