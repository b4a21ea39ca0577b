// SPDX-License-Identifier: MIT
// UDP ping-pong over 127.0.0.1 with every reply checked, then Close() on a
// socket with a read pending: the read must end with net.ErrClosed.
package main

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"time"

	"lspkit/test/go/internal/suite"
)

const rounds = 200

// stop ends serve, so that the server is closed with no read pending:
// the round trips do not depend on cancelling one (the next case does).
var stop = []byte("stop")

func serve(conn net.PacketConn, done chan<- struct{}) {
	defer close(done)
	buf := make([]byte, 2048)
	for {
		n, from, err := conn.ReadFrom(buf)
		if err != nil || bytes.Equal(buf[:n], stop) {
			return
		}
		conn.WriteTo(buf[:n], from)
	}
}

func pingPong() error {
	server, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer server.Close()
	served := make(chan struct{})
	go serve(server, served)
	conn, err := net.Dial("udp4", server.LocalAddr().String())
	if err != nil {
		return err
	}
	defer conn.Close()
	defer func() {
		conn.Write(stop)
		<-served
	}()
	reply := make([]byte, 2048)
	for i := 0; i < rounds; i++ {
		ping := []byte(fmt.Sprintf("ping %d %s", i, bytes.Repeat([]byte{byte(i)}, i)))
		if _, err := conn.Write(ping); err != nil {
			return fmt.Errorf("round %d: %v", i, err)
		}
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		n, err := conn.Read(reply)
		if err != nil {
			return fmt.Errorf("round %d: %v", i, err)
		}
		if !bytes.Equal(reply[:n], ping) {
			return fmt.Errorf("round %d: sent %d bytes, got %d different ones", i, len(ping), n)
		}
	}
	return nil
}

func closeWithReadPending() error {
	conn, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		return err
	}
	result := make(chan error, 1)
	go func() {
		buf := make([]byte, 2048)
		_, _, err := conn.ReadFrom(buf)
		result <- err
	}()
	time.Sleep(200 * time.Millisecond) // the read is pending by then
	if err := conn.Close(); err != nil {
		return fmt.Errorf("Close: %v", err)
	}
	if err := <-result; !errors.Is(err, net.ErrClosed) {
		return fmt.Errorf("the pending read ended with %v, not net.ErrClosed", err)
	}
	return nil
}

func main() {
	s := suite.New("go_udp")
	s.Run(fmt.Sprintf("%d UDP round trips, every reply checked", rounds), 30*time.Second, pingPong)
	s.Run("Close() with a read pending", 20*time.Second, closeWithReadPending)
	s.Finish()
}
