// SPDX-License-Identifier: MIT
// An HTTP server and its client in one process over 127.0.0.1: GETs of
// known bodies, then a 16 MiB POST, every body checked by SHA-256 on the
// side that receives it.
package main

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
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

func getAll(client *http.Client, base string) error {
	for n := 0; n < gets; n++ {
		resp, err := client.Get(fmt.Sprintf("%s/data?n=%d", base, n))
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

func post(client *http.Client, base string) error {
	want, _, _ := suite.Sum(suite.Data(postSeed, postBytes))
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
	client := &http.Client{Timeout: 30 * time.Second}

	s.Run(fmt.Sprintf("%d GETs checked by sha256", gets), 40*time.Second,
		func() error { return getAll(client, base) })
	s.Run("16 MiB POST checked by sha256", 40*time.Second,
		func() error { return post(client, base) })
	s.Finish()
}
