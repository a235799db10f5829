package loadgen

import (
	"strings"
	"testing"
	"time"

	"github.com/authspec/authspec/loadgen/schedule"
)

func TestDefaultConfigIsValid(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestConfigValidate(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"unknown workload", func(c *Config) { c.Workloads = []string{"jwt", "kerberos"} }, `unknown workload "kerberos"`},
		{"unknown algorithm", func(c *Config) { c.Algs = []string{"HS257"} }, `unknown JWT algorithm "HS257"`},
		{"alg none", func(c *Config) { c.Algs = []string{"none"} }, `unknown JWT algorithm "none"`},
		{"rate 0", func(c *Config) { c.Rate = 0 }, "arrival rate must be a positive"},
		{"negative rate", func(c *Config) { c.Rate = -5 }, "arrival rate must be a positive"},
		{"no bound", func(c *Config) { c.Duration, c.Count = 0, 0 }, "no bound"},
		{"negative duration", func(c *Config) { c.Duration = -time.Second }, "duration -1s"},
		{"negative concurrency", func(c *Config) { c.Concurrency = -1 }, "concurrency -1"},
		{"few clients for shards", func(c *Config) { c.Clients, c.Shard = 1, schedule.Shard{Index: 0, Count: 2} }, "cannot be split over 2 shards"},
		{"bad shard", func(c *Config) { c.Shard = schedule.Shard{Index: 3, Count: 2} }, "between 0 and 1"},
		{"sharded scram", func(c *Config) {
			c.Workloads, c.Shard = []string{"scram"}, schedule.Shard{Index: 0, Count: 2}
		}, "scram cannot be sharded"},
		{"token mode", func(c *Config) { c.Tokens = "cached" }, `unknown token mode "cached"`},
		{"hold credentials", func(c *Config) { c.Workloads, c.HoldAuth = []string{"hold"}, "x509" }, `unknown hold credentials "x509"`},
		{"client", func(c *Config) { c.Client = "mosquitto" }, `unknown MQTT client "mosquitto"`},
		{"in flight", func(c *Config) { c.MaxInFlight = 50000 }, "max in-flight 50000"},
		{"timeout", func(c *Config) { c.Timeout = 0 }, "timeout 0s"},
		{"interval", func(c *Config) { c.Interval = time.Millisecond }, "interval 1ms"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultConfig()
			tc.edit(&c)
			err := c.Validate()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Validate() = %v; want an error containing %q", err, tc.want)
			}
		})
	}
}

// A hold alone needs no duration or count: it connects every client once.
func TestHoldNeedsNoBound(t *testing.T) {
	c := DefaultConfig()
	c.Workloads, c.Duration = []string{"hold"}, 0
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	c.Concurrency, c.Rate = 8, 0
	if err := c.Validate(); err != nil {
		t.Fatalf("closed-loop config: %v", err)
	}
}
