package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authspec/authspec/loadgen/results"
	"github.com/authspec/authspec/loadgen/stats"
	"github.com/authspec/authspec/reference"
)

// authspecBinary builds cmd/authspec into a temporary directory, once per
// test binary. AUTHSPEC_BIN names a binary to use instead (CI that has
// built bin/authspec already).
var authspecBinary = sync.OnceValues(func() (string, error) {
	if bin := os.Getenv("AUTHSPEC_BIN"); bin != "" {
		return filepath.Abs(bin)
	}
	dir, err := os.MkdirTemp("", "authspec-loadgen-test-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "authspec")
	cmd := exec.Command("go", "build", "-o", bin, "../cmd/authspec")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ../cmd/authspec: %v\n%s", err, out)
	}
	return bin, nil
})

func binary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the authspec binary")
	}
	bin, err := authspecBinary()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

type cliResult struct {
	code           int
	stdout, stderr string
}

// cli runs the binary with a bound: no case may hang.
func cli(t *testing.T, bin string, args ...string) cliResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("authspec %s did not finish within 60 s", strings.Join(args, " "))
	}
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return cliResult{code: code, stdout: out.String(), stderr: errb.String()}
}

// Two shard processes against one broker, merged: counts add up to the
// unsplit run's, and the merged histograms are exactly the sum of the
// shards' (read back independently from their .hlog files).
func TestShardProcessesMerge(t *testing.T) {
	bin := binary(t)
	ref := startReference(t, reference.WithConfig([]byte(reference.CloudDefaultConfig)))
	dir := t.TempDir()
	startAt := time.Now().Add(2 * time.Second).Truncate(time.Second).Add(time.Second).UTC().Format(time.RFC3339)
	var wg sync.WaitGroup
	res := make([]cliResult, 2)
	for i := range 2 {
		wg.Go(func() {
			res[i] = cli(t, bin, "load", "--target-addr", ref.Addr(), "--shard", fmt.Sprintf("%d/2", i),
				"--workload", "jwt", "--alg", "HS256", "--rate", "200", "--count", "200", "--clients", "200",
				"--start-at", startAt, "--interval", "200ms", "--progress", "off",
				"--out", filepath.Join(dir, fmt.Sprint("shard-", i)))
		})
	}
	wg.Wait()
	var shards []*results.Loaded
	for i, r := range res {
		if r.code != 0 {
			t.Fatalf("shard %d: exit %d\n%s\n%s", i, r.code, r.stdout, r.stderr)
		}
		l, err := results.Load(filepath.Join(dir, fmt.Sprint("shard-", i), results.JSONFile))
		if err != nil {
			t.Fatal(err)
		}
		p := l.Run.Phases[0]
		if p.Attempts != 100 || p.Succeeded != 100 || p.Clients.N != 100 || p.Clients.First != 100*i {
			t.Fatalf("shard %d: attempts %d accepted %d clients %+v, want 100, 100, [%d,+100)", i, p.Attempts, p.Succeeded, p.Clients, 100*i)
		}
		if p.AskedRate != 100 {
			t.Errorf("shard %d asked %v/s, want half of 200", i, p.AskedRate)
		}
		shards = append(shards, l)
	}

	merged := filepath.Join(dir, "merged")
	r := cli(t, bin, "report", "merge", filepath.Join(dir, "shard-0"), filepath.Join(dir, "shard-1", results.JSONFile),
		"--out", merged, "--prometheus")
	if r.code != 0 {
		t.Fatalf("merge: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	m, err := results.Load(filepath.Join(merged, results.JSONFile))
	if err != nil {
		t.Fatal(err)
	}
	p := m.Run.Phases[0]
	if m.Run.Shards != 2 || p.Attempts != 200 || p.Succeeded != 200 || p.ConnackCodes["0x00"] != 200 || p.Clients.N != 200 || m.Run.Settings.Clients != 200 {
		t.Fatalf("merged: shards %d attempts %d accepted %d codes %v clients %+v", m.Run.Shards, p.Attempts, p.Succeeded, p.ConnackCodes, p.Clients)
	}
	if p.AskedRate != 200 {
		t.Errorf("merged asked rate %v, want 200", p.AskedRate)
	}

	// The shards' logs, merged here independently of the merge command.
	want := map[string]int64{}
	all := stats.NewHistogram()
	var maxes, p50s []float64
	for _, s := range shards {
		tot, err := stats.TotalsByTag(s.Intervals)
		if err != nil {
			t.Fatal(err)
		}
		lat := tot[stats.Tag("jwt-HS256", "latency")]
		all.Merge(lat)
		want["latency"] += lat.TotalCount()
		maxes = append(maxes, s.Run.Phases[0].Latency.MaxMS)
		p50s = append(p50s, s.Run.Phases[0].Latency.P50MS)
	}
	got, err := stats.TotalsByTag(m.Intervals)
	if err != nil {
		t.Fatal(err)
	}
	if !got[stats.Tag("jwt-HS256", "latency")].Equals(all) {
		t.Error("the merged .hlog's latency histogram is not the sum of the shards'")
	}
	if s := stats.Summarize(all); p.Latency != s {
		t.Errorf("merged latency %+v, want %+v", p.Latency, s)
	}
	if p.Latency.MaxMS != max(maxes[0], maxes[1]) {
		t.Errorf("merged max %v, shards' %v", p.Latency.MaxMS, maxes)
	}
	if p.Latency.P50MS < min(p50s[0], p50s[1]) || p.Latency.P50MS > max(p50s[0], p50s[1]) {
		t.Errorf("merged p50 %v outside the shards' %v", p.Latency.P50MS, p50s)
	}
	var asked int64
	for _, iv := range p.Intervals {
		asked += iv.Asked
	}
	if asked != 200 {
		t.Errorf("merged intervals ask %d arrivals, want 200", asked)
	}
	// report merge writes the same page as a run: index.html with the
	// merged figures.
	if m.Run.Files.Page != "index.html" || len(m.Run.Files.SVG) != 4 {
		t.Errorf("merged files %+v", m.Run.Files)
	}
	if html, err := os.ReadFile(filepath.Join(merged, "index.html")); err != nil || !strings.Contains(string(html), "2 shards merged") {
		t.Errorf("merged page: %v", err)
	}
	for _, f := range append([]string{results.HlogFile, results.PrometheusFile}, m.Run.Files.SVG...) {
		if _, err := os.Stat(filepath.Join(merged, f)); err != nil {
			t.Error(err)
		}
	}

	// The same shard twice is not a run.
	r = cli(t, bin, "report", "merge", filepath.Join(dir, "shard-0"), filepath.Join(dir, "shard-0"), "--out", filepath.Join(dir, "bad"))
	if r.code != 2 || !strings.Contains(r.stderr, "both shard 0/2") {
		t.Errorf("merging one shard twice: exit %d, %s", r.code, r.stderr)
	}
}

// Bad input ends with a clear message and the right exit code, never a
// hang.
func TestCLIBadInput(t *testing.T) {
	bin := binary(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	silent := silentServer(t, 0)
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--workload", "kerberos"}, 2, `unknown workload "kerberos"`},
		{[]string{"--alg", "HS257"}, 2, `unknown JWT algorithm "HS257"`},
		{[]string{"--rate", "0"}, 2, "positive number"},
		{[]string{"--rate", "-3"}, 2, "positive number"},
		{[]string{"--duration", "0"}, 2, "no bound"},
		{[]string{"--rate", "10", "--concurrency", "4"}, 2, "exclude each other"},
		{[]string{"--target-addr", "127.0.0.1:1883", "--shard", "3/2"}, 2, "between 0 and 1"},
		{[]string{"--shard", "0/2"}, 2, "--shard needs --target-addr"},
		{[]string{"--scram-cache", "maybe"}, 2, "on, off or both"},
		{[]string{"--disconnect", "slam"}, 2, `unknown disconnect mode "slam"`},
		{[]string{"--target-addr", closed}, 3, "unreachable"},
		{[]string{"--target-addr", silent, "--timeout", "500ms"}, 3, "no CONNACK within 500ms"},
	}
	for _, tc := range cases {
		args := append([]string{"load", "--progress", "off", "--out", t.TempDir()}, tc.args...)
		r := cli(t, bin, args...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("authspec %s: exit %d, stderr %q; want exit %d mentioning %q", strings.Join(tc.args, " "), r.code, r.stderr, tc.code, tc.want)
		}
	}
}

// The reference as a child process: a hold reads its memory per
// connection from /proc, and its CPU apart from the generator's.
func TestReferenceProcessHold(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	bin := binary(t)
	out := t.TempDir()
	r := cli(t, bin, "load", "--reference-process", "--workload", "hold", "--clients", "300", "--rate", "1000",
		"--hold-for", "300ms", "--progress", "off", "--out", out)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	l, err := results.Load(filepath.Join(out, results.JSONFile))
	if err != nil {
		t.Fatal(err)
	}
	p := l.Run.Phases[0]
	if p.Hold == nil || p.Hold.Held != 300 || p.Hold.AliveAtEnd != 300 {
		t.Fatalf("hold %+v", p.Hold)
	}
	if p.Broker == nil || p.Broker.PID == 0 || p.Broker.RSSBeforeBytes == 0 || p.Broker.BytesPerConnection <= 0 {
		t.Fatalf("broker %+v", p.Broker)
	}
	// The generator's own memory: its live heap grows by what the held
	// sessions keep (at least a socket each), and the figures are per
	// connection held.
	if g := p.Hold.Generator; g == nil || g.Scope != "generator" || g.HeapBefore <= 0 || g.RSSHeldBytes <= 0 ||
		g.HeapPerConnection <= 0 || g.HeapPerConnection != float64(g.HeapHeld-g.HeapBefore)/300 {
		t.Errorf("generator memory %+v", p.Hold.Generator)
	}
	if p.Generator.Scope != "generator" || l.Run.Target.Kind != "reference-process" {
		t.Errorf("scope %q target %+v", p.Generator.Scope, l.Run.Target)
	}
	if !strings.Contains(r.stdout, "KiB/connection") {
		t.Errorf("summary does not show memory per connection:\n%s", r.stdout)
	}
}

// `load floor` measures the floor against a real broker and says what it
// measured; without a target it is a usage error, against nothing
// listening an unreachable target.
func TestCLILoadFloor(t *testing.T) {
	bin := binary(t)
	ref := startReference(t)
	r := cli(t, bin, "load", "floor", "--target-addr", ref.Addr(), "--count", "60", "--concurrency", "6", "--json")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	var out struct {
		Connections, Failed int64
		PerConnectionUS     float64 `json:"per_connection_us"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || out.Connections != 60 || out.Failed != 0 || out.PerConnectionUS <= 0 {
		t.Fatalf("%+v %v: %s", out, err, r.stdout)
	}
	if r := cli(t, bin, "load", "floor"); r.code != 2 || !strings.Contains(r.stderr, "--target-addr") {
		t.Errorf("no target: exit %d, %s", r.code, r.stderr)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	if r := cli(t, bin, "load", "floor", "--target-addr", closed, "--count", "3"); r.code != 3 || !strings.Contains(r.stdout+r.stderr, "refused") {
		t.Errorf("nothing listening: exit %d, %s %s", r.code, r.stdout, r.stderr)
	}
}
