package results

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/loadgen/stats"
)

// WriteText writes a human-readable summary of run: one block per phase,
// then the comparisons with the anonymous baseline.
func WriteText(w io.Writer, run *Run) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "authspec load: %s %s", run.Target.Kind, run.Target.Addr)
	if run.Shard != "" {
		fmt.Fprintf(tw, ", shard %s", run.Shard)
	}
	if run.Shards > 1 {
		fmt.Fprintf(tw, ", %d shards merged", run.Shards)
	}
	if run.Interrupted {
		fmt.Fprint(tw, " (INTERRUPTED: partial results)")
	}
	fmt.Fprintln(tw)
	for _, p := range run.Phases {
		fmt.Fprintf(tw, "\n%s (%s loop", p.Name, p.Mode)
		if p.Mode == "open" && p.Workload != "hold" {
			fmt.Fprintf(tw, ", asked %.1f/s", p.AskedRate)
		}
		if p.Concurrency > 0 {
			fmt.Fprintf(tw, ", %d clients at once", p.Concurrency)
		}
		fmt.Fprintf(tw, ", %.1fs)\n", p.ElapsedS)
		fmt.Fprintf(tw, "  attempts\t%d\taccepted %d\tfailed %d\tachieved %.1f/s\n", p.Attempts, p.Succeeded, p.Failed, p.AchievedRate)
		fmt.Fprintf(tw, "  latency ms\t%s\n", row(p.Latency))
		fmt.Fprintf(tw, "  service ms\t%s\n", row(p.Service))
		fmt.Fprintf(tw, "  start lag ms\t%s\n", row(p.Lag))
		if refusals := refusalText(p.ConnackCodes); refusals != "" {
			fmt.Fprintf(tw, "  refused\t%s\n", refusals)
		}
		if len(p.Causes) > 0 {
			var parts []string
			for _, k := range slices.Sorted(maps.Keys(p.Causes)) {
				parts = append(parts, fmt.Sprintf("%s %d", k, p.Causes[k]))
			}
			fmt.Fprintf(tw, "  errors\t%s\n", strings.Join(parts, ", "))
		}
		for _, k := range slices.Sorted(maps.Keys(p.Examples)) {
			fmt.Fprintf(tw, "  e.g. %s\t%s\n", k, p.Examples[k])
		}
		fmt.Fprintf(tw, "  CPU (%s)\t%.2fs\t%.1f µs/connection\t%.0f%% of a core\n", p.Generator.Scope, p.Generator.Seconds, p.Generator.PerConnectionUS, 100*p.Generator.Utilization)
		if b := p.Broker; b != nil {
			fmt.Fprintf(tw, "  broker CPU\t%.2fs\t%.1f µs/connection\t%.0f%% of a core\n", b.CPUSeconds, b.CPUPerConnectionUS, 100*b.CPUUtilization)
		}
		if h := p.Hold; h != nil {
			fmt.Fprintf(tw, "  held\t%d of %d\t%d answered PINGREQ after %.1fs\n", h.Held, h.Target, h.AliveAtEnd, h.HeldForS)
			if b := p.Broker; b != nil && b.BytesPerConnection > 0 {
				fmt.Fprintf(tw, "  broker memory\t%.1f KiB/connection\tRSS %.1f MiB before, %.1f MiB held\n", b.BytesPerConnection/1024, float64(b.RSSBeforeBytes)/(1<<20), float64(h.RSSHeld)/(1<<20))
			}
			if g := h.Generator; g != nil {
				fmt.Fprintf(tw, "  memory (%s)\t%.1f KiB/connection\tRSS %.1f MiB before, %.1f MiB held; live heap %.2f KiB/connection\n", g.Scope, g.BytesPerConnection/1024, float64(g.RSSBeforeBytes)/(1<<20), float64(g.RSSHeldBytes)/(1<<20), g.HeapPerConnection/1024)
			}
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if err := writeComparisons(w, run.Comparisons); err != nil {
		return err
	}
	for _, n := range run.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	return nil
}

// writeComparisons prints the comparison table, a table of its own so its
// columns line up whatever the phase blocks above hold.
func writeComparisons(w io.Writer, cs []Comparison) error {
	if len(cs) == 0 {
		return nil
	}
	fmt.Fprintln(w, "\nagainst the anonymous baseline (same broker, same run):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	broker := false
	for _, c := range cs {
		broker = broker || c.HasBroker()
	}
	fmt.Fprint(tw, "  phase\tbaseline\trate\tservice p50\tservice p99\tgenerator µs/connection")
	if broker {
		fmt.Fprint(tw, "\tbroker µs/connection")
	}
	fmt.Fprintln(tw)
	for _, c := range cs {
		fmt.Fprintf(tw, "  %s\t%s\t%.2fx\t%.2fx\t%.2fx\t%s", c.Phase, c.Baseline, c.RateRatio, c.P50Ratio, c.P99Ratio,
			CPUDelta(c.GeneratorCPUUS, c.BaselineGeneratorCPUUS))
		if broker {
			cell := "-"
			if c.HasBroker() {
				cell = CPUDelta(c.BrokerCPUUS, c.BaselineBrokerCPUUS)
			}
			fmt.Fprintf(tw, "\t%s", cell)
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

// CPUDelta shows a phase's CPU per connection beside its baseline's:
// "157.9 vs 144.4 (+13.5)".
func CPUDelta(phase, base float64) string {
	return fmt.Sprintf("%.1f vs %.1f (%+.1f)", phase, base, phase-base)
}

func row(s stats.Summary) string {
	if s.Count == 0 {
		return "-"
	}
	return fmt.Sprintf("p50 %.3f\tp90 %.3f\tp99 %.3f\tp99.9 %.3f\tmax %.3f", s.P50MS, s.P90MS, s.P99MS, s.P999MS, s.MaxMS)
}

// refusalText lists the refusing reason codes with their MQTT 5 names.
func refusalText(codes map[string]int64) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(codes)) {
		if k == "0x00" {
			continue
		}
		var code byte
		if _, err := fmt.Sscanf(k, "0x%02X", &code); err == nil {
			parts = append(parts, fmt.Sprintf("%s %s: %d", k, mqttwire.ReasonName(mqttwire.TypeConnack, 5, code), codes[k]))
		}
	}
	return strings.Join(parts, ", ")
}
