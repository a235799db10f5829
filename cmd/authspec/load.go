package main

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/loadgen"
	"github.com/authspec/authspec/loadgen/results"
	"github.com/authspec/authspec/loadgen/schedule"
	"github.com/authspec/authspec/loadgen/target"
)

func init() { extraCommands = append(extraCommands, newLoadCmd) }

// loadFlags are the raw flag values of `authspec load`.
type loadFlags struct {
	workloads, algs                    []string
	tokens, jwtSecret, jwtKeyFile      string
	scramAlg, scramCache, scramBackend string
	scramIterations                    int
	holdAuth                           string
	holdFor                            time.Duration
	rate                               float64
	concurrency                        int
	rampUp, duration, timeout          time.Duration
	interval                           time.Duration
	count                              int64
	clients, maxInFlight, rounds       int
	clientPrefix, shard, startAt       string
	targetAddr, apiURL, apiKey, apiSec string
	referenceProcess                   bool
	brokerPID                          int
	client, sources, out, progress     string
	disconnect                         string
	prometheus                         bool
	cpuProfile, memProfile             string
	oidc                               loadOIDCFlags
}

func newLoadCmd() *cobra.Command {
	def := loadgen.DefaultConfig()
	var f loadFlags
	cmd := &cobra.Command{
		Use:   "load",
		Short: "Load the broker's authentication: connect storms with JWT, SCRAM or no credentials, or held connections",
		Long: `Connect many MQTT clients with per-client credentials and measure what
authentication costs.

Workloads (--workload, several run as phases in order on the same broker):
  jwt        a JWT per client in the CONNECT password (one phase per --alg)
  scram      the full SCRAM-SHA-256/512 exchange over AUTH packets, the salted
             password cached per user or not (--scram-cache on|off|both)
  anonymous  no credentials on a broker with no authenticator: the baseline
  hold       connect --clients clients and keep them for --hold-for; with
             --reference-process, the broker's memory per connection

Load is open loop by default: --rate arrivals per second whatever the broker
does, latency measured from each arrival's scheduled time (coordinated
omission corrected) and service time from its actual start. --concurrency N
runs a closed loop instead: N clients connecting back to back.

Target: the bundled reference in-process (default; each phase configures its
chain through the management API), --reference-process (the reference as a
child process, so its memory and CPU are read apart from the generator's), or
--target-addr HOST:PORT (a broker configured by hand, or through
--api-url when it has an EMQX-compatible API).

Results go to --out: index.html (the whole run on one page, open it in a
browser), load.json, load.hlog (HdrHistogram interval log), SVG charts, and
load.prom with --prometheus. 'authspec load floor' measures the floor a
storm's CPU per connection is compared to. Ctrl-C stops scheduling, lets the
attempts under way finish and writes the partial results.

Exit codes: 0 the run completed, 1 a phase had no accepted connection or the
run was interrupted, 2 usage or configuration error, 3 target unreachable.`,
		Example: `  authspec load --workload anonymous,jwt --alg HS256,RS256 --concurrency 16 --duration 5s
  authspec load --workload scram --scram-cache both --rate 200 --duration 10s
  authspec load --reference-process --workload hold --clients 10000 --rate 2000
  authspec load --target-addr 10.0.0.5:1883 --shard 0/4 --rate 4000 --duration 60s`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runLoad(cmd, f) },
	}
	fl := cmd.Flags()
	fl.StringSliceVar(&f.workloads, "workload", def.Workloads, "jwt | scram | anonymous | hold; a list runs phases in order")
	fl.StringSliceVar(&f.algs, "alg", def.Algs, "JWT algorithms, one phase each: "+strings.Join(tokens.AllAlgs, ", "))
	fl.StringVar(&f.tokens, "tokens", def.Tokens, "pool (minted before the phase) | fresh (minted per connection)")
	fl.StringVar(&f.jwtSecret, "jwt-secret", def.JWTSecret, "HMAC secret (HS* algorithms)")
	f.oidc.register(fl)
	fl.StringVar(&f.jwtKeyFile, "jwt-private-key", "", "PEM private key for public-key algorithms (default: a key generated per run)")
	fl.StringVar(&f.scramAlg, "scram-alg", def.SCRAMAlg, "sha256 | sha512")
	fl.IntVar(&f.scramIterations, "scram-iterations", def.SCRAMIterations, "PBKDF2 iterations of the SCRAM users")
	fl.StringVar(&f.scramCache, "scram-cache", "on", "client-side salted-password cache: on | off | both (two phases)")
	fl.StringVar(&f.scramBackend, "scram-backend-listen", "127.0.0.1:0", "address of the SCRAM credential backend this process serves")
	fl.StringVar(&f.holdAuth, "hold-auth", def.HoldAuth, "credentials of a hold phase: jwt (first --alg) | scram | anonymous")
	fl.DurationVar(&f.holdFor, "hold-for", def.HoldFor, "how long a hold phase keeps its connections")
	fl.Float64Var(&f.rate, "rate", def.Rate, "open loop: connections per second, all shards together")
	fl.IntVar(&f.concurrency, "concurrency", 0, "closed loop: clients connecting back to back, all shards together")
	fl.DurationVar(&f.rampUp, "ramp-up", 0, "reach the rate (or start every client) linearly over this time")
	fl.DurationVar(&f.duration, "duration", def.Duration, "schedule attempts for this long per phase (0: bounded by --count only)")
	fl.Int64Var(&f.count, "count", 0, "at most this many attempts per phase, all shards together (0: bounded by --duration only)")
	fl.IntVar(&f.clients, "clients", def.Clients, "distinct clients (usernames, client IDs, credentials), all shards together; a hold holds this many")
	fl.StringVar(&f.clientPrefix, "client-prefix", def.ClientPrefix, "prefix of usernames (<prefix>u000042) and client IDs (<prefix>c000042)")
	fl.DurationVar(&f.timeout, "timeout", def.Timeout, "per attempt: no CONNACK within this is a timeout")
	fl.IntVar(&f.maxInFlight, "max-in-flight", def.MaxInFlight, "open loop: attempts under way at most (each holds a socket)")
	fl.DurationVar(&f.interval, "interval", def.Interval, "interval of the .hlog log and the charts")
	fl.IntVar(&f.rounds, "rounds", def.Rounds, "run the list of phases this many times (interleaves baseline and JWT)")
	fl.StringVar(&f.shard, "shard", "", "INDEX/COUNT: this process's share of the rate, concurrency, count and clients")
	fl.StringVar(&f.startAt, "start-at", "", "RFC 3339 time to start at (lines shards up)")
	fl.StringVar(&f.targetAddr, "target-addr", "", "broker at HOST:PORT instead of the in-process reference")
	fl.BoolVar(&f.referenceProcess, "reference-process", false, "run the reference as a child process (authspec serve)")
	fl.StringVar(&f.apiURL, "api-url", "", "with --target-addr: the broker's EMQX-compatible management API, to configure each phase")
	fl.StringVar(&f.apiKey, "api-key", "", "management API key")
	fl.StringVar(&f.apiSec, "api-secret", "", "management API secret")
	fl.IntVar(&f.brokerPID, "broker-pid", 0, "with --target-addr: the broker's local process ID (memory per connection, CPU)")
	fl.StringVar(&f.client, "client", def.Client, "MQTT client: wire (mqttwire, cheap) | paho (paho.golang)")
	fl.StringVar(&f.disconnect, "disconnect", loadgen.DisconnectPacket, "how a storm ends each connection: packet (DISCONNECT, then close) | close (the socket only, as 'load floor' does)")
	fl.StringVar(&f.sources, "source-ips", "", "source addresses to spread connections over: a list or a range (127.0.0.1-127.0.0.8)")
	fl.StringVar(&f.out, "out", filepath.Join("reports", "load"), "directory for load.json, load.hlog, SVG charts and load.prom")
	fl.BoolVar(&f.prometheus, "prometheus", false, "also write load.prom (Prometheus text format)")
	fl.StringVar(&f.progress, "progress", "auto", "auto | tty (one live line) | plain (periodic lines) | off")
	fl.StringVar(&f.cpuProfile, "cpuprofile", "", "write a pprof CPU profile of this process (generator, and an in-process broker)")
	fl.StringVar(&f.memProfile, "memprofile", "", "write a pprof heap profile of this process at the end")
	cmd.AddCommand(newLoadFloorCmd())
	return cmd
}

