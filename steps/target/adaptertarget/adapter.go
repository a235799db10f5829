// Package adaptertarget is the target for a broker the suite reconfigures
// through an adapter (a profile's configure: command; design.md, "Brokers
// the suite reconfigures through an adapter"). The adapter is a program the
// user writes: `argv... apply` reads one EMQX-shaped JSON document on
// standard input and applies it to the broker; `argv... reset` runs once at
// the end.
//
// Scenarios are grouped by configuration before the run (Plan): each
// distinct configuration is applied once and its scenarios run, several at
// once, before the next. Scenarios that serve a fixture the broker calls
// (a JWKS endpoint, a SCRAM backend) or that change the chain while they
// run are groups of their own: they apply and run alone.
package adaptertarget

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"syscall"
	"time"
	"unicode"
)

// Exit codes of the adapter protocol (contract).
const (
	ExitApplied       = 0 // the configuration is in force
	ExitCannotExpress = 3 // the broker cannot express it; stderr's first line says why
	ExitInvalid       = 4 // the broker refused it as invalid (EMQX's HTTP 400)
)

// maxStderr bounds what is kept of an adapter's standard error: enough to
// debug it, not enough to flood a report.
const maxStderr = 16 << 10

// Adapter runs one adapter program.
type Adapter struct {
	Argv    []string
	Dir     string // working directory: the profile's
	Timeout time.Duration
}

// Outcome is one call of the adapter.
type Outcome struct {
	Verb     string
	ExitCode int // -1 when the adapter did not exit by itself (timeout, signal, not started)
	Stderr   string
	// Stdout is not part of the protocol; it is kept for debugging.
	Stdout  string
	Elapsed time.Duration
	// Err is set when the call is an error of the protocol: not started,
	// a timeout, a signal, or an exit code outside 0, 3, 4.
	Err error
}

// Reason is the first line of standard error (exit 3's reason).
func (o Outcome) Reason() string {
	line, _, _ := strings.Cut(strings.TrimSpace(o.Stderr), "\n")
	// A reason goes into reports: control characters and runaway lines
	// from a broken adapter must not.
	line = strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsPrint(r) {
			return r
		}
		return '?'
	}, line))
	if len(line) > 300 {
		line = line[:300] + "..."
	}
	if line == "" {
		return "the adapter gave no reason (the first line of its standard error is the reason)"
	}
	return line
}

// Call runs `argv... verb` with stdin, bounded by the adapter's timeout.
// The adapter's process group is killed at the timeout, so a broker it
// started in the foreground by mistake does not outlive the call.
func (a *Adapter) Call(ctx context.Context, verb string, stdin []byte) Outcome {
	ctx, cancel := context.WithTimeout(ctx, a.Timeout)
	defer cancel()
	started := time.Now()
	args := append(append([]string{}, a.Argv[1:]...), verb)
	cmd := exec.CommandContext(ctx, a.Argv[0], args...)
	cmd.Dir = a.Dir
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr, stdout boundedBuffer
	cmd.Stderr = &stderr
	cmd.Stdout = &stdout
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	// A background child that keeps stderr open must not hold the call
	// past the adapter's own exit for long.
	cmd.WaitDelay = 2 * time.Second
	err := cmd.Run()
	out := Outcome{Verb: verb, ExitCode: -1, Stderr: stderr.String(), Stdout: stdout.String(), Elapsed: time.Since(started)}
	var exitErr *exec.ExitError
	switch {
	case ctx.Err() != nil && errors.Is(ctx.Err(), context.DeadlineExceeded):
		out.Err = fmt.Errorf("adapter %s timed out after %s (command.timeout)", verb, a.Timeout)
	case ctx.Err() != nil:
		out.Err = fmt.Errorf("adapter %s: %w", verb, ctx.Err())
	case err == nil || errors.Is(err, exec.ErrWaitDelay):
		out.ExitCode = 0
	case errors.As(err, &exitErr) && exitErr.ExitCode() >= 0:
		out.ExitCode = exitErr.ExitCode()
	default:
		out.Err = fmt.Errorf("adapter %s: %w", verb, err)
	}
	if out.Err == nil {
		switch out.ExitCode {
		case ExitApplied, ExitCannotExpress, ExitInvalid:
		default:
			out.Err = fmt.Errorf("adapter %s exited %d, which the protocol does not know (0 applied, 3 cannot express, 4 invalid)", verb, out.ExitCode)
		}
	}
	return out
}

// WithStderr adds the adapter's standard error to err, so a report shows
// what the adapter said.
func (o Outcome) WithStderr(err error) error {
	s := strings.TrimSpace(o.Stderr)
	if s == "" {
		err = fmt.Errorf("%w (the adapter wrote nothing on standard error)", err)
	} else {
		err = fmt.Errorf("%w; adapter's standard error:\n%s", err, s)
	}
	if out := strings.TrimSpace(o.Stdout); out != "" {
		err = fmt.Errorf("%w\nadapter's standard output:\n%s", err, out)
	}
	return err
}

// boundedBuffer keeps the first maxStderr bytes written to it.
type boundedBuffer struct {
	buf       bytes.Buffer
	truncated bool
}

func (b *boundedBuffer) Write(p []byte) (int, error) {
	room := maxStderr - b.buf.Len()
	if room <= 0 {
		b.truncated = true
		return len(p), nil
	}
	if len(p) > room {
		b.truncated = true
		b.buf.Write(p[:room])
		return len(p), nil
	}
	b.buf.Write(p)
	return len(p), nil
}

func (b *boundedBuffer) String() string {
	s := strings.ToValidUTF8(b.buf.String(), "?")
	if b.truncated {
		s += "\n[... cut at 16 KiB]"
	}
	return s
}
