package results

import (
	"time"

	"github.com/authspec/authspec/loadgen/stats"
)

// FormatVersion is the version of the load.json layout.
const FormatVersion = 1

// Run is one load run (or the merge of several shards' runs).
type Run struct {
	Format      int       `json:"format"`
	Tool        string    `json:"tool"`
	Version     string    `json:"authspec_version"`
	Started     time.Time `json:"started"`
	DurationS   float64   `json:"duration_s"`
	Interrupted bool      `json:"interrupted"`
	Target      Target    `json:"target"`
	// Shard is this process's part ("0/2"); "" for an unsplit run.
	Shard string `json:"shard,omitempty"`
	// Shards is the number of shard results merged into this one (1 for a
	// single process).
	Shards    int      `json:"shards"`
	Settings  Settings `json:"settings"`
	IntervalS float64  `json:"interval_s"`
	Phases    []Phase  `json:"phases"`
	// Comparisons put each authenticated phase beside the anonymous
	// baseline measured on the same broker in the same run.
	Comparisons []Comparison `json:"comparisons,omitempty"`
	Files       Files        `json:"files"`
	Notes       []string     `json:"notes,omitempty"`
}

// Target is the broker the run connected to.
type Target struct {
	Kind string `json:"kind"` // reference | reference-process | address
	Addr string `json:"addr"`
	PID  int    `json:"pid,omitempty"`
	// Provisioned: the run set the broker's chain per phase through its
	// management API (false: configured by hand).
	Provisioned bool `json:"provisioned"`
}

// Settings are the options that shaped the run.
type Settings struct {
	Mode        string  `json:"mode"` // open | closed
	Rate        float64 `json:"rate,omitempty"`
	Concurrency int     `json:"concurrency,omitempty"`
	DurationS   float64 `json:"duration_s,omitempty"`
	Count       int64   `json:"count,omitempty"`
	RampUpS     float64 `json:"ramp_up_s,omitempty"`
	Clients     int     `json:"clients"`
	TimeoutS    float64 `json:"timeout_s"`
	MaxInFlight int     `json:"max_in_flight,omitempty"`
	Client      string  `json:"client"` // MQTT client driver: wire | paho
	// Disconnect is how a storm ended its connections: packet (DISCONNECT,
	// then close) or close (the socket only).
	Disconnect string   `json:"disconnect,omitempty"`
	Sources    []string `json:"sources"`
	Workloads  []string `json:"workloads"`
	Rounds     int      `json:"rounds,omitempty"`
}

// Phase is one workload run against the broker.
type Phase struct {
	Name     string         `json:"name"`
	Workload string         `json:"workload"` // anonymous | jwt | scram | hold
	Auth     string         `json:"auth"`     // the credentials kind: anonymous | jwt | scram
	Info     map[string]any `json:"info,omitempty"`
	Mode     string         `json:"mode"`
	// AskedRate is the arrival rate asked of this process (open loop);
	// AchievedRate the accepted connections per second over Elapsed.
	AskedRate    float64   `json:"asked_rate"`
	AchievedRate float64   `json:"achieved_rate"`
	Concurrency  int       `json:"concurrency,omitempty"`
	Started      time.Time `json:"started"`
	// ScheduleS is the window arrivals were due in; ElapsedS runs to the
	// last attempt's end.
	ScheduleS float64 `json:"schedule_s"`
	ElapsedS  float64 `json:"elapsed_s"`
	Clients   Range   `json:"clients"`

	Attempts  int64 `json:"attempts"`
	Succeeded int64 `json:"succeeded"`
	Failed    int64 `json:"failed"`
	// ConnackCodes counts every CONNACK by reason code ("0x00" included);
	// Causes the failures that had no refusing CONNACK.
	ConnackCodes map[string]int64  `json:"connack_codes"`
	Causes       map[string]int64  `json:"causes"`
	Examples     map[string]string `json:"examples,omitempty"`
	Clamped      int64             `json:"clamped,omitempty"`

	// Latency runs from the scheduled start (coordinated omission
	// corrected); Service from the actual start. Accepted connections only.
	Latency stats.Summary `json:"latency"`
	Service stats.Summary `json:"service"`
	// Lag is how late attempts started against their schedule (every
	// attempt): the generator's share of the latency. A growing lag means
	// the generator, not the broker, is the bottleneck.
	Lag stats.Summary `json:"dispatch_lag"`

	Generator CPU     `json:"generator_cpu"`
	Broker    *Broker `json:"broker,omitempty"`
	Hold      *Hold   `json:"hold,omitempty"`

	Intervals []stats.Interval `json:"intervals"`
}

// Range is a block of client indexes.
type Range struct {
	First int `json:"first"`
	N     int `json:"n"`
}

// CPU is the generator's own CPU time over a phase.
type CPU struct {
	// Scope says what the figure covers: "generator", or
	// "generator+broker" when the broker runs in the same process.
	Scope   string  `json:"scope"`
	Seconds float64 `json:"seconds"`
	// PerConnectionUS is Seconds per attempt, in microseconds.
	PerConnectionUS float64 `json:"per_connection_us"`
	// Utilization is Seconds over the phase's elapsed time (1.0 = one
	// core busy).
	Utilization float64 `json:"utilization"`
}

