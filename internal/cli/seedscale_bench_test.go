//go:build unix

package cli

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/pb"
	"github.com/dgraph-io/ristretto/v2/z"

	"github.com/talkgraph/talkgraph/internal/benchdata"
)

// BenchmarkSeedScale measures how a seed's cost grows with the data set:
// for each size, `talkgraph seed` of the synthetic set into a new database,
// as a child process (its wall time, peak RSS and the peak of its
// anonymous part), and, as the baseline of the same run, raw Badger writes
// of the very keys and values that seed wrote, read back from the database
// it made into a flat file first (not timed), then written in key order
// into a new database by a child process: with Badger's StreamWriter
// (tables written directly, the floor of a load) and with a WriteBatch
// (through the log and the memtables). Sizes as the other benchmarks
// (TALKGRAPH_BENCH_TALKS); a million talks is opt-in (a 2.8 GB data set).
func BenchmarkSeedScale(b *testing.B) {
	for _, n := range benchdata.Talks(b) {
		b.Run(fmt.Sprintf("talks=%d", n), func(b *testing.B) {
			data := benchdata.Dataset(b, n)
			var seedRun, stream, batch childRun
			keys := 0
			for b.Loop() {
				b.StopTimer()
				root, err := os.MkdirTemp(os.TempDir(), "talkgraph-scalebench-*")
				if err != nil {
					b.Fatal(err)
				}
				db := filepath.Join(root, "db")
				seedRun = runChild(b, child("--db", db, "seed", data))
				keys = seededKeys(b, seedRun.out)
				flat := filepath.Join(root, "keys")
				if err := dumpFlat(db, flat); err != nil {
					b.Fatal(err)
				}
				os.RemoveAll(db)
				stream = runChild(b, rawChild("stream", flat, filepath.Join(root, "stream")))
				batch = runChild(b, rawChild("batch", flat, filepath.Join(root, "batch")))
				os.RemoveAll(root)
				b.StartTimer()
			}
			b.ReportMetric(seedRun.took.Seconds(), "seed-s")
			b.ReportMetric(float64(seedRun.rss)/(1<<20), "seed-MiB-rss")
			b.ReportMetric(float64(seedRun.anon)/(1<<20), "seed-MiB-anon")
			b.ReportMetric(stream.took.Seconds(), "stream-s")
			b.ReportMetric(float64(stream.rss)/(1<<20), "stream-MiB-rss")
			b.ReportMetric(batch.took.Seconds(), "batch-s")
			b.ReportMetric(float64(batch.rss)/(1<<20), "batch-MiB-rss")
			b.ReportMetric(float64(keys), "keys")
			b.ReportMetric(seedRun.took.Seconds()/stream.took.Seconds(), "x-stream")
			b.ReportMetric(seedRun.took.Seconds()/batch.took.Seconds(), "x-batch")
		})
	}
}

// childRun is what a child process took: wall time, peak RSS, peak
// anonymous RSS, and its output.
type childRun struct {
	took      time.Duration
	rss, anon int64
	out       []byte
}

func runChild(b *testing.B, cmd *exec.Cmd) childRun {
	b.Helper()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	anon := pollAnonRSS(cmd.Process.Pid)
	err := cmd.Wait()
	r := childRun{took: time.Since(start), rss: benchMaxRSS(cmd.ProcessState), anon: <-anon, out: out.Bytes()}
	if err != nil {
		b.Fatalf("%v: %v: %s", cmd.Args, err, out.Bytes())
	}
	return r
}

var keysLine = regexp.MustCompile(`\((\d+) keys\)`)

func seededKeys(b *testing.B, out []byte) int {
	m := keysLine.FindSubmatch(out)
	if m == nil {
		b.Fatalf("seed: no key count in %q", out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// rawChild is a child process writing the flat file's keys into a new
// database at dst, by mode ("stream" or "batch"): see rawWriteMain.
func rawChild(mode, flat, dst string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], flat, dst)
	cmd.Env = append(os.Environ(), "TALKGRAPH_TEST_RAW="+mode)
	return cmd
}

// dumpFlat writes every key of the talkgraph database at dir, at its newest
// version, with its value, in key order, to a flat file: a uvarint length
// before each key and each value.
func dumpFlat(dir, name string) error {
	db, err := badger.OpenManaged(badger.DefaultOptions(dir).WithLogger(nil).WithReadOnly(true))
	if err != nil {
		return err
	}
	defer db.Close()
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	txn := db.NewTransactionAt(math.MaxUint64, false)
	defer txn.Discard()
	it := txn.NewIterator(badger.DefaultIteratorOptions)
	defer it.Close()
	var buf []byte
	for it.Rewind(); it.Valid(); it.Next() {
		v, err := it.Item().ValueCopy(nil)
		if err != nil {
			return err
		}
		k := it.Item().Key()
		buf = binary.AppendUvarint(buf[:0], uint64(len(k)))
		buf = append(buf, k...)
		buf = binary.AppendUvarint(buf, uint64(len(v)))
		buf = append(buf, v...)
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

func init() { rawWriteHook = rawWriteMain }

// rawWriteMain is the raw writer's process: it writes the keys of the flat
// file at args[0] into a new database at args[1], with the store's table
// and memtable sizes, by StreamWriter or WriteBatch, and syncs.
func rawWriteMain(mode string, args []string) int {
	if err := rawWrite(mode, args[0], args[1]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

func rawWrite(mode, flat, dst string) error {
	opts := badger.DefaultOptions(dst).WithLogger(nil).WithMemTableSize(16 << 20).WithNumMemtables(3).
		WithBlockCacheSize(16 << 20).WithNumCompactors(2).WithDetectConflicts(false).WithBaseTableSize(512 << 10)
	opts.TableSizeMultiplier = 1
	db, err := badger.OpenManaged(opts)
	if err != nil {
		return err
	}
	defer db.Close()
	f, err := os.Open(flat)
	if err != nil {
		return err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	read := func() ([]byte, error) {
		n, err := binary.ReadUvarint(r)
		if err != nil {
			return nil, err
		}
		b := make([]byte, n)
		_, err = io.ReadFull(r, b)
		return b, err
	}
	var put func(k, v []byte) error
	var done func() error
	switch mode {
	case "stream":
		sw := db.NewStreamWriter()
		if err := sw.Prepare(); err != nil {
			return err
		}
		buf := z.NewBuffer(8<<20, "rawbench")
		defer buf.Release()
		put = func(k, v []byte) error {
			badger.KVToBuffer(&pb.KV{Key: k, Value: v, Version: 1}, buf)
			if buf.LenNoPadding() < 4<<20 {
				return nil
			}
			err := sw.Write(buf)
			buf.Reset()
			return err
		}
		done = func() error {
			if err := sw.Write(buf); err != nil {
				return err
			}
			return sw.Flush()
		}
	case "batch":
		wb := db.NewWriteBatchAt(1)
		wb.SetMaxPendingTxns(4)
		defer wb.Cancel()
		put, done = wb.Set, wb.Flush
	default:
		return fmt.Errorf("raw write: mode %q", mode)
	}
	for {
		k, err := read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		v, err := read()
		if err != nil {
			return err
		}
		if err := put(k, v); err != nil {
			return err
		}
	}
	if err := done(); err != nil {
		return err
	}
	return db.Sync()
}
