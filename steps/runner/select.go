package runner

import (
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"testing/fstest"

	"github.com/cucumber/godog"

	"github.com/authspec/authspec/features"
)

var (
	idPattern    = regexp.MustCompile(`^[A-Z]+(-[A-Z]+)*-\d\d$`)
	groupPattern = regexp.MustCompile(`^[A-Z]+(-[A-Z]+)*$`)
)

// TagExpression turns a list of catalogue IDs and group names
// (JWT-CLAIM-02, JWT-HMAC) into godog's tag expression: "@A,@B" selects a
// scenario tagged with any of them. An empty list selects everything ("").
// Every scenario carries its ID and its group as tags, because godog's tag
// filter has no prefix match.
func TagExpression(ids []string) (string, error) {
	var tags []string
	for _, raw := range ids {
		for _, id := range strings.Split(raw, ",") {
			id = strings.TrimPrefix(strings.TrimSpace(id), "@")
			if id == "" {
				continue
			}
			if !idPattern.MatchString(id) && !groupPattern.MatchString(id) {
				return "", fmt.Errorf("%q is neither a catalogue ID (JWT-CLAIM-02) nor a group (JWT-CLAIM)", id)
			}
			tags = append(tags, "@"+id)
		}
	}
	return strings.Join(tags, ","), nil
}

// FeatureFS is the embedded feature files under "features/", so reports
// name them as they are named in the repository, with the MQTT 3.1.1 twins
// of the protocol-independent scenarios (versions.go).
func FeatureFS() (fs.FS, error) {
	out := fstest.MapFS{}
	err := fs.WalkDir(features.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(features.FS, path)
		if err != nil {
			return err
		}
		if strings.HasSuffix(path, ".feature") {
			data = withVersionTwins(data)
		}
		out["features/"+path] = &fstest.MapFile{Data: data, Mode: 0o444}
		return nil
	})
	return out, err
}

// Scenario is one runnable scenario (one Examples row of an outline).
type Scenario struct {
	// PickleID is godog's ID of the scenario, the same in every parse of
	// the same feature files (target.Setup.Scenario).
	PickleID string
	ID       string // the catalogue ID its name starts with
	IDs      []string
	Group    string
	Name     string
	URI      string
	Tags     []string
}

// Select lists the scenarios a tag expression selects, in file order,
// without running them (the dry run of `authspec conform --list`).
func Select(fsys fs.FS, tags string) ([]Scenario, error) {
	suite := godog.TestSuite{Options: &godog.Options{FS: fsys, Paths: []string{"features"}, Tags: tags}}
	feats, err := suite.RetrieveFeatures()
	if err != nil {
		return nil, err
	}
	var out []Scenario
	for _, f := range feats {
		for _, p := range f.Pickles {
			sc := Scenario{PickleID: p.Id, Name: p.Name, URI: p.Uri}
			for _, t := range p.Tags {
				name := strings.TrimPrefix(t.Name, "@")
				sc.Tags = append(sc.Tags, name)
				switch {
				case idPattern.MatchString(name):
					sc.IDs = append(sc.IDs, name)
				case groupPattern.MatchString(name) && sc.Group == "":
					sc.Group = name
				}
			}
			first, _, _ := strings.Cut(p.Name, " ")
			for _, id := range sc.IDs {
				if id == first {
					sc.ID = id
				}
			}
			if sc.ID == "" && len(sc.IDs) > 0 {
				sc.ID = sc.IDs[0]
			}
			out = append(out, sc)
		}
	}
	return out, nil
}

// IDsOf returns the sorted distinct IDs the scenarios cover.
func IDsOf(scs []Scenario) []string {
	seen := map[string]bool{}
	for _, sc := range scs {
		for _, id := range sc.IDs {
			seen[id] = true
		}
	}
	out := make([]string, 0, len(seen))
	for id := range seen {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// IsID tells a catalogue ID ("JWT-CLAIM-02") from a group or another tag.
func IsID(tag string) bool { return idPattern.MatchString(tag) }
