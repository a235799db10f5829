package loadgen

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/authspec/authspec/loadgen/results"
	"github.com/authspec/authspec/loadgen/stats"
	"github.com/authspec/authspec/loadgen/target"
	"github.com/authspec/authspec/reference"
)

func quick() Config {
	c := DefaultConfig()
	c.Rate, c.Duration, c.Count, c.Clients = 100, 0, 40, 20
	c.Timeout, c.Interval = 3*time.Second, 200*time.Millisecond
	return c
}

func startReference(t *testing.T, opts ...reference.Option) *target.Reference {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ref, err := target.StartReference(ctx, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ref.Close() })
	return ref
}

func run(t *testing.T, c Config, tgt target.Target) *Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	res, err := Run(ctx, c, tgt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// Every workload against the in-process reference, each phase configuring
// the broker's chain through the management API; then every file written
// and read back with an independent reader.
func TestRunEveryWorkloadAgainstReference(t *testing.T) {
	c := quick()
	// A closed loop of 4 over 20 clients never has one client connect
	// twice at once (a slow run in open loop would: the broker then takes
	// the session over, a real effect but not this test's subject).
	c.Rate, c.Concurrency = 0, 4
	c.Workloads = []string{"anonymous", "jwt", "scram"}
	c.Algs = []string{"HS256", "ES256"}
	c.SCRAMCache = []bool{true, false}
	res := run(t, c, startReference(t))
	r := res.Run
	want := []string{"anonymous", "jwt-HS256", "jwt-ES256", "scram-sha256-cache", "scram-sha256-nocache"}
	if len(r.Phases) != len(want) {
		t.Fatalf("%d phases, want %v", len(r.Phases), want)
	}
	for i, p := range r.Phases {
		if p.Name != want[i] {
			t.Errorf("phase %d is %s, want %s", i, p.Name, want[i])
		}
		if p.Attempts != 40 || p.Succeeded != 40 || p.ConnackCodes["0x00"] != 40 {
			t.Errorf("%s: %d attempts, %d accepted, codes %v, causes %v, examples %v", p.Name, p.Attempts, p.Succeeded, p.ConnackCodes, p.Causes, p.Examples)
		}
		if p.Latency.Count != 40 || p.Latency.P50MS <= 0 || p.Service.P99MS > p.Latency.MaxMS+0.001 {
			t.Errorf("%s: latency %+v service %+v", p.Name, p.Latency, p.Service)
		}
		if p.Generator.Seconds <= 0 || p.Generator.Scope == "" {
			t.Errorf("%s: generator CPU %+v", p.Name, p.Generator)
		}
	}
	// 20 users, 40 connections: the second connection of each user hits
	// the salted-password cache.
	if hits := r.Phases[3].Info["salt_cache_hits"]; hits != int64(20) {
		t.Errorf("salt cache hits %v, want 20", hits)
	}
	if len(r.Comparisons) != 4 || r.Comparisons[0].Baseline != "anonymous" {
		t.Errorf("comparisons %+v", r.Comparisons)
	}

	dir := t.TempDir()
	if err := WriteFiles(Output{Dir: dir, Prometheus: true}, r, res.Hlog); err != nil {
		t.Fatal(err)
	}
	loaded, err := results.Load(filepath.Join(dir, results.JSONFile))
	if err != nil {
		t.Fatal(err)
	}
	totals, err := stats.TotalsByTag(loaded.Intervals)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range loaded.Run.Phases {
		if got := totals[stats.Tag(p.Name, "latency")].TotalCount(); got != p.Succeeded {
			t.Errorf("%s: the .hlog holds %d latencies, the JSON %d accepted", p.Name, got, p.Succeeded)
		}
	}
	if len(loaded.Run.Files.SVG) != 4 {
		t.Errorf("svg files %v", loaded.Run.Files.SVG)
	}
	for _, name := range loaded.Run.Files.SVG {
		checkSVG(t, filepath.Join(dir, name))
	}
	// The page names every phase and inlines every chart.
	html, err := os.ReadFile(filepath.Join(dir, loaded.Run.Files.Page))
	if err != nil || loaded.Run.Files.Page != "index.html" {
		t.Fatalf("page %q: %v", loaded.Run.Files.Page, err)
	}
	for _, p := range loaded.Run.Phases {
		if !strings.Contains(string(html), p.Name) {
			t.Errorf("index.html does not name phase %s", p.Name)
		}
	}
	if n := strings.Count(string(html), "<svg "); n != 4 {
		t.Errorf("index.html inlines %d charts", n)
	}
	checkPrometheus(t, filepath.Join(dir, loaded.Run.Files.Prometheus), "jwt-ES256", 40)
}

func checkSVG(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := xml.NewDecoder(f)
	var root string
	paths := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s: not XML: %v", path, err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if root == "" {
				root = se.Name.Local
			}
			if se.Name.Local == "polyline" || se.Name.Local == "circle" {
				paths++
			}
		}
	}
	// Every phase of the run accepted connections: each chart draws data.
	if root != "svg" || paths < 1 {
		t.Errorf("%s: root <%s>, %d data lines", path, root, paths)
	}
}

func checkPrometheus(t *testing.T, path, phase string, connections float64) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(f)
	if err != nil {
		t.Fatalf("%s does not parse: %v", path, err)
	}
	fam := families["authspec_load_connections_total"]
	if fam == nil {
		t.Fatalf("no authspec_load_connections_total in %s", path)
	}
	found := false
	for _, m := range fam.GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == "phase" && l.GetValue() == phase {
				found = true
				if got := m.GetCounter().GetValue(); got != connections {
					t.Errorf("%s connections_total %v, want %v", phase, got, connections)
				}
			}
		}
	}
	if !found {
		t.Errorf("no sample for phase %s", phase)
	}
	if s := families["authspec_load_latency_seconds"]; s == nil || len(s.GetMetric()) == 0 || s.GetMetric()[0].GetSummary().GetSampleCount() == 0 {
		t.Errorf("latency summary missing or empty")
	}
}

