package seedschema

import (
	"fmt"

	"github.com/talkgraph/talkgraph/graph"
)

// Patterns are written in the common subset of ECMA-262 (what editors run)
// and RE2 (what Go validators run). Tests check each against the graph
// check it stands for.
const (
	// slugPattern is graph.CheckID's (graph keeps it unexported; a test
	// reads it from graph/model.go to keep the two equal).
	slugPattern = `^[a-z0-9]+(?:[-_.][a-z0-9]+)*$`
	// langPattern is a two-letter language code, as graph's isLang.
	langPattern = `^[a-z]{2}$`
	// textPattern: not only white space, and no NUL byte (graph's checkText).
	textPattern = `^[^\x00]*[^\x00\s][^\x00]*$`
	// quotePattern is textPattern or empty: an empty quote is no quote.
	quotePattern = `^(?:|[^\x00]*[^\x00\s][^\x00]*)$`
	// datePattern is YYYY-MM-DD with days that fit their month; February
	// 29 of a year that is not a leap year is left to format "date".
	datePattern = `^[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-9]))$`
	// timePattern is Go's "15:04": a one- or two-digit hour, two-digit minutes.
	timePattern = `^(?:[01]?[0-9]|2[0-3]):[0-5][0-9]$`
	// intPattern is what strconv.ParseInt(s, 10, 64) reads (range apart).
	intPattern = `^[+-]?[0-9]+$`
	// urlPattern: an http or https scheme (in any case, as net/url reads
	// it) and a host.
	urlPattern = `^[Hh][Tt][Tt][Pp][Ss]?://[^/?#]+`
)

// propSchema is the schema of one property of graph.Props. Values are
// scalars whose text graph.CheckNode validates; every value is capped at
// graph.MaxTextLen bytes.
func propSchema(name string, t graph.PropType) *schema {
	s := &schema{MaxLength: ptr(graph.MaxTextLen)}
	switch t {
	case graph.PropDate:
		s.Description = fmt.Sprintf("%s: a date, YYYY-MM-DD.", name)
		s.Type, s.Format, s.Pattern = types{"string"}, "date", datePattern
		s.PatternErrorMessage = "not a date: write it as YYYY-MM-DD"
	case graph.PropTime:
		s.Description = fmt.Sprintf("%s: a time of day, HH:MM.", name)
		s.Type, s.Pattern = types{"string"}, timePattern
		s.PatternErrorMessage = "not a time of day: write it as HH:MM"
	case graph.PropInt:
		s.Description = fmt.Sprintf("%s: a whole number.", name)
		s.Type, s.Pattern = types{"integer", "string"}, intPattern
		s.PatternErrorMessage = "not a whole number: write digits only"
	case graph.PropURL:
		s.Description = fmt.Sprintf("%s: an absolute http(s) URL.", name)
		s.Type, s.Format, s.Pattern = types{"string"}, "uri", urlPattern
		s.PatternErrorMessage = "not an absolute http(s) URL: write it as https://host/path"
	default:
		s.Description = fmt.Sprintf("%s: text.", name)
		s.Type = types{"string", "number", "boolean"}
	}
	return s
}