// loadConfig turns flags into a loadgen.Config; every error is a usage
// error.
func loadConfig(cmd *cobra.Command, f loadFlags) (loadgen.Config, error) {
	c := loadgen.DefaultConfig()
	fl := cmd.Flags()
	if fl.Changed("rate") && fl.Changed("concurrency") {
		return c, errors.New("--rate (open loop) and --concurrency (closed loop) exclude each other")
	}
	c.Workloads = loadList(f.workloads)
	c.Algs = loadList(f.algs)
	c.Tokens, c.JWTSecret = f.tokens, f.jwtSecret
	f.oidc.apply(&c)
	if f.jwtKeyFile != "" {
		data, err := os.ReadFile(f.jwtKeyFile)
		if err != nil {
			return c, fmt.Errorf("--jwt-private-key: %w", err)
		}
		if c.JWTKey, err = tokens.ParsePrivatePEM(data); err != nil {
			return c, fmt.Errorf("--jwt-private-key %s: %w", f.jwtKeyFile, err)
		}
	}
	c.SCRAMAlg, c.SCRAMIterations, c.SCRAMBackendListen = f.scramAlg, f.scramIterations, f.scramBackend
	switch f.scramCache {
	case "on":
		c.SCRAMCache = []bool{true}
	case "off":
		c.SCRAMCache = []bool{false}
	case "both":
		c.SCRAMCache = []bool{true, false}
	default:
		return c, fmt.Errorf("--scram-cache must be on, off or both, not %q", f.scramCache)
	}
	c.HoldAuth, c.HoldFor = f.holdAuth, f.holdFor
	c.Rate, c.Concurrency = f.rate, f.concurrency
	if f.concurrency != 0 {
		c.Rate = 0
	}
	c.RampUp, c.Duration, c.Count = f.rampUp, f.duration, f.count
	c.Clients, c.ClientPrefix, c.Timeout = f.clients, f.clientPrefix, f.timeout
	c.MaxInFlight, c.Interval, c.Rounds = f.maxInFlight, f.interval, f.rounds
	if f.shard != "" {
		sh, err := schedule.ParseShard(f.shard)
		if err != nil {
			return c, fmt.Errorf("--shard: %w", err)
		}
		c.Shard = sh
	}
	if f.startAt != "" {
		t, err := time.Parse(time.RFC3339, f.startAt)
		if err != nil {
			return c, fmt.Errorf("--start-at: want an RFC 3339 time such as 2026-11-05T10:00:00Z: %w", err)
		}
		c.StartAt = t
	}
	c.Client, c.Disconnect = f.client, f.disconnect
	srcs, err := parseSources(f.sources)
	if err != nil {
		return c, fmt.Errorf("--source-ips: %w", err)
	}
	c.Sources = srcs
	targets := 0
	for _, on := range []bool{f.targetAddr != "", f.referenceProcess} {
		if on {
			targets++
		}
	}
	if targets > 1 {
		return c, errors.New("--target-addr and --reference-process exclude each other")
	}
	if f.targetAddr == "" && (f.apiURL != "" || f.brokerPID != 0) {
		return c, errors.New("--api-url and --broker-pid go with --target-addr")
	}
	if c.Shard.Split() && f.targetAddr == "" {
		return c, errors.New("--shard needs --target-addr: the shards must share one broker")
	}
	if f.referenceProcess && runtime.GOOS != "linux" {
		return c, errors.New("--reference-process reads the broker's memory from /proc: Linux only")
	}
	switch f.progress {
	case "auto":
		c.Progress, c.TTY = os.Stderr, isTerminal(os.Stderr)
	case "tty":
		c.Progress, c.TTY = os.Stderr, true
	case "plain":
		c.Progress = os.Stderr
		c.ProgressEvery = min(c.ProgressEvery, 2*time.Second)
	case "off":
	default:
		return c, fmt.Errorf("--progress must be auto, tty, plain or off, not %q", f.progress)
	}
	c.Version = version
	return c, c.Validate()
}

