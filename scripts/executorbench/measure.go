package main

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sync"
	"time"
)

// questionResult is what one question measured.
type questionResult struct {
	q          question
	throughput map[string][]float64 // by server, one per round
	serverCPU  map[string][]float64 // µs of the server's CPU per request, by server, one per round
	wrkCPU     map[string][]float64 // µs of wrk's CPU per request
	rate       int                  // the fixed offered load, requests/s
	latency    map[string][]latency // by server, one per round
}

type latency struct {
	p50, p99 time.Duration
	achieved float64        // requests/s completed
	failed   int            // requests not answered 200
	why      map[string]int // the failures by status ("503") or error
}

// measure runs q's rounds: wrk against each server, then the fixed load.
func measure(o options, q question, servers map[string]*server, dir string) (*questionResult, error) {
	res := &questionResult{q: q, throughput: map[string][]float64{}, latency: map[string][]latency{},
		serverCPU: map[string][]float64{}, wrkCPU: map[string][]float64{}}
	for _, name := range q.servers {
		out, err := post(http.DefaultClient, servers[name].url, bodyFor(q, name))
		if err != nil {
			return nil, err
		}
		if name != fixed && name != hello && !bytes.HasPrefix(out, []byte(q.want)) {
			return nil, fmt.Errorf("%s answered %.300s, want %s…", name, out, q.want)
		}
		// warm: the document cache, the talk index, the heap
		if _, err := wrk(o, servers[name], bodyFor(q, name), dir, 2*time.Second); err != nil {
			return nil, err
		}
	}
	for round := range o.rounds {
		for i := range q.servers {
			name := q.servers[(i+round)%len(q.servers)]
			w, err := wrk(o, servers[name], bodyFor(q, name), dir, o.duration)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			fmt.Printf("%s round %d %-22s %9.0f req/s, CPU per request: server %v, wrk %v\n", q.name, round+1, name, w.rps, w.serverCPU, w.wrkCPU)
			res.throughput[name] = append(res.throughput[name], w.rps)
			res.serverCPU[name] = append(res.serverCPU[name], micros(w.serverCPU))
			res.wrkCPU[name] = append(res.wrkCPU[name], micros(w.wrkCPU))
		}
	}
	slowest := math.Inf(1)
	for _, name := range q.servers {
		slowest = min(slowest, median(res.throughput[name]))
	}
	res.rate = max(100, int(slowest/2/100)*100)
	for round := range o.rounds {
		for i := range q.servers {
			name := q.servers[(i+round)%len(q.servers)]
			l := openLoop(servers[name].url, bodyFor(q, name), res.rate, o.latencyTime)
			fmt.Printf("%s round %d %-22s %d req/s offered: p50 %v p99 %v\n", q.name, round+1, name, res.rate, l.p50, l.p99)
			res.latency[name] = append(res.latency[name], l)
		}
	}
	return res, nil
}

// openLoop posts body to url at rate requests per second for d, each
// request sent when it is due whatever the earlier ones do (at most 256
// waiting), and measures each latency from the time it was due: a server
// that falls behind shows it in the latencies, not in a slower client.
func openLoop(url, body string, rate int, d time.Duration) latency {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256, DisableCompression: true}}
	defer client.CloseIdleConnections()
	n := int(d.Seconds() * float64(rate))
	interval := time.Second / time.Duration(rate)
	lat := make([]time.Duration, n)
	failed := make([]error, n)
	slots := make(chan struct{}, 256)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range n {
		due := start.Add(time.Duration(i) * interval)
		if wait := time.Until(due); wait > 0 {
			time.Sleep(wait)
		}
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			_, err := post(client, url, body)
			lat[i], failed[i] = time.Since(due), err
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	out := latency{achieved: float64(n) / elapsed.Seconds(), why: map[string]int{}}
	for _, err := range failed {
		if err != nil {
			out.failed++
			out.why[failure(err)]++
		}
	}
	slices.Sort(lat)
	out.p50, out.p99 = percentile(lat, 50), percentile(lat, 99)
	return out
}

var statusIn = regexp.MustCompile(`: status (\d+):`)

// failure names what err was: the status a server answered, or the error
// (a time-out, a refused connection) without the URL.
func failure(err error) string {
	if m := statusIn.FindStringSubmatch(err.Error()); m != nil {
		return m[1]
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

// percentile is the p-th percentile (nearest rank) of sorted.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p/100*float64(len(sorted)))) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func micros(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
