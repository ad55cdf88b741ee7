package httpapi

import (
	"mime"
	"strconv"
	"strings"
)

const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// negotiate picks the response media type from the Accept header values.
// application/graphql-response+json is chosen only when the client lists it
// explicitly with q>0 and prefers it at least as much as application/json
// (including the application/* and */* ranges). Everything else, including
// an Accept header naming neither, gets application/json: the spec allows
// that, and it is what legacy clients expect.
func negotiate(accept []string) string {
	qGraphQL, qJSON := 0.0, 0.0
	for _, header := range accept {
		for _, part := range strings.Split(header, ",") {
			mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
			if err != nil {
				continue
			}
			q := quality(params["q"])
			switch mt {
			case mediaGraphQLResponse:
				qGraphQL = max(qGraphQL, q)
			case mediaJSON, "application/*", "*/*":
				qJSON = max(qJSON, q)
			}
		}
	}
	if qGraphQL > 0 && qGraphQL >= qJSON {
		return mediaGraphQLResponse
	}
	return mediaJSON
}

// quality parses an Accept q parameter; absent means 1 and malformed means 0
// so that a broken entry can never win the negotiation.
func quality(s string) float64 {
	if s == "" {
		return 1
	}
	q, err := strconv.ParseFloat(s, 64)
	if err != nil || q < 0 || q > 1 {
		return 0
	}
	return q
}
