package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/executor"
	"github.com/talkgraph/talkgraph/internal/guard"
	"github.com/talkgraph/talkgraph/internal/lexicon"
	"github.com/talkgraph/talkgraph/schema"
)

type queryOptions struct {
	IO        *IO
	Query     string
	File      string
	Vars      []string
	Operation string
	Server    string
	Pretty    bool
	// Human prints errors for people (a syntax error's caret under its
	// line) on IO.Err and the data as indented JSON; else the whole answer
	// is JSON on IO.Out.
	Human bool
	Store func(context.Context) (*graph.Store, error)
}

func newQueryCmd(g *globals, runF func(context.Context, *queryOptions) error) *cobra.Command {
	opts := &queryOptions{IO: g.IO}
	cmd := &cobra.Command{
		Use:   "query [GRAPHQL]",
		Short: "Run a GraphQL query and print the JSON result",
		Long: `Run a GraphQL query over the local database (or, with --server, over a
running talkgraph server) and print the result as JSON. The exit status is
1 when the result holds errors.`,
		Example: `  talkgraph query '{ talks(mentioning: "automation") { title speakers { name } } }'
  talkgraph query --file q.graphql --var name=Kafka
  talkgraph query --server http://127.0.0.1:8080 '{ search(text: "automatisation") { node { name } } }'`,
		Args: argsCheck(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Query = args[0]
			}
			if (opts.Query == "") == (opts.File == "") {
				return flagError{fmt.Errorf("give the query either as an argument or with --file")}
			}
			terminal := isTerminalWriter(opts.IO.Out)
			if !cmd.Flags().Changed("pretty") {
				opts.Pretty = terminal
			}
			if json, _ := cmd.Flags().GetBool("json"); terminal && !json {
				opts.Human = true
			}
			opts.Store = g.openReadStore
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return queryRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVarP(&opts.File, "file", "f", "", "read the query from `FILE` (- for standard input)")
	cmd.Flags().StringArrayVar(&opts.Vars, "var", nil, "a variable as `name=value`; the value is JSON when it parses as JSON, else a string")
	cmd.Flags().StringVar(&opts.Operation, "operation", "", "the operation to run when the document has several")
	cmd.Flags().StringVar(&opts.Server, "server", "", "query a running server at `URL` instead of the local database")
	cmd.Flags().BoolVar(&opts.Pretty, "pretty", false, "indent the JSON (default when printing to a terminal)")
	cmd.Flags().Bool("json", false, "print the whole answer as JSON even on a terminal (where errors are otherwise written for people)")
	return cmd
}

func isTerminalWriter(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isTerminal(f)
}

func queryRun(ctx context.Context, opts *queryOptions) error {
	q, vars, err := opts.request()
	if err != nil {
		return err
	}
	var body []byte
	if opts.Server != "" {
		body, err = postQuery(ctx, opts.Server, q, opts.Operation, vars)
	} else {
		body, err = localQuery(ctx, opts, q, vars)
	}
	if err != nil {
		return err
	}
	var res result
	if err := json.Unmarshal(body, &res); err != nil {
		return fmt.Errorf("the answer is not a GraphQL response: %w", err)
	}
	if opts.Human {
		err = printHuman(opts.IO, q, res)
	} else {
		err = printJSON(opts.IO.Out, body, opts.Pretty)
	}
	if err != nil {
		return err
	}
	if len(res.Errors) > 0 {
		return exitError{1}
	}
	return nil
}

func (opts *queryOptions) request() (string, map[string]any, error) {
	q := opts.Query
	if opts.File != "" {
		var b []byte
		var err error
		if opts.File == "-" {
			b, err = io.ReadAll(opts.IO.In)
		} else {
			b, err = os.ReadFile(opts.File)
		}
		if err != nil {
			return "", nil, fmt.Errorf("read query: %w", err)
		}
		q = string(b)
	}
	vars := map[string]any{}
	for _, v := range opts.Vars {
		name, value, ok := strings.Cut(v, "=")
		if !ok || name == "" {
			return "", nil, flagError{fmt.Errorf("--var %q: write it as name=value", v)}
		}
		var parsed any
		if err := json.Unmarshal([]byte(value), &parsed); err != nil {
			parsed = value
		}
		vars[name] = parsed
	}
	return q, vars, nil
}

func localQuery(ctx context.Context, opts *queryOptions, q string, vars map[string]any) ([]byte, error) {
	store, err := opts.Store(ctx)
	if rec := served(err); rec != nil {
		return postQuery(ctx, rec.URL, q, opts.Operation, vars)
	}
	if err != nil {
		return nil, err
	}
	defer store.Close()
	lex := lexicon.New(store, nil)
	defer lex.Close()
	s, err := schema.New(store, nil, schema.WithDictionary(lex.For))
	if err != nil {
		return nil, err
	}
	// The server's executor and guard: the same answer, the same refusals.
	e := &executor.Executor{Schema: &s.GraphQL, Begin: s.Begin, Guard: guard.Guard{Limits: guard.Default(), Sizes: s}, CacheSize: -1,
		Logger: slog.New(slog.NewTextHandler(opts.IO.Err, nil))}
	res := e.Do(ctx, executor.Request{Query: q, OperationName: opts.Operation, Variables: vars})
	if len(res.Errors) > 0 {
		// "entity not found" from an empty database reads as if the data
		// were wrong: say what is.
		if hint := emptyDBHint(ctx, store); hint != "" {
			fmt.Fprintf(opts.IO.Err, "note: %s\n", hint)
		}
	}
	return res.AppendJSON(nil)
}

func postQuery(ctx context.Context, server, q, op string, vars map[string]any) ([]byte, error) {
	u, err := url.Parse(server)
	if err != nil || u.Host == "" {
		return nil, flagError{fmt.Errorf("--server %q is not a URL: write it as http://host:port", server)}
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = "/graphql"
	}
	body, _ := json.Marshal(map[string]any{"query": q, "operationName": op, "variables": vars})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/graphql-response+json, application/json")
	resp, err := exchange(req)
	if err != nil {
		return nil, unreachable(u, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("query %s: %w", u, err)
	}
	if !strings.Contains(resp.Header.Get("Content-Type"), "json") {
		return nil, fmt.Errorf("query %s: %s answered %s with no JSON", u, resp.Status, resp.Header.Get("Content-Type"))
	}
	return out, nil
}

func printJSON(w io.Writer, body []byte, pretty bool) error {
	var buf bytes.Buffer
	var err error
	if pretty {
		err = json.Indent(&buf, body, "", "  ")
	} else {
		err = json.Compact(&buf, body)
	}
	if err != nil {
		return fmt.Errorf("the answer is not JSON: %w", err)
	}
	buf.WriteByte('\n')
	_, err = w.Write(buf.Bytes())
	return err
}
