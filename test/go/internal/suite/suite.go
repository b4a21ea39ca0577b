// SPDX-License-Identifier: MIT
// Package suite runs the cases of one real-program test: each case with
// its own time limit, so that a hang is a failure that names the case, and
// a closing line "N passed, M failed" that scripts/run-tests.sh reads.
package suite

import (
	"crypto/sha256"
	"fmt"
	"io"
	"math/rand"
	"os"
	"time"
)

// Suite counts the cases of one program.
type Suite struct {
	passed, failed int
}

// New starts the suite of the program `name`.
func New(name string) *Suite {
	if arrangement := os.Getenv("LSPKIT_ARRANGEMENT"); arrangement != "" {
		name += " (" + arrangement + ")"
	}
	fmt.Println(name)
	return &Suite{}
}

// Run runs case `name`, which fails when f returns an error or has not
// returned after `limit`. A case that hangs is left behind: the program
// ends with Finish, which takes its goroutine with it.
func (s *Suite) Run(name string, limit time.Duration, f func() error) {
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- f() }()
	select {
	case err := <-done:
		if err != nil {
			s.fail(name, err.Error())
			return
		}
		s.passed++
		fmt.Printf("PASS %s (%.1f s)\n", name, time.Since(start).Seconds())
	case <-time.After(limit):
		s.fail(name, fmt.Sprintf("no result after %s: hung", limit))
	}
}

func (s *Suite) fail(name, why string) {
	s.failed++
	fmt.Printf("FAIL %s: %s\n", name, why)
}

// Finish prints the closing line and ends the program: exit 0 only when
// some case ran and none failed.
func (s *Suite) Finish() {
	fmt.Printf("%d passed, %d failed\n", s.passed, s.failed)
	if s.failed > 0 || s.passed == 0 {
		os.Exit(1)
	}
	os.Exit(0)
}

// Data is a reproducible stream of n bytes: the same seed gives the same
// bytes, so the receiver can check what it got against its own copy.
func Data(seed int64, n int64) io.Reader {
	return io.LimitReader(rand.New(rand.NewSource(seed)), n)
}

// Sum is the SHA-256 of everything r yields, and how many bytes that was.
func Sum(r io.Reader) ([32]byte, int64, error) {
	h := sha256.New()
	n, err := io.Copy(h, r)
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	return sum, n, err
}
