// SPDX-License-Identifier: MIT
// gobench.exe: the Go side of bench/run.sh's real-program workloads, built
// for windows/amd64 with Debian's golang-go (bench/module.mk). Standard
// library only; every socket is Go's own (completion port, CancelIoEx).
//
// Usage:
//
//	gobench.exe echo MIB   a TCP echo over 127.0.0.1 in one process: MIB MiB
//	                       sent in 64 KiB writes, echoed by a server goroutine
//	                       (io.Copy), read back; prints
//	                       "goecho_mib_per_s RATE", timed from the first write
//	                       to the last byte read back
//	gobench.exe http       an HTTP server on 127.0.0.1, port chosen by the
//	                       system; prints "listening PORT", answers GET / with
//	                       a 128-byte body, and GET /quit by ending the program
//
// Exit code 0, or 1 with a message when anything fails (a short echo is a
// failure: a broken path must not pass as a fast one).
package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"
)

const chunk = 64 << 10

func echo(mib int64) error {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer ln.Close()
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		io.Copy(conn, conn)
	}()
	conn, err := net.Dial("tcp4", ln.Addr().String())
	if err != nil {
		return err
	}
	defer conn.Close()
	total := mib << 20
	start := time.Now()
	sent := make(chan error, 1)
	go func() {
		buf := bytes.Repeat([]byte{'e'}, chunk)
		for left := total; left > 0; left -= chunk {
			if _, err := conn.Write(buf[:min(left, chunk)]); err != nil {
				sent <- err
				return
			}
		}
		sent <- conn.(*net.TCPConn).CloseWrite()
	}()
	n, err := io.Copy(io.Discard, conn)
	seconds := time.Since(start).Seconds()
	if err != nil {
		return fmt.Errorf("reading the echo: %v after %d bytes", err, n)
	}
	if err := <-sent; err != nil {
		return fmt.Errorf("sending: %v", err)
	}
	if n != total {
		return fmt.Errorf("echoed %d bytes of %d", n, total)
	}
	fmt.Printf("goecho_mib_per_s %.1f\n", float64(mib)/seconds)
	return nil
}

func min(a, b int64) int64 {
	if a < b {
		return a
	}
	return b
}

func serve() error {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return err
	}
	body := bytes.Repeat([]byte{'g'}, 128)
	quit := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write(body)
	})
	mux.HandleFunc("/quit", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("bye\n"))
		close(quit)
	})
	server := &http.Server{Handler: mux}
	served := make(chan error, 1)
	go func() { served <- server.Serve(ln) }()
	fmt.Printf("listening %d\n", ln.Addr().(*net.TCPAddr).Port)
	select {
	case err := <-served:
		return err
	case <-quit:
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return server.Shutdown(ctx)
}

func main() {
	var err error
	switch {
	case len(os.Args) == 3 && os.Args[1] == "echo":
		var mib int64
		mib, err = strconv.ParseInt(os.Args[2], 10, 64)
		if err == nil && mib <= 0 {
			err = fmt.Errorf("MIB must be positive")
		}
		if err == nil {
			err = echo(mib)
		}
	case len(os.Args) == 2 && os.Args[1] == "http":
		err = serve()
	default:
		err = fmt.Errorf("usage: gobench.exe echo MIB | gobench.exe http")
	}
	if err != nil {
		fmt.Println("gobench:", err)
		os.Exit(1)
	}
}
