package server

import (
	"regexp"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// maxOperations bounds the operation names used as label values: names come
// from clients, and each new one would be a new time series.
const maxOperations = 200

var operationName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)

// metrics are the server's Prometheus collectors, in a registry of their own.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	busy     *prometheus.CounterVec

	mu     sync.RWMutex
	ops    map[string]bool
	series map[[3]string]series // (operation as sent, outcome, executor) -> its collectors
}

// series are the collectors of one label pair, looked up once: resolving
// label values per request (hashing, a regular expression) cost about a
// tenth of a small query's server time in a profile.
type series struct {
	count prometheus.Counter
	dur   prometheus.Observer
}

func newMetrics(st Stats) *metrics {
	m := &metrics{reg: prometheus.NewRegistry(), ops: map[string]bool{}, series: map[[3]string]series{}}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "talkgraph_graphql_requests_total",
		Help: "GraphQL requests by operation name, outcome (ok, error, rejected) and executor (compiled, graphql-go, none).",
	}, []string{"operation", "outcome", "executor"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "talkgraph_graphql_request_duration_seconds",
		Help:    "GraphQL request latency by operation name, outcome and executor.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	}, []string{"operation", "outcome", "executor"})
	m.busy = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "talkgraph_graphql_busy_total",
		Help: "GraphQL operations answered 503 because their lane (heavy, light) had no room in time.",
	}, []string{"lane"})
	m.reg.MustRegister(m.requests, m.duration, m.busy,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if st != nil {
		m.reg.MustRegister(
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "talkgraph_store_reads_total", Help: "Store reads (gets and scans) since start."},
				func() float64 { return float64(st.Reads()) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "talkgraph_db_size_bytes", Help: "On-disk size of the database."},
				func() float64 { return float64(st.Size()) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "talkgraph_seed_generation", Help: "How many seeds this process has applied."},
				func() float64 { g, _ := st.Seeded(); return float64(g) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "talkgraph_last_seed_timestamp_seconds", Help: "Unix time of the newest seed of any data set."},
				func() float64 { _, t := st.Seeded(); return float64(t.Unix()) }),
		)
	}
	return m
}

// label returns the operation's label value: its name when well formed and
// among the first maxOperations seen, else "other"; "" becomes "none".
func (m *metrics) label(op string) string {
	if op == "" {
		return "none"
	}
	if !operationName.MatchString(op) {
		return "other"
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.ops[op] {
		if len(m.ops) >= maxOperations {
			return "other"
		}
		m.ops[op] = true
	}
	return op
}

// refused counts an operation the admission refused.
func (m *metrics) refused(lane string) { m.busy.WithLabelValues(lane).Inc() }

// observe counts one request. executor is the executor that ran it
// (compiled, graphql-go), "" for none: a request refused before.
func (m *metrics) observe(op, outcome, executor string, seconds float64) {
	if executor == "" {
		executor = "none"
	}
	k := [3]string{op, outcome, executor}
	m.mu.RLock()
	s, ok := m.series[k]
	m.mu.RUnlock()
	if !ok {
		l := m.label(op)
		s = series{m.requests.WithLabelValues(l, outcome, executor), m.duration.WithLabelValues(l, outcome, executor)}
		if l != "other" { // names beyond the bound stay uncached, so the map stays bounded
			m.mu.Lock()
			m.series[k] = s
			m.mu.Unlock()
		}
	}
	s.count.Inc()
	s.dur.Observe(seconds)
}
