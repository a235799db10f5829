package steps_test

import (
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/authspec/authspec/reference/faults"
	"github.com/authspec/authspec/steps/catalogue"
	"github.com/authspec/authspec/steps/runner"
)

func allScenarios(t *testing.T) []runner.Scenario {
	t.Helper()
	fsys, err := runner.FeatureFS()
	if err != nil {
		t.Fatal(err)
	}
	scs, err := runner.Select(fsys, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(scs) == 0 {
		t.Fatal("expected scenarios in the embedded features")
	}
	return scs
}

func catalogueIDs(t *testing.T) map[string]bool {
	t.Helper()
	// The repository's copy, kept equal to ../shared/spec/behaviors.md by
	// catalogue.TestCopyIsCurrent: the check runs in a clone on its own.
	ids, err := catalogue.IDs()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, id := range ids {
		out[id] = true
	}
	return out
}

// Every scenario is named and tagged by the rules the reports rely on: its
// name starts with its ID, it carries the ID and the group as tags, and the
// group is the ID's.
func TestScenariosAreTaggedByIDAndGroup(t *testing.T) {
	for _, sc := range allScenarios(t) {
		first, _, _ := strings.Cut(sc.Name, " ")
		if sc.ID == "" || sc.ID != first {
			t.Errorf("%s %q: expected the name to start with its ID tag, got ID %q", sc.URI, sc.Name, sc.ID)
			continue
		}
		if group := sc.ID[:strings.LastIndex(sc.ID, "-")]; sc.Group != group {
			t.Errorf("%s %q: expected group tag @%s, got %q", sc.URI, sc.Name, group, sc.Group)
		}
		if len(sc.IDs) != 1 {
			t.Errorf("%s %q: expected exactly one ID tag, got %v", sc.URI, sc.Name, sc.IDs)
		}
	}
}

var versionInName = regexp.MustCompile(`3\.1\.1`)

// A scenario that speaks MQTT 3.1.1 carries @v311, so a target without
// 3.1.1 can skip them by tag.
func TestV311ScenariosAreTagged(t *testing.T) {
	n := 0
	for _, sc := range allScenarios(t) {
		has := false
		for _, tag := range sc.Tags {
			if tag == "v311" {
				has = true
			}
		}
		if has {
			n++
		}
		if versionInName.MatchString(sc.Name) && !has {
			t.Errorf("%q mentions MQTT 3.1.1 but has no @v311 tag", sc.Name)
		}
	}
	if n == 0 {
		t.Error("expected MQTT 3.1.1 variants tagged @v311")
	}
}

// The catalogue and the scenarios agree: every ID is covered or listed as
// not yet covered, the not-yet list only shrinks, and no scenario names an
// unknown ID.
func TestEveryCatalogueIDHasAScenario(t *testing.T) {
	known := catalogueIDs(t)
	covered := map[string]bool{}
	for _, id := range runner.IDsOf(allScenarios(t)) {
		covered[id] = true
		if !known[id] {
			t.Errorf("a scenario names %s, which is not in the catalogue", id)
		}
	}
	pending := map[string]bool{}
	for _, id := range catalogue.NotYetCovered {
		pending[id] = true
		if covered[id] {
			t.Errorf("%s has a scenario now: remove it from catalogue.NotYetCovered", id)
		}
	}
	var missing []string
	for id := range known {
		if !covered[id] && !pending[id] {
			missing = append(missing, id)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("catalogue IDs with no scenario (write one, or list them in catalogue.NotYetCovered): %v", missing)
	}
}

// A scenario that no fault can turn red cannot be shown to fail: every ID
// with a scenario must be declared by at least one fault.
func TestEveryCoveredIDIsBrokenByAFault(t *testing.T) {
	broken := map[string]bool{}
	for _, d := range faults.All() {
		for _, id := range d.IDs {
			broken[id] = true
		}
	}
	for _, id := range runner.IDsOf(allScenarios(t)) {
		if !broken[id] {
			t.Errorf("%s has scenarios but no fault of the reference declares it", id)
		}
	}
}
