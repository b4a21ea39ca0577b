// SPDX-License-Identifier: MIT
// An HTTP server and its client in one process over 127.0.0.1: GETs of
// known bodies, then a 16 MiB POST, every body checked by SHA-256 on the
// side that receives it.
//
// Usage: go_http.exe [-expect FILE]
// -expect FILE writes what a capture of this process must show, for
// test/go_capture.sh: a line "request METHOD URI" per request, and a line
// "conn PORT SENT RECEIVED" per connection of the client, in the order it
// made them (its port, the bytes it sent and received).
package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"lspkit/test/go/internal/suite"
)

const (
	gets      = 20
	postBytes = 16 << 20
	postSeed  = 16
)

// body serves GET /data?n=N: N*1000+1 reproducible bytes, their SHA-256 in
// X-Sha256.
func body(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.URL.Query().Get("n"))
	if err != nil || n < 0 {
		http.Error(w, "bad n", http.StatusBadRequest)
		return
	}
	size := int64(n*1000 + 1)
	sum, _, _ := suite.Sum(suite.Data(int64(n), size))
	w.Header().Set("X-Sha256", hex.EncodeToString(sum[:]))
	w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
	io.Copy(w, suite.Data(int64(n), size))
}

// upload answers POST /upload with the byte count and SHA-256 it received.
func upload(w http.ResponseWriter, r *http.Request) {
	sum, n, err := suite.Sum(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	fmt.Fprintf(w, "%d %s", n, hex.EncodeToString(sum[:]))
}

// counted is a connection of the client that counts the bytes it carries.
type counted struct {
	net.Conn
	sent, received atomic.Int64
}

func (c *counted) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	c.received.Add(int64(n))
	return n, err
}

func (c *counted) Write(b []byte) (int, error) {
	n, err := c.Conn.Write(b)
	c.sent.Add(int64(n))
	return n, err
}

// record is what the client did: its requests and its connections, in order.
type record struct {
	mu       sync.Mutex
	requests []string
	conns    []*counted
}

func (r *record) request(method, uri string) {
	r.mu.Lock()
	r.requests = append(r.requests, method+" "+uri)
	r.mu.Unlock()
}

func (r *record) dial(ctx context.Context, network, address string) (net.Conn, error) {
	conn, err := (&net.Dialer{Timeout: 10 * time.Second}).DialContext(ctx, network, address)
	if err != nil {
		return nil, err
	}
	c := &counted{Conn: conn}
	r.mu.Lock()
	r.conns = append(r.conns, c)
	r.mu.Unlock()
	return c, nil
}

// write writes the -expect file; the client's connections must be closed.
func (r *record) write(name string) error {
	var b strings.Builder
	for _, req := range r.requests {
		fmt.Fprintf(&b, "request %s\n", req)
	}
	for _, c := range r.conns {
		fmt.Fprintf(&b, "conn %d %d %d\n", c.LocalAddr().(*net.TCPAddr).Port,
			c.sent.Load(), c.received.Load())
	}
	return os.WriteFile(name, []byte(b.String()), 0o644)
}

func getAll(client *http.Client, rec *record, base string) error {
	for n := 0; n < gets; n++ {
		uri := fmt.Sprintf("/data?n=%d", n)
		rec.request("GET", uri)
		resp, err := client.Get(base + uri)
		if err != nil {
			return err
		}
		sum, size, err := suite.Sum(resp.Body)
		resp.Body.Close()
		if err != nil {
			return fmt.Errorf("GET %d: %v after %d bytes", n, err, size)
		}
		if got := hex.EncodeToString(sum[:]); got != resp.Header.Get("X-Sha256") ||
			size != int64(n*1000+1) {
			return fmt.Errorf("GET %d: %d bytes, sha256 %s, sent as %s", n, size, got,
				resp.Header.Get("X-Sha256"))
		}
	}
	return nil
}

func post(client *http.Client, rec *record, base string) error {
	want, _, _ := suite.Sum(suite.Data(postSeed, postBytes))
	rec.request("POST", "/upload")
	resp, err := client.Post(base+"/upload", "application/octet-stream",
		suite.Data(postSeed, postBytes))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	expected := fmt.Sprintf("%d %s", postBytes, hex.EncodeToString(want[:]))
	if !bytes.Equal(answer, []byte(expected)) {
		return fmt.Errorf("server received %q, sent %q", answer, expected)
	}
	return nil
}

func main() {
	expect := flag.String("expect", "", "write what a capture must show to this file")
	flag.Parse()
	s := suite.New("go_http")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("FAIL listen:", err)
		s.Finish()
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/data", body)
	mux.HandleFunc("/upload", upload)
	go http.Serve(ln, mux)
	base := "http://" + ln.Addr().String()
	rec := &record{}
	transport := &http.Transport{DialContext: rec.dial}
	client := &http.Client{Transport: transport, Timeout: 30 * time.Second}

	s.Run(fmt.Sprintf("%d GETs checked by sha256", gets), 40*time.Second,
		func() error { return getAll(client, rec, base) })
	s.Run("16 MiB POST checked by sha256", 40*time.Second,
		func() error { return post(client, rec, base) })
	transport.CloseIdleConnections()
	if *expect != "" {
		if err := rec.write(*expect); err != nil {
			fmt.Println("FAIL -expect:", err)
			os.Exit(1)
		}
	}
	s.Finish()
}
