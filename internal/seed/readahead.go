package seed

import (
	"runtime"
	"sync"
)

// readAhead reads and parses a set's files on other cores while the
// loader checks and writes the ones before: parsing YAML was a fifth of a
// large seed's work, done twice. Files come back in order, at most window
// of them parsed ahead, so memory stays bounded by a few files.
type readAhead struct {
	order chan chan parsedFile
	stop  chan struct{}
	wg    sync.WaitGroup
}

// parsedFile is a file as a worker read it: the problems parsing found
// (added to the loader's in order), and its bytes when the set's hash
// needs them.
type parsedFile struct {
	f    *file
	c    problems
	data []byte
	read bool // data holds the file's bytes
	err  error
}

// startReadAhead starts reading the files of s; cached holds, by index,
// the files already parsed (nil for the others); withData keeps each
// file's bytes.
func (l *Loader) startReadAhead(s *Set, cached []*file, withData bool) *readAhead {
	// As many readers as cores: in the first pass the loader has little
	// to do but wait for them; in the second it shares the cores.
	workers := runtime.GOMAXPROCS(0)
	ra := &readAhead{order: make(chan chan parsedFile, 2*workers), stop: make(chan struct{})}
	type job struct {
		name string
		out  chan parsedFile
	}
	jobs := make(chan job)
	for range workers {
		ra.wg.Add(1)
		go func() {
			defer ra.wg.Done()
			for j := range jobs {
				var p parsedFile
				p.f, p.data, p.read, p.err = l.readFile(s, j.name, &p.c)
				if !withData {
					p.data, p.read = nil, false
				}
				j.out <- p
			}
		}()
	}
	ra.wg.Add(1)
	go func() {
		defer ra.wg.Done()
		defer close(jobs)
		defer close(ra.order)
		for i, name := range s.Files {
			out := make(chan parsedFile, 1)
			select {
			case ra.order <- out:
			case <-ra.stop:
				return
			}
			if f := cached[i]; f != nil {
				out <- parsedFile{f: f}
				continue
			}
			select {
			case jobs <- job{name, out}:
			case <-ra.stop:
				return
			}
		}
	}()
	return ra
}

// next returns the next file, in the set's order.
func (ra *readAhead) next() (parsedFile, bool) {
	out, ok := <-ra.order
	if !ok {
		return parsedFile{}, false
	}
	return <-out, true
}

// close stops reading and waits for the workers.
func (ra *readAhead) close() {
	close(ra.stop)
	for range ra.order { // until the files queued are let go
	}
	ra.wg.Wait()
}
