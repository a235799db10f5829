package loadgen

import (
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// preciseSleep blocks the calling thread in nanosleep for d (the Go
// runtime hands the thread's other goroutines to another thread meanwhile).
func preciseSleep(d time.Duration) {
	ts := syscall.NsecToTimespec(int64(d))
	_ = syscall.Nanosleep(&ts, nil)
}

// tightenTimerSlack asks the kernel to wake the calling thread within 1 ns
// of its sleeps' deadlines instead of the default 50 µs slack, and returns
// the function that puts the thread's slack back. Call both on a goroutine
// locked to its thread.
func tightenTimerSlack() (restore func()) {
	old, err := unix.PrctlRetInt(unix.PR_GET_TIMERSLACK, 0, 0, 0, 0)
	if err != nil || unix.Prctl(unix.PR_SET_TIMERSLACK, 1, 0, 0, 0) != nil {
		return func() {}
	}
	return func() { _ = unix.Prctl(unix.PR_SET_TIMERSLACK, uintptr(old), 0, 0, 0) }
}
