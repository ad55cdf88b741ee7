package cli

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// uploadZip is a seed archive as a hostile client may write it: entries
// by name (content, or a *zip.FileHeader for a raw one), and a manifest.
type uploadZip struct {
	sets    []manifestEntry
	entries []uploadEntry
}

type uploadEntry struct {
	name    string
	data    []byte
	symlink bool
	// declared, when set, is the size the entry claims once decompressed,
	// written raw (its data is what is stored).
	declared uint64
}

func (u uploadZip) bytes(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range u.entries {
		var w io.Writer
		var err error
		switch {
		case e.declared > 0:
			w, err = zw.CreateRaw(&zip.FileHeader{Name: e.name, Method: zip.Deflate, CompressedSize64: uint64(len(e.data)), UncompressedSize64: e.declared})
		case e.symlink:
			h := &zip.FileHeader{Name: e.name, Method: zip.Store}
			h.SetMode(os.ModeSymlink | 0o777)
			w, err = zw.CreateHeader(h)
		default:
			w, err = zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Deflate})
		}
		if err == nil {
			_, err = w.Write(e.data)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if u.sets != nil {
		w, _ := zw.Create(seedManifest)
		json.NewEncoder(w).Encode(u.sets)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// deflated is n zero bytes, deflated: a zip bomb's content.
func deflated(n int) []byte {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	w.Write(make([]byte, n))
	w.Close()
	return buf.Bytes()
}

const probeSet = `nodes:
  - id: probe-tool
    kind: tool
    name: Probe Tool
edges: []
`

// TestUploadRefusesHostileArchives posts seed archives a hostile client
// could send to a running server that holds a data set "probe": each is
// refused (422 with a sentence, or 413 past the bounds, before any file is
// read), and probe keeps its node.
func TestUploadRefusesHostileArchives(t *testing.T) {
	db := filepath.Join(t.TempDir(), "db")
	t.Setenv("TALKGRAPH_WRITE_TOKEN", "s3cret")
	srv, err := startServe(t, db)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.shutdown(t)
	if _, errs, code := runOwnerCLI(t, "--db", db, "seed", writeSet(t, t.TempDir(), "probe", probeSet)); code != 0 {
		t.Fatalf("seed probe: exit %d: %s", code, errs)
	}
	probe := []manifestEntry{{Name: "probe", Display: "probe"}}
	yaml := []byte(probeSet)
	many := func(n int, name func(i int) string) []uploadEntry {
		es := make([]uploadEntry, n)
		for i := range es {
			es[i] = uploadEntry{name: name(i), data: []byte("x")}
		}
		return es
	}
	var bigTotal []uploadEntry
	for i := range 3000 { // 3000 entries of 1 MiB each, as declared: 3 GiB
		bigTotal = append(bigTotal, uploadEntry{name: fmt.Sprintf("0/f%d.yaml", i), data: deflated(1 << 10), declared: 1 << 20})
	}
	var manySets []manifestEntry
	for i := range maxZipSets + 1 {
		manySets = append(manySets, manifestEntry{Name: fmt.Sprint("s", i), Display: fmt.Sprint("s", i)})
	}
	cases := []struct {
		name string
		zip  uploadZip
		code int
		want string
	}{
		{"only a readme", uploadZip{probe, []uploadEntry{{name: "0/readme.txt", data: []byte("hi")}}}, 422, "probe holds no .yaml seed files"},
		{"no files at all", uploadZip{probe, nil}, 422, "probe holds no .yaml seed files: data set probe is left as it is"},
		{"only a directory entry", uploadZip{probe, []uploadEntry{{name: "0/"}}}, 422, "probe holds no .yaml seed files"},
		{"only a symlink", uploadZip{probe, []uploadEntry{{name: "0/nodes.yaml", data: []byte("/etc/passwd"), symlink: true}}}, 422, "not a regular file"},
		{"a name in a sub-directory", uploadZip{probe, []uploadEntry{{name: "0/sub/nodes.yaml", data: yaml}}}, 422, `"0/sub/nodes.yaml", which is neither its manifest nor a file`},
		{"a name that climbs", uploadZip{probe, []uploadEntry{{name: "0/../nodes.yaml", data: yaml}}}, 422, "which is neither its manifest"},
		{"a file of no data set", uploadZip{probe, []uploadEntry{{name: "0/nodes.yaml", data: yaml}, {name: "1/nodes.yaml", data: yaml}}}, 422, "files under 1/, and its manifest names 1 data sets"},
		{"no manifest", uploadZip{nil, []uploadEntry{{name: "0/nodes.yaml", data: yaml}}}, 422, "has no manifest.json"},
		{"not a zip", uploadZip{}, 422, "not a seed archive"},
		{"a zip bomb", uploadZip{probe, []uploadEntry{{name: "0/nodes.yaml", data: deflated(4 << 20), declared: 4 << 20}}}, 413, "expands"},
		{"too many bytes once decompressed", uploadZip{probe, bigTotal}, 413, "3000 MiB once decompressed, over the 2048 MiB"},
		{"too many files", uploadZip{probe, many(maxZipFiles+1, func(i int) string { return fmt.Sprintf("0/f%d.yaml", i) })}, 413, "20002 files, over the 20000"},
		{"too many data sets", uploadZip{manySets, many(maxZipSets+1, func(i int) string { return fmt.Sprintf("%d/f.yaml", i) })}, 413, "over 1000 data sets"},
		{"too many data sets in the manifest", uploadZip{manySets, nil}, 413, "names 1001 data sets"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body := []byte("PK not a zip")
			if c.zip.sets != nil || c.zip.entries != nil {
				body = c.zip.bytes(t)
			}
			code, msg := postUpload(t, srv.url, body)
			if code != c.code || !strings.Contains(msg, c.want) {
				t.Errorf("got %d %q, want %d and %q", code, msg, c.code, c.want)
			}
			checkProbe(t, db)
		})
	}
	t.Run("a body announced over the bound", func(t *testing.T) {
		conn, err := net.Dial("tcp", strings.TrimPrefix(srv.url, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "POST /admin/seed HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer s3cret\r\nContent-Length: %d\r\n\r\n", int64(2)<<30)
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("got %s, want 413 at once", resp.Status)
		}
	})
	t.Run("the command line refuses an empty directory as before", func(t *testing.T) {
		empty := filepath.Join(t.TempDir(), "probe")
		os.MkdirAll(empty, 0o755)
		os.WriteFile(filepath.Join(empty, "readme.txt"), []byte("hi"), 0o644)
		if _, errs, code := runOwnerCLI(t, "--db", db, "seed", empty); code != 1 || !strings.Contains(errs, "holds no .yaml seed files") {
			t.Errorf("seed: exit %d, stderr %q", code, errs)
		}
		checkProbe(t, db)
	})
}

func postUpload(t *testing.T, base string, body []byte) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+"/admin/seed", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer s3cret")
	req.Header.Set("Content-Type", "application/zip")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(msg)
}