func runLoad(cmd *cobra.Command, f loadFlags) error {
	cfg, err := loadConfig(cmd, f)
	if err != nil {
		return usageError("%v", err)
	}
	if f.cpuProfile != "" {
		pf, err := os.Create(f.cpuProfile)
		if err != nil {
			return usageError("--cpuprofile: %v", err)
		}
		if err := pprof.StartCPUProfile(pf); err != nil {
			return usageError("--cpuprofile: %v", err)
		}
		defer func() { pprof.StopCPUProfile(); _ = pf.Close() }()
	}

	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// After the first Ctrl-C a second one ends the process at once.
	go func() { <-ctx.Done(); stop() }()

	tgt, err := startLoadTarget(ctx, f)
	if err != nil {
		return err
	}
	res, runErr := loadgen.Run(ctx, cfg, tgt)
	closeErr := tgt.Close()
	if res == nil {
		if errors.Is(runErr, loadgen.ErrUnreachable) || errors.Is(runErr, loadgen.ErrNoAnswer) {
			return &exitError{code: exitUnreachable, err: runErr}
		}
		return usageError("%v", runErr)
	}
	if err := results.WriteText(cmd.OutOrStdout(), res.Run); err != nil {
		return err
	}
	writeTokenText(cmd.OutOrStdout(), res.Run)
	if err := loadgen.WriteFiles(loadgen.Output{Dir: f.out, Prometheus: f.prometheus}, res.Run, res.Hlog); err != nil {
		return fmt.Errorf("writing results to %s: %w", f.out, err)
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "results: %s\n", filepath.Join(f.out, results.JSONFile))
	if f.memProfile != "" {
		if err := writeHeapProfile(f.memProfile); err != nil {
			return fmt.Errorf("--memprofile: %w", err)
		}
	}
	switch {
	case runErr != nil:
		return &exitError{code: exitFailures, err: runErr}
	case res.Run.Interrupted:
		return &exitError{code: exitFailures, err: errors.New("interrupted: the results are partial")}
	case closeErr != nil:
		fmt.Fprintln(cmd.ErrOrStderr(), "authspec load: stopping the target:", closeErr)
	}
	for _, p := range res.Run.Phases {
		if p.Attempts > 0 && p.Succeeded == 0 {
			return &exitError{code: exitFailures, err: fmt.Errorf("phase %s: no attempt was accepted (see the refusals and errors above)", p.Name)}
		}
	}
	return nil
}

