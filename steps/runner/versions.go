package runner

import (
	"bytes"
	"strings"

	"github.com/authspec/authspec/steps"
)

// Protocol-independent scenarios (steps.AnyVersionTag) get an MQTT 3.1.1
// twin here; steps decide which of the two a target runs (steps/versions.go).
const (
	AnyVersionTag = steps.AnyVersionTag
	MQTT311Tag    = steps.MQTT311Tag
	MQTT311Suffix = steps.MQTT311Suffix
)

// withVersionTwins returns a feature file's text with a 3.1.1 twin after
// every scenario tagged AnyVersionTag (on itself or on the feature). The
// twin is the scenario's text, tags and Examples included, with MQTT311Tag
// added to its tag line and MQTT311Suffix to its title, so reports tell the
// two apart. Scenarios are found by their keyword lines and the tag and
// comment lines just above them; nothing else of the file changes.
func withVersionTwins(data []byte) []byte {
	lines := strings.SplitAfter(string(data), "\n")
	featureAny := false
	type block struct{ start, title, end int } // [start, end) lines
	var blocks []block
	for i, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(t, "Feature:"):
			featureAny = hasTag(lines[blockStart(lines, i):i], AnyVersionTag)
		case isScenarioKeyword(t) || strings.HasPrefix(t, "Rule:"):
			if n := len(blocks); n > 0 && blocks[n-1].end < 0 {
				blocks[n-1].end = blockStart(lines, i)
			}
			if !strings.HasPrefix(t, "Rule:") {
				blocks = append(blocks, block{start: blockStart(lines, i), title: i, end: -1})
			}
		}
	}
	if n := len(blocks); n > 0 && blocks[n-1].end < 0 {
		blocks[n-1].end = len(lines)
	}
	var out bytes.Buffer
	next := 0
	for _, b := range blocks {
		own := lines[b.start:b.title]
		if !featureAny && !hasTag(own, AnyVersionTag) {
			continue
		}
		for _, l := range lines[next:b.end] {
			out.WriteString(l)
		}
		next = b.end
		if !strings.HasSuffix(out.String(), "\n") {
			out.WriteString("\n")
		}
		out.WriteString("\n")
		tagged := false
		for i := b.start; i < b.end; i++ {
			l := lines[i]
			switch {
			case i < b.title && !tagged && strings.HasPrefix(strings.TrimSpace(l), "@"):
				l = strings.TrimRight(l, "\r\n") + " " + MQTT311Tag + "\n"
				tagged = true
			case i == b.title:
				indent := l[:len(l)-len(strings.TrimLeft(l, " \t"))]
				if !tagged {
					out.WriteString(indent + MQTT311Tag + "\n")
				}
				l = strings.TrimRight(l, " \t\r\n") + MQTT311Suffix + "\n"
			}
			out.WriteString(l)
		}
	}
	for _, l := range lines[next:] {
		out.WriteString(l)
	}
	return out.Bytes()
}

func isScenarioKeyword(t string) bool {
	for _, k := range []string{"Scenario:", "Scenario Outline:", "Scenario Template:", "Example:"} {
		if strings.HasPrefix(t, k) {
			return true
		}
	}
	return false
}

// blockStart is the first of the tag and comment lines right above line i.
func blockStart(lines []string, i int) int {
	for i > 0 {
		t := strings.TrimSpace(lines[i-1])
		if !strings.HasPrefix(t, "@") && !strings.HasPrefix(t, "#") {
			break
		}
		i--
	}
	return i
}

func hasTag(lines []string, tag string) bool {
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "#") {
			continue
		}
		for _, f := range strings.Fields(t) {
			if f == tag {
				return true
			}
		}
	}
	return false
}
