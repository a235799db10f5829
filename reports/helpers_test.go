package reports

import (
	"encoding/base64"
	"encoding/json"
	"strconv"
	"testing"
)

func itoa(i int) string { return strconv.Itoa(i) }

// fakeScenario describes one scenario of a hand-built cucumber record: its ID, and how
// its one step ended.
type fakeScenario struct {
	id      string
	status  string // godog step status
	message string
	attach  map[string]string // media type -> body
	// setup: the status goes to a Given step, and the Then step after it
	// is skipped (a scenario that failed in its set-up).
	setup bool
}

// cucumberOf renders scenarios in godog's cucumber JSON shape, one feature per group.
func cucumberOf(t *testing.T, scs ...fakeScenario) []byte {
	t.Helper()
	features := map[string]*cukeFeature{}
	var order []string
	for i, sc := range scs {
		g := GroupOf(sc.id)
		f, ok := features[g]
		if !ok {
			f = &cukeFeature{URI: "features/" + g + ".feature", Name: g}
			features[g] = f
			order = append(order, g)
		}
		st := cukeStep{Keyword: "Then ", Name: "the broker behaves", Line: i*10 + 2, Result: cukeResult{Status: sc.status, Error: sc.message}}
		for mt, body := range sc.attach {
			st.Embeddings = append(st.Embeddings, cukeEmbedding{Name: "x", MimeType: mt, Data: base64.StdEncoding.EncodeToString([]byte(body))})
		}
		steps := []cukeStep{st}
		if sc.setup {
			given := st
			given.Keyword, given.Name, given.Line = "Given ", "a broker", st.Line-1
			st.Result, st.Embeddings = cukeResult{Status: statusSkipped}, nil
			steps = []cukeStep{given, st}
		}
		f.Elements = append(f.Elements, cukeElement{
			Name: sc.id + " behaves", Line: i*10 + 1, Type: "scenario",
			Tags:  []cukeTag{{Name: "@" + g}, {Name: "@" + sc.id}},
			Steps: steps,
		})
	}
	var out []cukeFeature
	for _, g := range order {
		out = append(out, *features[g])
	}
	data, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func mustBaseline(t *testing.T, yaml string) *Baseline {
	t.Helper()
	b, err := ParseBaseline([]byte(yaml), "gaps.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustBuild(t *testing.T, data []byte, b *Baseline) *Summary {
	t.Helper()
	s, err := Build(data, fixtureMeta, b)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
