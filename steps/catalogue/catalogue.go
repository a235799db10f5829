// Package catalogue reads the behaviour catalogue's IDs and keeps the list
// of IDs that have no scenario yet, so tests can check that the scenarios
// and the catalogue agree (the Kubernetes conformance idea: every listed
// behaviour has a test, and no test names an unknown behaviour).
package catalogue

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
)

// entry matches a catalogue entry's ID: a list item starting "- **ID**".
var entry = regexp.MustCompile(`(?m)^- \*\*([A-Z]+(?:-[A-Z]+)*-\d\d)\*\*`)

// entryID is a catalogue ID alone.
var entryID = regexp.MustCompile(`^[A-Z]+(?:-[A-Z]+)*-\d\d$`)

// ParseIDs returns the IDs of a catalogue (behaviors.md), sorted. A
// duplicated ID is an error: IDs are stable names.
func ParseIDs(markdown []byte) ([]string, error) {
	seen := map[string]bool{}
	var ids []string
	for _, m := range entry.FindAllSubmatch(markdown, -1) {
		id := string(m[1])
		if seen[id] {
			return nil, fmt.Errorf("catalogue: %s is listed twice", id)
		}
		seen[id] = true
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return nil, errors.New("catalogue: no entries found")
	}
	sort.Strings(ids)
	return ids, nil
}

// RelPath is where the catalogue lives relative to the repository root.
const RelPath = "../shared/spec/behaviors.md"

// ErrNotFound: the catalogue is not beside this checkout.
var ErrNotFound = errors.New("catalogue not found")

// Find locates the catalogue from dir (a directory inside the repository):
// it walks up to the directory holding go.mod and looks at RelPath there.
func Find(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			path := filepath.Join(dir, RelPath)
			if _, err := os.Stat(path); err != nil {
				return "", fmt.Errorf("%w at %s", ErrNotFound, path)
			}
			return path, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("%w: no go.mod above the working directory", ErrNotFound)
		}
		dir = parent
	}
}

// Load reads the catalogue's IDs from path.
func Load(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseIDs(data)
}
