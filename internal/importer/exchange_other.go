//go:build !linux

package importer

import "errors"

// exchange is not available here: WriteDir falls back to two renames.
func exchange(a, b string) error { return errors.ErrUnsupported }
