package loadgen

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/authspec/authspec/fixtures/scrambackend"
	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/loadgen/results"
	"github.com/authspec/authspec/loadgen/stats"
	"github.com/authspec/authspec/loadgen/target"
	"github.com/authspec/authspec/loadgen/workload"
	"github.com/authspec/authspec/reference/scram"
)

// Result is a finished (or interrupted) run: its record and interval log.
type Result struct {
	Run  *results.Run
	Hlog *stats.Hlog
}

// runner holds what the phases of one run share.
type runner struct {
	cfg     Config
	tgt     target.Target
	clk     Clock
	dialer  *workload.Dialer
	driver  workload.Driver
	names   workload.Names
	clients workload.Range
	hlog    *stats.Hlog
	// workloads are built once per run and reused by later rounds (a JWT
	// key, a token pool, SCRAM users are made once).
	workloads map[string]workload.Workload
	prepared  map[string]bool
	backend   *scrambackend.Server // shared by the SCRAM workloads
}

// phaseSpec is one phase to run.
type phaseSpec struct {
	name string // unique in the run
	kind string // WorkloadJWT, ...
	w    workload.Workload
}

// Run runs cfg's phases against tgt, which the caller owns (starts and
// closes). It returns the results so far with any error, including when
// ctx is cancelled (Ctrl-C): the phase under way stops scheduling, lets its
// attempts finish, and is reported with Interrupted set.
func Run(ctx context.Context, cfg Config, tgt target.Target) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Shard.Split() && tgt.Provisioner() != nil {
		return nil, fmt.Errorf("a sharded run cannot provision the broker (each shard would reconfigure it under the others): configure it by hand, and give every shard the same --jwt-secret or --jwt-private-key")
	}
	if tgt.Provisioner() == nil && cfg.JWTKey == nil && cfg.needs(WorkloadJWT) {
		for _, alg := range cfg.Algs {
			if !tokens.IsHMAC(alg) {
				return nil, fmt.Errorf("%s against a broker configured by hand: give the private key whose public half the broker was configured with (--jwt-private-key)", alg)
			}
		}
	}
	if err := checkOpenFiles(cfg, tgt); err != nil {
		return nil, err
	}
	if err := Probe(ctx, tgt.Addr(), min(cfg.Timeout, 5*time.Second)); err != nil {
		return nil, err
	}
	dialer := workload.NewDialer(cfg.Sources, workload.IsLoopback(tgt.Addr()))
	driver, err := workload.NewDriver(cfg.Client, dialer, cfg.Timeout)
	if err != nil {
		return nil, err
	}
	first, n := cfg.Shard.Range(cfg.Clients)
	r := &runner{
		cfg: cfg, tgt: tgt, clk: realClock{}, dialer: dialer, driver: driver,
		names: workload.Names{Prefix: cfg.ClientPrefix}, clients: workload.Range{First: first, N: n},
		workloads: map[string]workload.Workload{}, prepared: map[string]bool{},
	}
	defer r.closeWorkloads()
	specs, err := r.plan()
	if err != nil {
		return nil, err
	}
	if !cfg.StartAt.IsZero() {
		if err := r.clk.SleepUntil(ctx, cfg.StartAt); err != nil {
			return nil, fmt.Errorf("interrupted while waiting for the start time %s", cfg.StartAt.Format(time.RFC3339))
		}
	}
	started := time.Now()
	r.hlog = stats.NewHlog(started)
	run := &results.Run{
		Format: results.FormatVersion, Tool: "authspec load", Version: cfg.Version, Started: started,
		Target:    results.Target{Kind: tgt.Kind(), Addr: tgt.Addr(), Provisioned: tgt.Provisioner() != nil},
		Shards:    1,
		Settings:  r.settings(),
		IntervalS: cfg.Interval.Seconds(),
		Files:     results.Files{JSON: results.JSONFile, Hlog: results.HlogFile},
	}
	if p := tgt.Process(); p != nil {
		run.Target.PID = p.PID
	}
	if cfg.Shard.Split() {
		run.Shard = cfg.Shard.String()
	}
	var runErr error
	for _, s := range specs {
		p, err := r.phase(ctx, s)
		if err != nil {
			runErr = fmt.Errorf("phase %s: %w", s.name, err)
			break
		}
		run.Phases = append(run.Phases, p)
		if ctx.Err() != nil {
			run.Interrupted = true
			break
		}
	}
	run.DurationS = time.Since(started).Seconds()
	run.Settings.Sources = dialer.Sources()
	run.Notes = append(run.Notes, r.notes()...)
	run.Compare()
	return &Result{Run: run, Hlog: r.hlog}, runErr
}