// A broker configured by hand with another secret refuses every token
// (a bad signature is EMQX's "ignore", hence 0x87 with no later
// authenticator): the refusals are counted by reason code, with an
// example, and the run still completes.
func TestRefusalsCountedByReasonCode(t *testing.T) {
	ref := startReference(t, reference.WithConfig([]byte(reference.CloudDefaultConfig)))
	tgt, err := target.NewAddress(ref.Addr())
	if err != nil {
		t.Fatal(err)
	}
	c := quick()
	c.Count, c.JWTSecret = 10, "not-the-broker-secret"
	p := run(t, c, tgt).Run.Phases[0]
	if p.Attempts != 10 || p.Succeeded != 0 || p.ConnackCodes["0x87"] != 10 {
		t.Fatalf("attempts %d accepted %d codes %v", p.Attempts, p.Succeeded, p.ConnackCodes)
	}
	if !strings.Contains(p.Examples["0x87"], "Not authorized") {
		t.Errorf("example %q", p.Examples["0x87"])
	}
}

func TestUnreachableTarget(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	tgt, _ := target.NewAddress(addr)
	_, err = Run(context.Background(), quick(), tgt)
	if !errors.Is(err, ErrUnreachable) || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("err = %v; want ErrUnreachable saying the connection was refused", err)
	}
}

// A broker that accepts TCP and never answers is reported as such, within
// the timeout, before any phase.
func TestSilentTarget(t *testing.T) {
	addr := silentServer(t, 0)
	tgt, _ := target.NewAddress(addr)
	c := quick()
	c.Timeout = 300 * time.Millisecond
	start := time.Now()
	_, err := Run(context.Background(), c, tgt)
	if !errors.Is(err, ErrNoAnswer) || !strings.Contains(err.Error(), "no CONNACK") {
		t.Fatalf("err = %v; want ErrNoAnswer", err)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("took %v", took)
	}
}

// A broker that answers the probe, then goes silent: every attempt times
// out, and the results say so.
func TestBrokerGoesSilentMidRun(t *testing.T) {
	addr := silentServer(t, 1)
	tgt, _ := target.NewAddress(addr)
	c := quick()
	c.Workloads, c.Count, c.Timeout = []string{"anonymous"}, 5, 300*time.Millisecond
	p := run(t, c, tgt).Run.Phases[0]
	if p.Attempts != 5 || p.Causes["timeout"] != 5 || p.Succeeded != 0 {
		t.Fatalf("attempts %d causes %v", p.Attempts, p.Causes)
	}
	if !strings.Contains(p.Examples["timeout"], "timed out") {
		t.Errorf("example %q", p.Examples["timeout"])
	}
}

// silentServer accepts connections; the first `answered` get a CONNACK
// 0x00 to their CONNECT, the others nothing, ever.
func silentServer(t *testing.T, answered int) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; ; i++ {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
			if i < answered {
				go func() {
					buf := make([]byte, 512)
					_, _ = c.Read(buf)
					_, _ = c.Write([]byte{0x20, 0x03, 0x00, 0x00, 0x00}) // CONNACK v5, 0x00, no properties
				}()
			}
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		for _, c := range conns {
			c.Close()
		}
	})
	return ln.Addr().String()
}

// A hold keeps every client connected, checks they still answer PINGREQ,
// and (in-process) reports no broker memory.
func TestHoldAgainstReference(t *testing.T) {
	c := quick()
	c.Workloads, c.Clients, c.HoldFor = []string{"hold"}, 30, 100*time.Millisecond
	p := run(t, c, startReference(t)).Run.Phases[0]
	if p.Hold == nil || p.Hold.Held != 30 || p.Hold.AliveAtEnd != 30 || p.Attempts != 30 {
		t.Fatalf("hold %+v attempts %d", p.Hold, p.Attempts)
	}
	if p.Broker != nil {
		t.Errorf("broker figures for an in-process broker: %+v", p.Broker)
	}
	if g := p.Hold.Generator; g == nil || g.Scope != "generator+broker" {
		t.Errorf("generator memory %+v: in-process, its scope covers the broker", p.Hold.Generator)
	}
}

// The paho.golang driver gives the same counts (a cross-check client).
func TestPahoDriver(t *testing.T) {
	c := quick()
	c.Client, c.Workloads, c.Count = "paho", []string{"jwt", "scram"}, 10
	for _, p := range run(t, c, startReference(t)).Run.Phases {
		if p.Succeeded != 10 {
			t.Errorf("%s: %d accepted, causes %v examples %v", p.Name, p.Succeeded, p.Causes, p.Examples)
		}
	}
}

func TestResultJSONShape(t *testing.T) {
	c := quick()
	c.Count = 5
	res := run(t, c, startReference(t))
	data, err := json.Marshal(res.Run)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	_ = json.Unmarshal(data, &m)
	for _, k := range []string{"format", "phases", "settings", "target", "interval_s"} {
		if _, ok := m[k]; !ok {
			t.Errorf("load.json has no %q", k)
		}
	}
}

// A public-key algorithm against a broker configured by hand needs the
// key the broker knows; a key generated for the run would be refused on
// every CONNECT.
func TestByHandPublicKeyNeedsKey(t *testing.T) {
	tgt, _ := target.NewAddress("127.0.0.1:1883")
	c := quick()
	c.Algs = []string{"RS256"}
	_, err := Run(context.Background(), c, tgt)
	if err == nil || !strings.Contains(err.Error(), "--jwt-private-key") {
		t.Fatalf("err = %v", err)
	}
}
