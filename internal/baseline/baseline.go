// Package baseline holds the servers talkgraph's speed is measured
// against, in the same run: plain net/http answering a fixed 1 KB JSON
// (the ceiling of the HTTP stack), and a naive graphql-go server
// answering { hello } with graphql.Do per request. The benchmarks of
// internal/server and scripts/executorbench serve them.
package baseline

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"github.com/graphql-go/graphql"
)

// FixedAnswer is the 1 KB JSON FixedHandler writes.
var FixedAnswer = func() []byte {
	const frame = `{"data":{"hello":""}}`
	return []byte(`{"data":{"hello":"` + strings.Repeat("x", 1024-len(frame)) + `"}}`)
}()

// FixedHandler answers every request with FixedAnswer, after reading the
// body.
func FixedHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(FixedAnswer)
	})
}

// HelloHandler is a plain graphql-go server, written the usual way: decode
// the JSON body, graphql.Do (parse, validate, execute), encode. Its schema
// is Query { hello: String }, "world". It returns an error only when
// graphql-go refuses the schema.
func HelloHandler() (http.Handler, error) {
	sch, err := graphql.NewSchema(graphql.SchemaConfig{Query: graphql.NewObject(graphql.ObjectConfig{
		Name: "Query",
		Fields: graphql.Fields{"hello": &graphql.Field{
			Type:    graphql.String,
			Resolve: func(graphql.ResolveParams) (any, error) { return "world", nil },
		}},
	})})
	if err != nil {
		return nil, err
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Query         string         `json:"query"`
			OperationName string         `json:"operationName"`
			Variables     map[string]any `json:"variables"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		res := graphql.Do(graphql.Params{Schema: sch, RequestString: req.Query, OperationName: req.OperationName,
			VariableValues: req.Variables, Context: r.Context()})
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(res)
	}), nil
}
