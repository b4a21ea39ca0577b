// SPDX-License-Identifier: MIT
// A 64 MiB TCP echo over 127.0.0.1 and ::1: the client sends reproducible
// bytes and checks what comes back by count and SHA-256.
package main

import (
	"fmt"
	"io"
	"net"
	"time"

	"lspkit/test/go/internal/suite"
)

const echoBytes = 64 << 20

func serveOne(ln net.Listener) {
	conn, err := ln.Accept()
	if err != nil {
		return
	}
	defer conn.Close()
	io.Copy(conn, conn)
}

func echo(network, address string) error {
	ln, err := net.Listen(network, address)
	if err != nil {
		return err
	}
	defer ln.Close()
	go serveOne(ln)
	conn, err := net.DialTimeout(network, ln.Addr().String(), 10*time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	sent := make(chan error, 1)
	go func() {
		_, err := io.Copy(conn, suite.Data(echoBytes, echoBytes))
		if err == nil {
			err = conn.(*net.TCPConn).CloseWrite()
		}
		sent <- err
	}()
	got, n, err := suite.Sum(conn)
	if err != nil {
		return fmt.Errorf("receiving: %v after %d bytes", err, n)
	}
	if err := <-sent; err != nil {
		return fmt.Errorf("sending: %v", err)
	}
	want, _, _ := suite.Sum(suite.Data(echoBytes, echoBytes))
	if n != echoBytes || got != want {
		return fmt.Errorf("echoed %d bytes of %d, sha256 %x, sent %x", n, echoBytes, got, want)
	}
	return nil
}

func main() {
	s := suite.New("go_tcpecho")
	s.Run("64 MiB echo over IPv4, sha256", 60*time.Second,
		func() error { return echo("tcp4", "127.0.0.1:0") })
	s.Run("64 MiB echo over IPv6, sha256", 60*time.Second,
		func() error { return echo("tcp6", "[::1]:0") })
	s.Finish()
}
