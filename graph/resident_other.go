//go:build !linux

package graph

// residentTables does nothing where the mappings cannot be listed.
type residentTables struct{}

func newResidentTables(string) *residentTables { return &residentTables{} }

func (*residentTables) drop() {}