func (r *runner) settings() results.Settings {
	c := r.cfg
	s := results.Settings{
		Mode: c.Mode(), DurationS: c.Duration.Seconds(), Count: c.Count, RampUpS: c.RampUp.Seconds(),
		Clients: r.clients.N, TimeoutS: c.Timeout.Seconds(), Client: c.Client, Disconnect: cmp.Or(c.Disconnect, DisconnectPacket), Workloads: c.Workloads, Rounds: c.Rounds,
	}
	if c.Mode() == "open" {
		s.Rate, s.MaxInFlight = c.Shard.Rate(c.Rate), c.MaxInFlight
	} else {
		s.Concurrency = c.Shard.Concurrency(c.Concurrency)
	}
	return s
}

func (r *runner) notes() []string {
	var out []string
	if r.tgt.Kind() == target.KindReference {
		out = append(out, "the reference ran in the generator's process: generator CPU covers both, and the broker's memory per connection is not read (use --reference-process)")
	}
	if slices.ContainsFunc(r.cfg.Workloads, func(w string) bool { return r.kindOf(w) == workload.KindSCRAM }) {
		out = append(out, "the SCRAM credential backend runs in the generator's process: its CPU is in the generator's figure")
	}
	return append(out, r.dialer.Notes()...)
}

// kindOf is the credentials kind a workload name presents.
func (r *runner) kindOf(w string) string {
	if w == WorkloadHold {
		return r.cfg.HoldAuth
	}
	return w
}

// plan lists the phases: per round, per workload (jwt: per algorithm;
// scram: per cache setting).
func (r *runner) plan() ([]phaseSpec, error) {
	var one []phaseSpec
	for _, w := range r.cfg.Workloads {
		switch w {
		case WorkloadJWT:
			for _, alg := range r.cfg.Algs {
				wl, err := r.workload(WorkloadJWT, alg, false)
				if err != nil {
					return nil, err
				}
				one = append(one, phaseSpec{name: wl.Name(), kind: w, w: wl})
			}
		case WorkloadSCRAM:
			for _, cache := range r.cfg.SCRAMCache {
				wl, err := r.workload(WorkloadSCRAM, "", cache)
				if err != nil {
					return nil, err
				}
				one = append(one, phaseSpec{name: wl.Name(), kind: w, w: wl})
			}
		case WorkloadAnonymous:
			wl, _ := r.workload(WorkloadAnonymous, "", false)
			one = append(one, phaseSpec{name: wl.Name(), kind: w, w: wl})
		case WorkloadHold:
			alg := ""
			if len(r.cfg.Algs) > 0 {
				alg = r.cfg.Algs[0]
			}
			wl, err := r.workload(r.cfg.HoldAuth, alg, slices.Contains(r.cfg.SCRAMCache, true))
			if err != nil {
				return nil, err
			}
			one = append(one, phaseSpec{name: "hold-" + wl.Name(), kind: w, w: wl})
		}
	}
	var all []phaseSpec
	seen := map[string]int{}
	for round := 1; round <= r.cfg.Rounds; round++ {
		for _, s := range one {
			seen[s.name]++
			if k := seen[s.name]; k > 1 {
				s.name = fmt.Sprintf("%s#%d", s.name, k)
			}
			all = append(all, s)
		}
	}
	return all, nil
}

// workload returns the run's workload of a kind, building it once.
func (r *runner) workload(kind, alg string, cache bool) (workload.Workload, error) {
	key := fmt.Sprintf("%s/%s/%v", kind, alg, cache)
	if w, ok := r.workloads[key]; ok {
		return w, nil
	}
	var (
		w   workload.Workload
		err error
	)
	switch kind {
	case workload.KindJWT:
		if r.cfg.TokenSource == TokenSourceOIDC {
			w, err = r.oidcWorkload(alg)
			break
		}
		w, err = workload.NewJWT(workload.JWTOptions{Alg: alg, Tokens: r.cfg.Tokens, Secret: r.cfg.JWTSecret,
			Key: r.cfg.JWTKey, Names: r.names})
	case workload.KindSCRAM:
		var a scram.Algorithm
		if a, err = scram.ParseAlgorithm(r.cfg.SCRAMAlg); err != nil {
			return nil, err
		}
		if r.backend == nil {
			if r.backend, err = workload.StartBackend(r.cfg.SCRAMBackendListen, r.cfg.SCRAMIterations); err != nil {
				return nil, fmt.Errorf("SCRAM credential backend: %w", err)
			}
		}
		w, err = workload.NewSCRAM(workload.SCRAMOptions{Alg: a, Iterations: r.cfg.SCRAMIterations, Cache: cache,
			Backend: r.backend, Names: r.names})
	default:
		w = workload.NewAnonymous(r.names)
	}
	if err != nil {
		return nil, err
	}
	r.workloads[key] = w
	return w, nil
}

func (r *runner) closeWorkloads() {
	for _, w := range r.workloads {
		_ = w.Close()
	}
	if r.backend != nil {
		_ = r.backend.Close()
	}
}