// Broker is what was read of a local broker process during a phase.
type Broker struct {
	PID                int     `json:"pid"`
	CPUSeconds         float64 `json:"cpu_seconds"`
	CPUPerConnectionUS float64 `json:"cpu_per_connection_us"`
	CPUUtilization     float64 `json:"cpu_utilization"`
	RSSBeforeBytes     int64   `json:"rss_before_bytes"`
	RSSAfterBytes      int64   `json:"rss_after_bytes"`
	// BytesPerConnection (hold only) is the growth of the resident set
	// while the connections were held, over the connections held.
	BytesPerConnection float64 `json:"bytes_per_connection,omitempty"`
}

// Hold is a hold phase's outcome.
type Hold struct {
	Target     int64   `json:"target"`
	Held       int64   `json:"held"`
	AliveAtEnd int64   `json:"alive_at_end"`
	HeldForS   float64 `json:"held_for_s"`
	RSSHeld    int64   `json:"rss_held_bytes,omitempty"`
	// Generator is what holding the connections cost this process.
	Generator *GeneratorMemory `json:"generator_memory,omitempty"`
}

// GeneratorMemory is the generator's own memory for a hold: its resident
// set and its Go heap (live objects, after a collection) before the
// connections were made and while they were held.
type GeneratorMemory struct {
	// Scope is "generator", or "generator+broker" when the broker runs in
	// the same process (its memory is then counted too).
	Scope          string `json:"scope"`
	RSSBeforeBytes int64  `json:"rss_before_bytes"`
	RSSHeldBytes   int64  `json:"rss_held_bytes"`
	HeapBefore     int64  `json:"heap_before_bytes"`
	HeapHeld       int64  `json:"heap_held_bytes"`
	// BytesPerConnection is the growth of the resident set over the
	// connections held; HeapPerConnection the growth of the live heap.
	BytesPerConnection float64 `json:"bytes_per_connection"`
	HeapPerConnection  float64 `json:"heap_bytes_per_connection"`
}

// Comparison is a phase against the anonymous baseline of the same run.
type Comparison struct {
	Phase    string `json:"phase"`
	Baseline string `json:"baseline"`
	// RateRatio is the phase's achieved rate over the baseline's (the
	// figure for "JWT CONNECT rate vs anonymous" in a closed loop).
	RateRatio float64 `json:"rate_ratio"`
	// P50Ratio and P99Ratio compare service-time percentiles.
	P50Ratio float64 `json:"p50_ratio"`
	P99Ratio float64 `json:"p99_ratio"`
	// CPU per connection (µs) of the phase and of its baseline: the
	// generator's always, the broker's when its process was read. The
	// difference is what authentication costs per connection.
	GeneratorCPUUS         float64 `json:"generator_cpu_us"`
	BaselineGeneratorCPUUS float64 `json:"baseline_generator_cpu_us"`
	BrokerCPUUS            float64 `json:"broker_cpu_us,omitempty"`
	BaselineBrokerCPUUS    float64 `json:"baseline_broker_cpu_us,omitempty"`
}

// HasBroker reports whether both phases have the broker's CPU.
func (c Comparison) HasBroker() bool { return c.BrokerCPUUS > 0 && c.BaselineBrokerCPUUS > 0 }

// Files are the files written beside load.json, relative to its directory.
type Files struct {
	JSON       string   `json:"json"`
	Hlog       string   `json:"hlog"`
	SVG        []string `json:"svg,omitempty"`
	Prometheus string   `json:"prometheus,omitempty"`
	// Page is the run's HTML page (index.html).
	Page string `json:"page,omitempty"`
}

// Compare fills run.Comparisons: every non-anonymous phase against the
// anonymous phase of the same round (the nearest one before it, else the
// first).
func (r *Run) Compare() {
	r.Comparisons = nil
	var base *Phase
	for i := range r.Phases {
		if r.Phases[i].Workload == "anonymous" {
			base = &r.Phases[i]
			break
		}
	}
	if base == nil {
		return
	}
	for i := range r.Phases {
		p := &r.Phases[i]
		if p.Workload == "anonymous" {
			base = p
			continue
		}
		if p.Workload == "hold" {
			continue
		}
		c := Comparison{
			Phase: p.Name, Baseline: base.Name,
			RateRatio:      ratio(p.AchievedRate, base.AchievedRate),
			P50Ratio:       ratio(p.Service.P50MS, base.Service.P50MS),
			P99Ratio:       ratio(p.Service.P99MS, base.Service.P99MS),
			GeneratorCPUUS: p.Generator.PerConnectionUS, BaselineGeneratorCPUUS: base.Generator.PerConnectionUS,
		}
		if p.Broker != nil && base.Broker != nil {
			c.BrokerCPUUS, c.BaselineBrokerCPUUS = p.Broker.CPUPerConnectionUS, base.Broker.CPUPerConnectionUS
		}
		r.Comparisons = append(r.Comparisons, c)
	}
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}
