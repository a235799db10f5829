package reports

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Baseline lists known gaps of a target (`--baseline gaps.yaml`), the OpenID
// "expected failures" idea: a listed ID that fails does not gate the run, and a listed
// ID that stops failing does, so the list stays honest.
//
// File shape (strict: an unknown key, a duplicate ID, a malformed ID or an empty reason
// is an error naming the line):
//
//   - id: JWT-CLAIM-01
//     reason: accepts tokens without exp (vendor issue 123)
type Baseline struct {
	entries map[string]BaselineEntry
}

// BaselineEntry is one known gap.
type BaselineEntry struct {
	ID     string `yaml:"id"`
	Reason string `yaml:"reason"`
	Line   int    `yaml:"-"`
}

// LoadBaseline reads and checks a baseline file.
func LoadBaseline(path string) (*Baseline, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	return ParseBaseline(data, path)
}

// ParseBaseline checks and parses baseline YAML; name is used in error messages.
func ParseBaseline(data []byte, name string) (*Baseline, error) {
	b := &Baseline{entries: map[string]BaselineEntry{}}
	var entries []BaselineEntry
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&entries); err != nil {
		if errors.Is(err, io.EOF) {
			return b, nil // an empty file is an empty baseline
		}
		return nil, baselineYAMLError(name, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: one YAML document expected, found more", name)
	}
	lines := entryLines(data)
	for i, e := range entries {
		if i < len(lines) {
			e.Line = lines[i]
		}
		e.ID = strings.TrimSpace(e.ID)
		e.Reason = strings.TrimSpace(e.Reason)
		switch {
		case !IsCatalogueID(e.ID):
			return nil, fmt.Errorf("%s:%d: id %q is not a catalogue ID (like JWT-CLAIM-01)", name, e.Line, e.ID)
		case e.Reason == "":
			return nil, fmt.Errorf("%s:%d: %s has no reason (say why the gap is accepted)", name, e.Line, e.ID)
		}
		if prev, dup := b.entries[e.ID]; dup {
			return nil, fmt.Errorf("%s:%d: %s is already listed at line %d", name, e.Line, e.ID, prev.Line)
		}
		b.entries[e.ID] = e
	}
	return b, nil
}

var (
	unknownFieldError = regexp.MustCompile(`^line (\d+): field (\S+) not found in type`)
	wrongShapeError   = regexp.MustCompile(`^line (\d+): cannot unmarshal (\S+)`)
	syntaxError       = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
)

// baselineYAMLError rewords the YAML decoder's errors as file:line messages.
func baselineYAMLError(name string, err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		if m := syntaxError.FindStringSubmatch(err.Error()); m != nil {
			return fmt.Errorf("%s:%s: %s", name, m[1], m[2])
		}
		return fmt.Errorf("%s: %s", name, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	var msgs []string
	for _, e := range te.Errors {
		if m := unknownFieldError.FindStringSubmatch(e); m != nil {
			msgs = append(msgs, fmt.Sprintf("%s:%s: unknown key %q (an entry has only id and reason)", name, m[1], m[2]))
		} else if m := wrongShapeError.FindStringSubmatch(e); m != nil {
			msgs = append(msgs, fmt.Sprintf("%s:%s: found %s where a list of {id, reason} entries was expected", name, m[1], m[2]))
		} else {
			msgs = append(msgs, name+": "+e)
		}
	}
	return errors.New(strings.Join(msgs, "\n"))
}

// entryLines returns the line of each item of the top-level sequence.
func entryLines(data []byte) []int {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return nil
	}
	var lines []int
	for _, n := range doc.Content[0].Content {
		lines = append(lines, n.Line)
	}
	return lines
}

// Lookup returns the entry of a baselined ID.
func (b *Baseline) Lookup(id string) (BaselineEntry, bool) {
	if b == nil {
		return BaselineEntry{}, false
	}
	e, ok := b.entries[id]
	return e, ok
}

// IDs returns the baselined IDs, sorted.
func (b *Baseline) IDs() []string {
	if b == nil {
		return nil
	}
	ids := make([]string, 0, len(b.entries))
	for id := range b.entries {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}
