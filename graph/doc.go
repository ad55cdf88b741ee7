// Package graph is talkgraph's data model and its store: talks, people,
// companies, tools, concepts and sources as nodes, typed relations between
// them each with its evidence, in an embedded Badger database.
//
// The key layout is documented in one place, keys.go. Readers take a Tx
// (Store.Begin, Store.View), a consistent view of one published version;
// writers go through a DatasetWriter (a whole data set at a time, see seed.go) or a
// Mutation (Store.Mutate, a small edit); both publish atomically (see
// version.go). Errors wrap the sentinels of errors.go, which the HTTP and
// command-line layers map to statuses and codes. It imports only the
// standard library and Badger.
package graph
