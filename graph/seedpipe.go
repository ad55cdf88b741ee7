package graph

import (
	"runtime"
	"sync"
)

// nodePipe makes the records and postings of a seed's nodes on every core
// (analysing the texts was the largest part of a seed's own work after
// parsing), while the writer spools them in the order they came, so that
// node numbers, and everything else, are what one core would give.
type nodePipe struct {
	jobs  chan *prepared
	queue []*prepared // given to the workers, not yet spooled, in order
	wg    sync.WaitGroup
}

// prepared is a node as a worker made it ready (see DatasetWriter.prepare).
type prepared struct {
	n        *Node
	own      []byte // the data set's own definition, when the record is a merge
	fill     []kv
	keys     []kv
	ps       []posting
	remerged bool  // the data set defined it with others, and does again
	replaced *Node // the record it replaces, which other sets defined alone
	conflict error // its kind changes while other sets' relations point at it
	err      error
	done     chan struct{}
}

// pipeWindow bounds the nodes in flight.
const pipeWindow = 256

// put hands node n to the workers, and spools the nodes before it that
// are ready (all of them once the window is full).
func (p *nodePipe) put(w *DatasetWriter, n *Node) error {
	if p.jobs == nil {
		p.start(w)
	}
	c := *n
	job := &prepared{n: &c, done: make(chan struct{})}
	p.jobs <- job
	p.queue = append(p.queue, job)
	return p.drain(w, len(p.queue) >= pipeWindow)
}

func (p *nodePipe) start(w *DatasetWriter) {
	p.jobs = make(chan *prepared, pipeWindow)
	for range runtime.GOMAXPROCS(0) {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			txn := w.s.db.NewTransactionAt(w.old, false)
			defer txn.Discard()
			for job := range p.jobs {
				w.prepare(txn, job)
				close(job.done)
			}
		}()
	}
}

// drain spools the nodes at the head of the queue that are ready; with
// wait, it waits for the first one at least.
func (p *nodePipe) drain(w *DatasetWriter, wait bool) error {
	for len(p.queue) > 0 {
		head := p.queue[0]
		if wait {
			<-head.done
			wait = false
		} else {
			select {
			case <-head.done:
			default:
				return nil
			}
		}
		p.queue[0] = nil
		p.queue = p.queue[1:]
		if err := w.apply(head); err != nil {
			return err
		}
	}
	return nil
}

// finish spools every node given, and stops the workers.
func (p *nodePipe) finish(w *DatasetWriter) error {
	for len(p.queue) > 0 {
		if err := p.drain(w, true); err != nil {
			p.stop()
			return err
		}
	}
	p.stop()
	return nil
}

// stop stops the workers, dropping what they made.
func (p *nodePipe) stop() {
	if p.jobs != nil {
		close(p.jobs)
		p.wg.Wait()
		p.jobs = nil
	}
	p.queue = nil
}
