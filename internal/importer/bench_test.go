package importer_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/talkgraph/talkgraph/graph"
	"github.com/talkgraph/talkgraph/internal/benchdata"
	"github.com/talkgraph/talkgraph/internal/importer"
	"github.com/talkgraph/talkgraph/internal/seed"
	"github.com/talkgraph/talkgraph/internal/textindex"
)

var words = strings.Fields(`stream log database replication cluster latency kernel compiler garbage
collector scheduler network protocol storage index query cache consensus raft paxos container
runtime memory thread lock queue service mesh proxy observability tracing metric alert deploy`)

// programme returns a frab schedule XML of n events over three days and
// five rooms, each with an HTML abstract and one or two of n/3 speakers,
// the same for the same n.
func programme(n int) []byte {
	r := rand.New(rand.NewPCG(uint64(n), 11))
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?>` + "\n<schedule><version>1</version><conference><acronym>gen</acronym><title>Generated Conf</title>" +
		"<start>2025-01-01</start><end>2025-01-03</end><time_zone_name>Europe/Berlin</time_zone_name></conference>\n")
	text := func(k int) string {
		ws := make([]string, k)
		for i := range ws {
			ws[i] = words[r.IntN(len(words))]
		}
		return strings.Join(ws, " ")
	}
	for day := 0; day < 3; day++ {
		fmt.Fprintf(&b, "<day index=\"%d\" date=\"2025-01-0%d\">\n", day+1, day+1)
		for room := 0; room < 5; room++ {
			fmt.Fprintf(&b, "<room name=\"Room %d\">\n", room)
			for i := day*5 + room; i < n; i += 15 {
				fmt.Fprintf(&b, "<event id=\"%d\"><date>2025-01-0%dT%02d:00:00+01:00</date><start>%02d:00</start><duration>00:45</duration>"+
					"<title>%s</title><track>Track %d</track><type>lecture</type><language>en</language>"+
					"<abstract>&lt;p&gt;%s&lt;/p&gt;</abstract><persons><person>Speaker %d</person><person>Speaker %d</person></persons></event>\n",
					i, day+1, 9+i%9, 9+i%9, text(5), room, text(60), r.IntN(n/3+1), r.IntN(n/3+1))
			}
			b.WriteString("</room>\n")
		}
		b.WriteString("</day>\n")
	}
	b.WriteString("</schedule>\n")
	return []byte(b.String())
}

// BenchmarkImportSeed imports a generated frab XML programme of N events
// (benchdata.Talks: TALKGRAPH_BENCH_TALKS, default 1000) into seed files
// and seeds them into a new database. The baseline, measured in the same
// iteration, is the seed of those files alone: x-seed is import+seed time
// over seed time. Only import+seed counts in ns/op.
func BenchmarkImportSeed(b *testing.B) {
	for _, n := range benchdata.Talks(b) {
		b.Run(fmt.Sprintf("events=%d", n), func(b *testing.B) {
			data := programme(n)
			var imp, sd time.Duration
			for b.Loop() {
				b.StopTimer()
				out := filepath.Join(b.TempDir(), "gen-2025")
				s := graph.NewStore(b.TempDir())
				s.Analyzer = textindex.MustNew()
				if err := s.Open(); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				t0 := time.Now()
				files, _, err := importer.Import(context.Background(), []importer.Input{{Name: "schedule.xml", Data: data}}, "", "gen-2025", importer.Options{})
				if err == nil {
					err = importer.WriteDir(context.Background(), out, files)
				}
				if err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				sets, err := seed.Discover(os.DirFS(out), ".", out)
				if err == nil {
					_, err = seed.NewLoader(s).Seed(context.Background(), sets)
				}
				if err != nil {
					b.Fatal(err)
				}
				imp, sd = imp+t1.Sub(t0), sd+time.Since(t1)
				b.StopTimer()
				s.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(imp.Nanoseconds())/float64(b.N), "import-ns/op")
			b.ReportMetric(float64(sd.Nanoseconds())/float64(b.N), "seed-ns/op")
			b.ReportMetric(float64(imp+sd)/float64(sd), "x-seed")
			b.ReportMetric(float64(n)*float64(b.N)/(imp+sd).Seconds(), "events/s")
		})
	}
}
