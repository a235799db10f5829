package reports

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseBaselineAcceptsTheDocumentedShape(t *testing.T) {
	b := mustBaseline(t, "# gaps\n- id: JWT-CLAIM-01\n  reason: accepts tokens without exp\n- id: SCRAM-10\n  reason: \"no #123\"\n")
	if got := strings.Join(b.IDs(), ","); got != "JWT-CLAIM-01,SCRAM-10" {
		t.Errorf("IDs %s", got)
	}
	e, ok := b.Lookup("SCRAM-10")
	if !ok || e.Reason != "no #123" || e.Line != 4 {
		t.Errorf("SCRAM-10 entry %+v %v", e, ok)
	}
	if _, ok := b.Lookup("SCRAM-11"); ok {
		t.Error("SCRAM-11 is not listed")
	}
	var nilBaseline *Baseline
	if _, ok := nilBaseline.Lookup("SCRAM-10"); ok || nilBaseline.IDs() != nil {
		t.Error("a nil baseline lists nothing")
	}
}

func TestParseBaselineEmptyFileIsEmpty(t *testing.T) {
	for _, in := range []string{"", "# only a comment\n"} {
		b, err := ParseBaseline([]byte(in), "gaps.yaml")
		if err != nil || len(b.IDs()) != 0 {
			t.Errorf("%q: %v %v", in, b.IDs(), err)
		}
	}
}

func TestParseBaselineRejectsBadInput(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"unknown key", "- id: JWT-CLAIM-01\n  reason: r\n  expires: 2027\n", `gaps.yaml:3: unknown key "expires"`},
		{"misspelt key", "- id: JWT-CLAIM-01\n  reasons: r\n", `gaps.yaml:2: unknown key "reasons"`},
		{"not a list", "JWT-CLAIM-01: r\n", "gaps.yaml:1: found !!map where a list"},
		{"bad id", "- id: jwt-claim-01\n  reason: r\n", `gaps.yaml:1: id "jwt-claim-01" is not a catalogue ID`},
		{"group instead of id", "- id: JWT-CLAIM\n  reason: r\n", "not a catalogue ID"},
		{"empty reason", "- id: JWT-CLAIM-01\n  reason: r\n- id: SCRAM-01\n", "gaps.yaml:3: SCRAM-01 has no reason"},
		{"duplicate", "- id: SCRAM-01\n  reason: a\n- id: SCRAM-01\n  reason: b\n", "gaps.yaml:3: SCRAM-01 is already listed at line 1"},
		{"two documents", "- id: SCRAM-01\n  reason: a\n---\n- id: SCRAM-02\n  reason: b\n", "one YAML document"},
		{"not yaml", "- id: [\n", "gaps.yaml:1: did not find expected node content"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseBaseline([]byte(c.in), "gaps.yaml")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want it to contain %q", err, c.want)
			}
		})
	}
}

func TestLoadBaselineMissingFile(t *testing.T) {
	_, err := LoadBaseline(filepath.Join(t.TempDir(), "absent.yaml"))
	if err == nil || !os.IsNotExist(unwrapAll(err)) {
		t.Errorf("error %v, want a not-exist error", err)
	}
}

func unwrapAll(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok || u.Unwrap() == nil {
			return err
		}
		err = u.Unwrap()
	}
}
