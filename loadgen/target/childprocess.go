package target

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/authspec/authspec/reference"
)

// ReferenceProcess is `authspec serve` run as a child process on free
// loopback ports, so that its memory (VmRSS) and CPU can be read apart
// from the generator's, and so that it holds its own open files (the
// per-process limit is 20,000 here: 10,000 held connections need the two
// ends in two processes).
type ReferenceProcess struct {
	cmd     *exec.Cmd
	addr    string
	api     *API
	dir     string
	exited  chan struct{}
	waitErr error
}

// startupLine is what `authspec serve` prints once it listens.
var startupLine = regexp.MustCompile(`MQTT on (\S+), management API on (http://\S+) `)

// StartReferenceProcess runs binary ("authspec") with `serve` and extra
// arguments, waiting up to a bound for it to listen. Its log (one line per
// authentication decision) is read and discarded so the child never blocks
// on a full pipe.
func StartReferenceProcess(ctx context.Context, binary string, extra ...string) (*ReferenceProcess, error) {
	dir, err := os.MkdirTemp("", "authspec-load-serve-")
	if err != nil {
		return nil, err
	}
	cfgFile := filepath.Join(dir, "chain.json")
	if err := os.WriteFile(cfgFile, []byte("[]\n"), 0o600); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	args := append([]string{"serve", "--listen", "127.0.0.1:0", "--api-listen", "127.0.0.1:0",
		"--api-key", reference.DefaultAPIKey, "--api-secret", reference.DefaultAPISecret, "--config", cfgFile}, extra...)
	cmd := exec.Command(binary, args...)
	dieWithParent(cmd)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("start %s serve: %w", binary, err)
	}
	p := &ReferenceProcess{cmd: cmd, dir: dir, exited: make(chan struct{})}
	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			default: // nobody reads after startup: discard
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
		p.waitErr = cmd.Wait()
		close(p.exited)
	}()
	wait := time.NewTimer(15 * time.Second)
	defer wait.Stop()
	var seen []string
	for {
		select {
		case line := <-lines:
			if m := startupLine.FindStringSubmatch(line); m != nil {
				p.addr = m[1]
				p.api = NewAPI(m[2], reference.DefaultAPIKey, reference.DefaultAPISecret)
				return p, nil
			}
			if len(seen) < 5 {
				seen = append(seen, line)
			}
		case <-p.exited:
			_ = os.RemoveAll(dir)
			return nil, fmt.Errorf("%s serve exited before listening (%v): %s", binary, p.waitErr, strings.Join(seen, " | "))
		case <-wait.C:
			_ = p.Close()
			return nil, fmt.Errorf("%s serve did not report listening within 15 s: %s", binary, strings.Join(seen, " | "))
		case <-ctx.Done():
			_ = p.Close()
			return nil, ctx.Err()
		}
	}
}

func (p *ReferenceProcess) Kind() string             { return KindReferenceProcess }
func (p *ReferenceProcess) Addr() string             { return p.addr }
func (p *ReferenceProcess) Provisioner() Provisioner { return p.api }
func (p *ReferenceProcess) Process() *Process        { return &Process{PID: p.cmd.Process.Pid} }

// Close stops the child (SIGTERM, then SIGKILL after 5 s).
func (p *ReferenceProcess) Close() error {
	defer os.RemoveAll(p.dir)
	select {
	case <-p.exited:
		return nil
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(5 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.exited
		return errors.New("the reference process did not stop on SIGTERM within 5 s; killed")
	}
	var ee *exec.ExitError
	if p.waitErr != nil && !errors.As(p.waitErr, &ee) {
		return p.waitErr
	}
	return nil
}