// startLoadTarget starts or names the broker. Target profiles (YAML) will
// map onto target.NewAddress with WithAPI when they declare configure:
// emqx-api.
func startLoadTarget(ctx context.Context, f loadFlags) (target.Target, error) {
	switch {
	case f.targetAddr != "":
		var opts []target.AddressOption
		if f.apiURL != "" {
			opts = append(opts, target.WithAPI(strings.TrimRight(f.apiURL, "/"), f.apiKey, f.apiSec))
		}
		if f.brokerPID != 0 {
			opts = append(opts, target.WithPID(f.brokerPID))
		}
		t, err := target.NewAddress(f.targetAddr, opts...)
		if err != nil {
			return nil, usageError("%v", err)
		}
		return t, nil
	case f.referenceProcess:
		self, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("--reference-process: finding this binary: %w", err)
		}
		return target.StartReferenceProcess(ctx, self)
	}
	return target.StartReference(ctx)
}

func loadList(in []string) []string {
	var out []string
	for _, s := range in {
		for _, p := range strings.Split(s, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// parseSources reads "127.0.0.1,127.0.0.2" or "127.0.0.1-127.0.0.8".
func parseSources(s string) ([]netip.Addr, error) {
	var out []netip.Addr
	for _, part := range loadList([]string{s}) {
		from, to, isRange := strings.Cut(part, "-")
		a, err := netip.ParseAddr(strings.TrimSpace(from))
		if err != nil {
			return nil, err
		}
		if !isRange {
			out = append(out, a)
			continue
		}
		b, err := netip.ParseAddr(strings.TrimSpace(to))
		if err != nil {
			return nil, err
		}
		if b.Less(a) || a.Is4() != b.Is4() {
			return nil, fmt.Errorf("range %s: the end is before the start", part)
		}
		for x := a; ; x = x.Next() {
			out = append(out, x)
			if x == b || len(out) > 1024 {
				break
			}
		}
		if len(out) > 1024 {
			return nil, fmt.Errorf("range %s: more than 1024 addresses", part)
		}
	}
	return out, nil
}

// isTerminal reports whether f is a character device (a terminal), the
// test the live display needs without a terminal library.
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	runtime.GC()
	return errors.Join(pprof.WriteHeapProfile(f), f.Close())
}
