package runner

import (
	"strings"
	"testing"
	"testing/fstest"
)

const twinsFeature = `@G
Feature: G twins
  A description.

  @G-01 @any-version
  Scenario: G-01 tagged
    Given a valid token
    Then the connection is accepted

  # a comment above the tags
  @G-02
  Scenario: G-02 not tagged
    Then the connection is accepted

  @G-03 @any-version
  Scenario Outline: G-03 outline <x>
    Then the connection is <x>

    Examples:
      | x        |
      | accepted |

    @more
    Examples: more
      | x        |
      | accepted |
`

func TestVersionTwins(t *testing.T) {
	out := string(withVersionTwins([]byte(twinsFeature)))
	fsys := fstest.MapFS{"features/g.feature": &fstest.MapFile{Data: []byte(out)}}
	scs, err := Select(fsys, "")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var names []string
	twins := 0
	for _, sc := range scs {
		names = append(names, sc.Name)
		if strings.HasSuffix(sc.Name, MQTT311Suffix) {
			twins++
			if !contains(sc.Tags, strings.TrimPrefix(MQTT311Tag, "@")) || !contains(sc.Tags, "any-version") {
				t.Errorf("twin %q tags %v", sc.Name, sc.Tags)
			}
		} else if contains(sc.Tags, strings.TrimPrefix(MQTT311Tag, "@")) {
			t.Errorf("%q is not a twin but tagged %s", sc.Name, MQTT311Tag)
		}
	}
	// G-01, its twin, G-02, G-03's two rows and their two twins.
	if len(scs) != 7 || twins != 3 {
		t.Fatalf("got %d scenarios (%d twins): %q\n%s", len(scs), twins, names, out)
	}
	if scs[1].Name != "G-01 tagged"+MQTT311Suffix || scs[1].ID != "G-01" || scs[2].ID != "G-02" {
		t.Errorf("a twin follows its scenario and keeps its ID first: %q", names)
	}

	// The feature's tag tags every scenario; an untagged file is unchanged.
	all := strings.Replace(twinsFeature, "@G\nFeature", "@G @any-version\nFeature", 1)
	if scs, _ := Select(fstest.MapFS{"features/g.feature": &fstest.MapFile{Data: withVersionTwins([]byte(all))}}, ""); len(scs) != 8 {
		t.Errorf("feature-level tag: %d scenarios, want 8", len(scs))
	}
	plain := strings.ReplaceAll(twinsFeature, " @any-version", "")
	if got := string(withVersionTwins([]byte(plain))); got != plain {
		t.Errorf("a file without the tag changed:\n%s", got)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
