// SPDX-License-Identifier: MIT
// UDP ping-pong over 127.0.0.1 with every reply checked, then Close() on a
// socket with a read pending: the read must end with net.ErrClosed.
//
// Usage: go_udp.exe [-expect FILE] [-server ADDRESS:PORT]
// -server: the round trips go to that echo server, one of another program
// (through a SOCKS5 relay, for test/filters_socks5.sh), not this one's.
// -expect FILE writes what a capture of this process must show, for
// test/go_capture.sh: a line "flow FROM TO DATAGRAMS BYTES" for each
// direction of the ping-pong (the ports, how many datagrams went that way
// and their bytes in all).
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
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

// flow counts the datagrams that went one way.
type flow struct {
	from, to         int
	datagrams, bytes int
}

func (f *flow) add(n int) {
	f.datagrams++
	f.bytes += n
}

func port(a net.Addr) int { return a.(*net.UDPAddr).Port }

// ownServer starts this program's echo server: its address, and what
// waits for it to end (once sent `stop`) and closes it.
func ownServer() (string, func(), error) {
	server, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	served := make(chan struct{})
	go serve(server, served)
	return server.LocalAddr().String(), func() {
		<-served
		server.Close()
	}, nil
}

func pingPong(pings, pongs *flow, echo string) error {
	address := echo
	var stopped func()
	if echo == "" {
		var err error
		if address, stopped, err = ownServer(); err != nil {
			return err
		}
	}
	conn, err := net.Dial("udp4", address)
	if err != nil {
		return err
	}
	defer conn.Close()
	*pings = flow{from: port(conn.LocalAddr()), to: port(conn.RemoteAddr())}
	*pongs = flow{from: pings.to, to: pings.from}
	defer func() {
		if stopped == nil {
			return
		}
		if _, err := conn.Write(stop); err == nil {
			pings.add(len(stop))
		}
		stopped()
	}()
	reply := make([]byte, 2048)
	for i := 0; i < rounds; i++ {
		ping := []byte(fmt.Sprintf("ping %d %s", i, bytes.Repeat([]byte{byte(i)}, i)))
		if _, err := conn.Write(ping); err != nil {
			return fmt.Errorf("round %d: %v", i, err)
		}
		pings.add(len(ping))
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		n, err := conn.Read(reply)
		if err != nil {
			return fmt.Errorf("round %d: %v", i, err)
		}
		pongs.add(n)
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
	expect := flag.String("expect", "", "write what a capture must show to this file")
	server := flag.String("server", "", "the echo server's ADDRESS:PORT (default: its own)")
	flag.Parse()
	s := suite.New("go_udp")
	var pings, pongs flow
	s.Run(fmt.Sprintf("%d UDP round trips, every reply checked", rounds), 30*time.Second,
		func() error { return pingPong(&pings, &pongs, *server) })
	s.Run("Close() with a read pending", 20*time.Second, closeWithReadPending)
	if *expect != "" {
		text := ""
		for _, f := range []flow{pings, pongs} {
			text += fmt.Sprintf("flow %d %d %d %d\n", f.from, f.to, f.datagrams, f.bytes)
		}
		if err := os.WriteFile(*expect, []byte(text), 0o644); err != nil {
			fmt.Println("FAIL -expect:", err)
			os.Exit(1)
		}
	}
	s.Finish()
}
