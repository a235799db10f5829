package steps

import (
	"slices"
	"strings"
	"testing"

	"github.com/cucumber/godog"

	"github.com/authspec/authspec/features"
)

type taggedScenario struct {
	Name string
	Tags []string // without "@"
}

func allScenarios(t *testing.T) []taggedScenario {
	t.Helper()
	suite := godog.TestSuite{Options: &godog.Options{FS: features.FS, Paths: []string{"."}}}
	feats, err := suite.RetrieveFeatures()
	if err != nil {
		t.Fatal(err)
	}
	var out []taggedScenario
	for _, f := range feats {
		for _, p := range f.Pickles {
			sc := taggedScenario{Name: p.Name}
			for _, tg := range p.Tags {
				sc.Tags = append(sc.Tags, strings.TrimPrefix(tg.Name, "@"))
			}
			out = append(out, sc)
		}
	}
	if len(out) == 0 {
		t.Fatal("no scenarios")
	}
	return out
}

// Every ambiguity tag names an open ambiguity of the catalogue and one of
// its readings, and sits on a scenario tagged @ambiguity.
func TestAmbiguityTags(t *testing.T) {
	judged := map[string]bool{}
	for _, sc := range allScenarios(t) {
		tags := make([]string, len(sc.Tags))
		for i, tg := range sc.Tags {
			tags[i] = "@" + tg
		}
		r, err := readingsOf(tags)
		if err != nil {
			t.Errorf("%q: %v", sc.Name, err)
			continue
		}
		if len(r) > 0 && !slices.Contains(sc.Tags, "ambiguity") {
			t.Errorf("%q depends on %s but is not tagged @ambiguity", sc.Name, r.attachment())
		}
		for id, reading := range r {
			judged[id+"="+reading] = true
		}
	}
	for _, want := range []string{"A1=exp-optional", "A1=exp-required", "A8=kid-selects", "A9=docs-only"} {
		if !judged[want] {
			t.Errorf("no scenario expects %s", want)
		}
	}
}

func TestReadingsOf(t *testing.T) {
	for _, tc := range []struct {
		tags []string
		want string
		err  string
	}{
		{[]string{"@JWT-CLAIM-04", "@A1"}, "A1=exp-optional", ""},
		{[]string{"@A1", "@A1=exp-required"}, "A1=exp-required", ""},
		{[]string{"@A1=exp-required"}, "", "without @A1"},
		{[]string{"@A2"}, "", "resolved"},
		{[]string{"@A1", "@A1=exp-requried"}, "", "not a reading"},
		{[]string{"@A99"}, "", "no such ambiguity"},
	} {
		r, err := readingsOf(tc.tags)
		switch {
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%v: got %v, want an error with %q", tc.tags, err, tc.err)
		case tc.err == "" && (err != nil || r.attachment() != tc.want):
			t.Errorf("%v: got %q %v, want %q", tc.tags, r.attachment(), err, tc.want)
		}
	}
}
