package graph

import "slices"

// cowBits sets the chunk size of a cow: 1024 entries.
const cowBits = 10

// cow is a vector in chunks that an index derived from another shares with
// it: a patch copies only the chunks it writes (copy on write), so the
// tables of 100 000 talks are not copied for a write that changes ten
// entries. The zero cow is empty.
type cow[T any] struct {
	chunks [][]T
	owned  map[int]bool // chunks this vector may write in place
}

// cowOf returns a cow holding s, cut into chunks that share s.
func cowOf[T any](s []T) cow[T] {
	var v cow[T]
	for i := 0; i < len(s); i += 1 << cowBits {
		j := min(len(s), i+1<<cowBits)
		v.chunks = append(v.chunks, s[i:j:j])
	}
	return v
}

// fork returns a vector holding what v holds, sharing its chunks, that can
// be written without changing v.
func (v *cow[T]) fork() cow[T] {
	return cow[T]{chunks: slices.Clone(v.chunks), owned: map[int]bool{}}
}

// Len returns the number of entries.
func (v *cow[T]) Len() int {
	if len(v.chunks) == 0 {
		return 0
	}
	return (len(v.chunks)-1)<<cowBits + len(v.chunks[len(v.chunks)-1])
}

// at returns entry n, the zero value when there is none.
func (v *cow[T]) at(n int32) T {
	var zero T
	c := int(n >> cowBits)
	if n < 0 || c >= len(v.chunks) {
		return zero
	}
	if i := int(n & (1<<cowBits - 1)); i < len(v.chunks[c]) {
		return v.chunks[c][i]
	}
	return zero
}

// own makes chunk c writable in place, copying it if it is shared.
func (v *cow[T]) own(c int) []T {
	if !v.owned[c] {
		v.chunks[c] = append(make([]T, 0, 1<<cowBits), v.chunks[c]...)
		v.owned[c] = true
	}
	return v.chunks[c]
}

// set writes entry n (< Len()).
func (v *cow[T]) set(n int32, x T) {
	v.own(int(n >> cowBits))[n&(1<<cowBits-1)] = x
}

// push appends x.
func (v *cow[T]) push(x T) {
	if v.owned == nil {
		v.owned = map[int]bool{}
	}
	last := len(v.chunks) - 1
	if last < 0 || len(v.chunks[last]) == 1<<cowBits {
		v.chunks = append(v.chunks, make([]T, 0, 1<<cowBits))
		v.owned[last+1] = true
		last++
	}
	v.chunks[last] = append(v.own(last), x)
}
