package catalogue

import (
	"errors"
	"testing"
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

func TestTheRealCatalogue(t *testing.T) {
	path, err := Find(".")
	if errors.Is(err, ErrNotFound) {
		t.Skipf("catalogue not available: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	ids, err := Load(path)
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
