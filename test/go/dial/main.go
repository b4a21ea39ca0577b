// SPDX-License-Identifier: MIT
// net.Dial with a timeout to a loopback port where nothing listens, over
// IPv4 and IPv6: it must fail, and not by running out its time.
package main

import (
	"fmt"
	"net"
	"time"

	"lspkit/test/go/internal/suite"
)

// unusedPort is a port that was free a moment ago: listened on, then closed.
func unusedPort(network, address string) (string, error) {
	ln, err := net.Listen(network, address)
	if err != nil {
		return "", err
	}
	addr := ln.Addr().String()
	return addr, ln.Close()
}

func dialNobody(network, address string) error {
	addr, err := unusedPort(network, address)
	if err != nil {
		return err
	}
	conn, err := net.DialTimeout(network, addr, 10*time.Second)
	if err == nil {
		conn.Close()
		return fmt.Errorf("connected to %s, where nothing listens", addr)
	}
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		return fmt.Errorf("timed out instead of being refused: %v", err)
	}
	fmt.Printf("  %s: %v\n", addr, err)
	return nil
}

func main() {
	s := suite.New("go_dial")
	s.Run("dial 127.0.0.1 where nothing listens", 20*time.Second,
		func() error { return dialNobody("tcp4", "127.0.0.1:0") })
	s.Run("dial ::1 where nothing listens", 20*time.Second,
		func() error { return dialNobody("tcp6", "[::1]:0") })
	s.Finish()
}
