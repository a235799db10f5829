package catalogue

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
)

// idsFile is the repository's copy of the catalogue's IDs (behaviors.md,
// whose version its first line names): the coverage tests check the
// scenarios against it, so a clone without ../shared beside it checks as
// much as one with it. TestCopyIsCurrent keeps it equal to behaviors.md
// whenever ../shared is there.
//
//go:embed ids.txt
var idsFile string

var (
	idsOnce sync.Once
	ids     []string
	idsErr  error
)

// IDs returns the catalogue's IDs, sorted, from the repository's copy.
func IDs() ([]string, error) {
	idsOnce.Do(func() { ids, idsErr = parseIDsFile(idsFile) })
	return append([]string(nil), ids...), idsErr
}

// parseIDsFile reads one ID a line; '#' starts a comment line.
func parseIDsFile(text string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !entryID.MatchString(line) {
			return nil, fmt.Errorf("catalogue: ids.txt:%d: %q is not a catalogue ID", n+1, line)
		}
		if seen[line] {
			return nil, fmt.Errorf("catalogue: ids.txt:%d: %s is listed twice", n+1, line)
		}
		seen[line] = true
		out = append(out, line)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("catalogue: ids.txt lists no ID")
	}
	for i := 1; i < len(out); i++ {
		if out[i-1] > out[i] {
			return nil, fmt.Errorf("catalogue: ids.txt is not sorted (%s before %s)", out[i-1], out[i])
		}
	}
	return out, nil
}

// RenderIDsFile renders ids as ids.txt, with version (the catalogue's title
// line) in its header.
func RenderIDsFile(version string, ids []string) string {
	var b strings.Builder
	b.WriteString("# " + version + "\n")
	b.WriteString("# The IDs of ../shared/spec/behaviors.md, one a line, sorted: the repository's copy of the catalogue.\n")
	b.WriteString("# Refresh after the catalogue changes: go test ./steps/catalogue -run TestCopyIsCurrent -args -update\n")
	for _, id := range ids {
		b.WriteString(id + "\n")
	}
	return b.String()
}

// Title returns a catalogue's first heading ("Behaviour catalogue (v4: ...)").
func Title(markdown []byte) string {
	for _, line := range strings.Split(string(markdown), "\n") {
		if t, ok := strings.CutPrefix(line, "# "); ok {
			return strings.TrimSpace(t)
		}
	}
	return "Behaviour catalogue"
}
