package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"time"

	"github.com/spf13/cobra"

	"github.com/authspec/authspec/loadgen/floor"
)

// newLoadFloorCmd is `authspec load floor`: the physical floor of a
// connect storm, to put beside a `load` run against the same broker.
func newLoadFloorCmd() *cobra.Command {
	var (
		cfg     floor.Config
		asJSON  bool
		timeout time.Duration
		profile string
	)
	cmd := &cobra.Command{
		Use:   "floor --target-addr HOST:PORT",
		Short: "Measure the floor: CPU per connection of a bare dial, CONNECT, CONNACK, close",
		Long: `Make --count connections, --concurrency at once, each doing only what any
MQTT client must: dial TCP, write one fixed MQTT 5 CONNECT (empty client ID,
no credentials), read the CONNACK and close. Prints this process's CPU per
connection (user + system, from getrusage), nearly all of it the kernel's
TCP work: 'authspec load' against the same broker with the same count and
concurrency costs the generator its own work on top of this floor.`,
		Example: "  authspec load floor --target-addr 127.0.0.1:1883 --count 4000 --concurrency 100",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cfg.Addr == "" {
				return usageError("load floor needs --target-addr HOST:PORT")
			}
			if cfg.Count <= 0 || cfg.Concurrency <= 0 || cfg.Count > 1_000_000 {
				return usageError("--count (1 to 1,000,000) and --concurrency must be positive")
			}
			cfg.Timeout = timeout
			if profile != "" {
				pf, err := os.Create(profile)
				if err != nil {
					return usageError("--cpuprofile: %v", err)
				}
				if err := pprof.StartCPUProfile(pf); err != nil {
					return usageError("--cpuprofile: %v", err)
				}
				defer func() { pprof.StopCPUProfile(); _ = pf.Close() }()
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
			defer stop()
			r, err := floor.Run(ctx, cfg)
			if asJSON {
				out := struct {
					floor.Result
					PerConnectionUS float64 `json:"per_connection_us"`
					Rate            float64 `json:"rate"`
				}{r, r.PerConnectionUS(), r.Rate()}
				if err := json.NewEncoder(cmd.OutOrStdout()).Encode(out); err != nil {
					return err
				}
			} else {
				fmt.Fprintf(cmd.OutOrStdout(), "floor: %s\n", r)
				if r.FirstError != "" {
					fmt.Fprintf(cmd.OutOrStdout(), "  e.g. %s\n", r.FirstError)
				}
			}
			if err != nil {
				return &exitError{code: exitFailures, err: err}
			}
			if r.Connections == 0 {
				return &exitError{code: exitUnreachable, err: fmt.Errorf("no connection was accepted: %s", r.FirstError)}
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&cfg.Addr, "target-addr", "", "broker at HOST:PORT")
	fl.IntVar(&cfg.Count, "count", 4000, "connections in all")
	fl.IntVar(&cfg.Concurrency, "concurrency", 100, "connections under way at once")
	fl.DurationVar(&timeout, "timeout", 5*time.Second, "per connection, dial to CONNACK")
	fl.BoolVar(&asJSON, "json", false, "print the result as JSON")
	fl.BoolVar(&cfg.Disconnect, "disconnect", false, "send DISCONNECT before closing (compare with load --disconnect packet)")
	fl.IntVar(&cfg.PasswordBytes, "password-bytes", 0, "send a username and a password this long, as a JWT storm's CONNECT carries (156 matches the jwt workload's HS256 tokens)")
	fl.StringVar(&profile, "cpuprofile", "", "write a pprof CPU profile of the run")
	return cmd
}
