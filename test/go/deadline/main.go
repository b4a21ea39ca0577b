// SPDX-License-Identifier: MIT
// Read deadlines firing on a TCP connection and a UDP socket where nothing
// arrives: the read must end with os.ErrDeadlineExceeded.
package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"time"

	"lspkit/test/go/internal/suite"
)

func expectDeadline(conn net.Conn) error {
	if err := conn.SetReadDeadline(time.Now().Add(300 * time.Millisecond)); err != nil {
		return err
	}
	n, err := conn.Read(make([]byte, 64))
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		return fmt.Errorf("read gave %d bytes and %v, not os.ErrDeadlineExceeded", n, err)
	}
	return nil
}

func tcpDeadline() error {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		conn, _ := ln.Accept()
		accepted <- conn
	}()
	conn, err := net.DialTimeout("tcp4", ln.Addr().String(), 10*time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	if peer := <-accepted; peer != nil {
		defer peer.Close()
	}
	return expectDeadline(conn)
}

func udpDeadline() error {
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return err
	}
	defer conn.Close()
	return expectDeadline(conn)
}

func main() {
	s := suite.New("go_deadline")
	s.Run("TCP read deadline fires", 20*time.Second, tcpDeadline)
	s.Run("UDP read deadline fires", 20*time.Second, udpDeadline)
	s.Finish()
}
