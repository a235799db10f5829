package catalogue

import (
	"errors"
	"flag"
	"os"
	"slices"
	"testing"

	"github.com/authspec/authspec/fixtures/testenv"
)

func TestParseIDs(t *testing.T) {
	md := []byte("# x\n- **JWT-SRC-02** text\n- **CHAIN-01** text\n  - **NOT-AN-ENTRY** x\nsee JWT-SRC-03 inline\n- **SEC-06** `alg`\n")
	ids, err := ParseIDs(md)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"CHAIN-01", "JWT-SRC-02", "SEC-06"}
	if len(ids) != len(want) {
		t.Fatalf("expected %v, got %v", want, ids)
	}
	for i := range want {
		if ids[i] != want[i] {
			t.Fatalf("expected %v, got %v", want, ids)
		}
	}
	if _, err := ParseIDs([]byte("- **A-01** x\n- **A-01** y\n")); err == nil {
		t.Error("expected an error for a duplicated ID")
	}
	if _, err := ParseIDs([]byte("nothing")); err == nil {
		t.Error("expected an error for a file without entries")
	}
}

// update rewrites ids.txt from ../shared/spec/behaviors.md.
var update = flag.Bool("update", false, "rewrite ids.txt from ../shared/spec/behaviors.md")

// TestCopyIsCurrent keeps the repository's copy (ids.txt) equal to the
// catalogue beside the checkout. Without ../shared the copy cannot be
// compared: skipped on a developer's machine, required in CI (which has it).
func TestCopyIsCurrent(t *testing.T) {
	path, err := Find(".")
	if errors.Is(err, ErrNotFound) {
		testenv.Unavailable(t, "the copy ids.txt cannot be compared with the catalogue: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want, err := ParseIDs(md)
	if err != nil {
		t.Fatal(err)
	}
	rendered := RenderIDsFile(Title(md), want)
	if *update {
		if err := os.WriteFile("ids.txt", []byte(rendered), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("ids.txt rewritten from %s: %d IDs (rebuild to embed it)", path, len(want))
		return
	}
	got, err := IDs()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) || idsFile != rendered {
		var added, removed []string
		for _, id := range want {
			if !slices.Contains(got, id) {
				added = append(added, id)
			}
		}
		for _, id := range got {
			if !slices.Contains(want, id) {
				removed = append(removed, id)
			}
		}
		t.Errorf("ids.txt is not the catalogue at %s (%q): missing %v, not in the catalogue %v; run "+
			"go test ./steps/catalogue -run TestCopyIsCurrent -args -update", path, Title(md), added, removed)
	}
}

func TestTheCopy(t *testing.T) {
	ids, err := IDs()
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, id := range ids {
		known[id] = true
	}
	for _, id := range NotYetCovered {
		if !known[id] {
			t.Errorf("NotYetCovered lists %s, which is not in the catalogue", id)
		}
	}
	if len(ids) < 100 {
		t.Errorf("expected the whole catalogue (over 100 entries), got %d", len(ids))
	}
}

func TestParseIDsFile(t *testing.T) {
	if ids, err := parseIDsFile("# c\nA-01\n\nB-C-02\n"); err != nil || !slices.Equal(ids, []string{"A-01", "B-C-02"}) {
		t.Errorf("expected [A-01 B-C-02], got %v, %v", ids, err)
	}
	for _, bad := range []string{"", "# only\n", "A-01\nA-01\n", "B-01\nA-01\n", "a-01\n", "A-1\n"} {
		if _, err := parseIDsFile(bad); err == nil {
			t.Errorf("%q: expected an error", bad)
		}
	}
}
