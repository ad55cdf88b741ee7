package cli

import (
	"context"
	"fmt"

	"github.com/talkgraph/talkgraph/graph"
)

// emptyDBHint returns a sentence for someone whose database holds no data
// set, saying so and how to seed it, or "" when it holds one (or cannot be
// read: the caller's own error says more then). An answer from an empty
// database ("entity not found", zero counts) otherwise reads as if the data
// were wrong.
func emptyDBHint(ctx context.Context, store *graph.Store) string {
	sets, err := store.Datasets(ctx)
	if err != nil || len(sets) > 0 {
		return ""
	}
	where := "the database"
	if store.Path != "" && !store.InMemory {
		where = "the database at " + store.Path
	}
	return emptyHint(where)
}

// emptyHint says that where (a database) holds no data set and how to seed it.
func emptyHint(where string) string {
	return fmt.Sprintf("%s holds no data set: seed it first with `talkgraph seed` (the dotScale 2017 set built in) or `talkgraph seed PATH`, with the same --db, or use --in-memory", where)
}
