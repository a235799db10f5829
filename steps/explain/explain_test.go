package explain

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authspec/authspec/steps/catalogue"
)

// repoLine reads line n of a file named as the repository names it.
func repoLine(t *testing.T, file string, n int) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(file)))
	if err != nil {
		t.Fatalf("explain names %s, which is not in the repository: %v", file, err)
	}
	lines := strings.Split(string(data), "\n")
	if n < 1 || n > len(lines) {
		t.Fatalf("explain names %s:%d, past the file's %d lines", file, n, len(lines))
	}
	return lines[n-1]
}

// Every catalogue ID is explained, and every place the answer names is
// true of the files: the scenario line holds the scenario (or its Examples
// row), the step line the step, the handler line the handler's func, and
// the fault's option line the option's func.
func TestEveryIDPointsAtRealLines(t *testing.T) {
	ids, err := catalogue.IDs()
	if err != nil {
		t.Fatal(err)
	}
	got, err := Explain(ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(ids) {
		t.Fatalf("expected %d IDs explained, got %d", len(ids), len(got))
	}
	for _, id := range got {
		if len(id.Scenarios) == 0 || len(id.Faults) == 0 {
			t.Errorf("%s: expected scenarios and faults, got %d and %d", id.ID, len(id.Scenarios), len(id.Faults))
		}
		for _, sc := range id.Scenarios {
			checkScenario(t, id.ID, sc)
		}
		for _, f := range id.Faults {
			if len(f.Options) == 0 {
				t.Errorf("%s: fault %s sets no option", id.ID, f.Name)
			}
			for _, o := range f.Options {
				checkFunc(t, o.Func, o.At)
			}
		}
	}
}

func checkScenario(t *testing.T, id string, sc Scenario) {
	t.Helper()
	line := repoLine(t, sc.File, sc.Line)
	if sc.Outline == sc.Line && !strings.Contains(line, "Scenario") {
		t.Errorf("%s: %s:%d should be a scenario, is %q", id, sc.File, sc.Line, line)
	}
	if sc.Outline != sc.Line && !strings.HasPrefix(strings.TrimSpace(line), "|") {
		t.Errorf("%s: %s:%d should be an Examples row, is %q", id, sc.File, sc.Line, line)
	}
	for _, st := range sc.Steps {
		if !st.Defined {
			t.Errorf("%s: step %q has no definition", id, st.Text)
			continue
		}
		if !strings.Contains(repoLine(t, sc.File, st.Line), st.Written) {
			t.Errorf("%s: %s:%d does not hold the step %q", id, sc.File, st.Line, st.Written)
		}
		checkFunc(t, st.Handler, st.At)
	}
}

// checkFunc: the line named is where the function is declared, or, for
// the closure a defect option returns, a line of the function's first few.
func checkFunc(t *testing.T, fn string, at Site) {
	t.Helper()
	_, name, _ := strings.Cut(fn, ".")
	for n := at.Line; n > 0 && n > at.Line-3; n-- {
		if strings.Contains(repoLine(t, at.File, n), "func "+name+"(") {
			return
		}
	}
	t.Errorf("%s is not declared at %s or just above", fn, at)
}

func TestUnknownIDIsAnError(t *testing.T) {
	if _, err := Explain([]string{"JWT-NOPE-99"}); err == nil {
		t.Fatal("expected an error for an ID no scenario carries")
	}
	if _, err := Explain([]string{"jwt claim"}); err == nil {
		t.Fatal("expected an error for a malformed ID")
	}
}

// The rows of an outline share one printing of its steps, and a step whose
// handler depends on the row lists each handler.
func TestWriteGroupsOutlineRows(t *testing.T) {
	got, err := Explain([]string{"JWT-CLAIM-02"})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := Write(&b, got); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"JWT-CLAIM-02: ",
		"outline features/jwt_claim.feature:",
		"the connection is <outcome>",
		"-> steps.theConnectionIsAccepted (steps/",
		"-> steps.theConnectionIsRefusedWith (steps/",
		"fault skip-nbf: ",
		"sets jwtauth.SkipNbf (reference/authn/jwtauth/",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("expected the answer to hold %q, got:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "the connection is <outcome>"); n != 1 {
		t.Errorf("expected the outline's steps printed once, got %d times", n)
	}
}