// checkProbe asks the server for the probe data set's node.
func checkProbe(t *testing.T, db string) {
	t.Helper()
	out, errs, code := runOwnerCLI(t, "--db", db, "query", `{ node(id: "probe-tool") { name } }`)
	if code != 0 || !strings.Contains(out, "Probe Tool") {
		t.Fatalf("probe: exit %d, stdout %q, stderr %q: want its node kept", code, out, errs)
	}
}

// TestKillDuringUpload kills the server (kill -9) in the middle of an
// upload: no spool file is left in the temporary directory, where one that
// an older server left is removed when the next starts.
func TestKillDuringUpload(t *testing.T) {
	if testing.Short() {
		t.Skip("kill -9 test: not in -short")
	}
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	old := filepath.Join(tmp, "talkgraph-upload-123.zip")
	if err := os.WriteFile(old, []byte("left by a killed server"), 0o600); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "db")
	base, stop := startServeChild(t, db, "s3cret")
	defer stop()
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("a spool file left by an older server: got %v, want it removed at start-up", err)
	}
	pr, pw := io.Pipe()
	req, _ := http.NewRequest(http.MethodPost, base+"/admin/seed", pr)
	req.Header.Set("Authorization", "Bearer s3cret")
	done := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	if _, err := pw.Write(make([]byte, 1<<20)); err != nil { // the server has read it: the spool exists
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "talkgraph-upload-*")); len(left) != 0 {
		t.Errorf("during the upload: got %v in the temporary directory, want the spool file's name removed", left)
	}
	stop()
	pw.CloseWithError(io.ErrUnexpectedEOF)
	<-done
	if left, _ := filepath.Glob(filepath.Join(tmp, "talkgraph-upload-*")); len(left) != 0 {
		t.Errorf("after kill -9: got %v, want no spool file", left)
	}
}

// TestSeedThroughServerRefusesAPipe: a named pipe named .yaml in a data set
// is refused before anything is sent, as a local seed refuses it, rather
// than opened (which would wait for a writer for ever).
func TestSeedThroughServerRefusesAPipe(t *testing.T) {
	db := filepath.Join(t.TempDir(), "db")
	t.Setenv("TALKGRAPH_WRITE_TOKEN", "s3cret")
	srv, err := startServe(t, db)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.shutdown(t)
	set := writeSet(t, t.TempDir(), "probe", probeSet)
	if err := syscall.Mkfifo(filepath.Join(set, "pipe.yaml"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	_, errs, code := runOwnerCLI(t, "--db", db, "seed", set)
	if code != 1 || !strings.Contains(errs, "pipe.yaml") || !strings.Contains(errs, "not a regular file") {
		t.Fatalf("seed: exit %d, stderr %q; want 1 and the pipe named", code, errs)
	}
	out, _, _ := runOwnerCLI(t, "--db", db, "query", `{ node(id: "probe-tool") { id } }`)
	if !strings.Contains(out, `"node":null`) {
		t.Errorf("after the refusal: got %q, want nothing seeded", out)
	}
}
