// SPDX-License-Identifier: MIT
// net.Dial with a timeout to a loopback port where nothing listens, over
// IPv4 and IPv6: it must fail, and not by running out its time.
//
// With -silent ADDRESS, one dial through a proxy that never answers
// (test/filters_socks5.sh): it must end by its own timeout, and soon after.
package main

import (
	"flag"
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

// dialSilent dials ADDRESS, which the socks5 filter sends to a server
// that never answers the SYN. Go cancels the ConnectEx at its deadline.
func dialSilent(address string) error {
	const limit = 2 * time.Second
	start := time.Now()
	conn, err := net.DialTimeout("tcp4", address, limit)
	took := time.Since(start)
	if err == nil {
		conn.Close()
		return fmt.Errorf("connected to %s through a server that never answers", address)
	}
	if ne, ok := err.(net.Error); !ok || !ne.Timeout() {
		return fmt.Errorf("failed other than by its timeout: %v", err)
	}
	if took > limit+5*time.Second {
		return fmt.Errorf("timed out after %v, not at its %v", took, limit)
	}
	fmt.Printf("  %s: %v, after %v\n", address, err, took.Round(time.Millisecond))
	return nil
}

func main() {
	silent := flag.String("silent", "", "dial this address once, through a server that never answers")
	flag.Parse()
	s := suite.New("go_dial")
	if *silent != "" {
		s.Run("dial through a server that never answers", 30*time.Second,
			func() error { return dialSilent(*silent) })
	} else {
		s.Run("dial 127.0.0.1 where nothing listens", 20*time.Second,
			func() error { return dialNobody("tcp4", "127.0.0.1:0") })
		s.Run("dial ::1 where nothing listens", 20*time.Second,
			func() error { return dialNobody("tcp6", "[::1]:0") })
	}
	s.Finish()
}
