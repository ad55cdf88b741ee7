package graph

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
)

// The backup file: a header line, Badger's backup stream, and a trailer
// line with the SHA-256 of everything before it:
//
//	talkgraph backup 1\n
//	<Badger backup stream>
//	sha256 <64 hex digits>\n
//
// A backup written before checksums (Badger's stream alone) has no header;
// Restore accepts it, unchecked, and says so.
const backupHeader = "talkgraph backup 1\n"

const trailerLen = len("sha256 ") + sha256.Size*2 + len("\n")

// checksumWriter writes the header, passes the stream on while hashing it,
// and writes the trailer on Close.
type checksumWriter struct {
	w *bufio.Writer
	h hash.Hash
}

func newChecksumWriter(w io.Writer) (*checksumWriter, error) {
	c := &checksumWriter{w: bufio.NewWriterSize(w, 1<<16), h: sha256.New()}
	_, err := c.Write([]byte(backupHeader))
	return c, err
}

func (c *checksumWriter) Write(p []byte) (int, error) {
	c.h.Write(p)
	return c.w.Write(p)
}

// Close writes the trailer and flushes; it does not close the underlying
// writer.
func (c *checksumWriter) Close() error {
	if _, err := fmt.Fprintf(c.w, "sha256 %x\n", c.h.Sum(nil)); err != nil {
		return err
	}
	return c.w.Flush()
}

// checkedReader passes on the stream of a backup between its header and its
// trailer, hashing it; verify then compares the trailer.
type checkedReader struct {
	r   io.Reader
	h   hash.Hash
	buf []byte // read, not yet passed on: at least the trailer's bytes
	eof bool
	err error
}

// openBackup reads the header of a backup. It returns the stream to load
// and a checkedReader to verify after loading, or nil for a backup written
// before checksums.
func openBackup(r io.Reader) (io.Reader, *checkedReader, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	head, err := br.Peek(len(backupHeader))
	if err != nil && err != io.EOF {
		return nil, nil, err
	}
	if string(head) != backupHeader {
		return br, nil, nil
	}
	br.Discard(len(backupHeader))
	c := &checkedReader{r: br, h: sha256.New()}
	c.h.Write([]byte(backupHeader))
	return c, c, nil
}

func (c *checkedReader) Read(p []byte) (int, error) {
	for len(c.buf) <= trailerLen && !c.eof {
		c.fill()
	}
	n := copy(p, c.buf[:max(len(c.buf)-trailerLen, 0)])
	if n == 0 {
		if c.err != nil {
			return 0, c.err
		}
		return 0, io.EOF
	}
	c.h.Write(p[:n])
	c.buf = c.buf[n:]
	return n, nil
}

func (c *checkedReader) fill() {
	var chunk [1 << 15]byte
	n, err := c.r.Read(chunk[:])
	c.buf = append(c.buf, chunk[:n]...)
	if err != nil {
		c.eof = true
		if err != io.EOF {
			c.err = err
		}
	}
}

// verify reads what the loader left and checks the trailer. It returns
// ErrInvalid when the checksum does not match or the file ends without it.
func (c *checkedReader) verify() (string, error) {
	if _, err := io.Copy(io.Discard, c); err != nil {
		return "", err
	}
	want, ok := bytes.CutPrefix(c.buf, []byte("sha256 "))
	want, ok2 := bytes.CutSuffix(want, []byte("\n"))
	if len(c.buf) != trailerLen || !ok || !ok2 {
		return "", fmt.Errorf("%w: the backup ends without its checksum: the file was cut short or is not a talkgraph backup; use a complete copy", ErrInvalid)
	}
	got := hex.EncodeToString(c.h.Sum(nil))
	if got != string(want) {
		return "", fmt.Errorf("%w: the backup's checksum does not match its content (sha256 %s, the file says %.12s…): the file is damaged; nothing was changed, use another copy", ErrInvalid, got[:12], want)
	}
	return got, nil
}
