package steps

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/cucumber/godog"

	"github.com/authspec/authspec/features"
)

// compiledScenarios reads the scenarios of features/ as godog compiles them.
func compiledScenarios(t *testing.T) []*godog.Scenario {
	t.Helper()
	suite := godog.TestSuite{Options: &godog.Options{FS: features.FS, Paths: []string{"."}}}
	feats, err := suite.RetrieveFeatures()
	if err != nil {
		t.Fatal(err)
	}
	var out []*godog.Scenario
	for _, f := range feats {
		out = append(out, f.Pickles...)
	}
	if len(out) == 0 {
		t.Fatal("expected scenarios under features/")
	}
	return out
}

func allDefinitions() *registry { return allSteps() }

// Every step of every scenario has exactly one definition, so the one the
// registry finds (and whose needs it reads) is the one godog runs.
func TestEveryStepHasExactlyOneDefinition(t *testing.T) {
	r := allDefinitions()
	for _, sc := range compiledScenarios(t) {
		for _, step := range sc.Steps {
			var n int
			for _, d := range r.defs {
				if d.keywordFits(string(step.Type)) && d.expr.MatchString(step.Text) {
					n++
				}
			}
			if n != 1 {
				t.Errorf("%s: step %q: expected one definition, got %d", sc.Name, step.Text, n)
			}
		}
	}
}

// The scenarios that drive the client's session packet by packet get the
// raw client from their definitions' declarations.
func TestSessionScenariosNeedTheRawClient(t *testing.T) {
	r := allDefinitions()
	var raw, plain int
	for _, sc := range compiledScenarios(t) {
		if r.needsOf(sc)&needRawSession != 0 {
			raw++
		} else {
			plain++
		}
	}
	if raw == 0 || plain == 0 {
		t.Errorf("expected scenarios with and without the raw client, got %d and %d", raw, plain)
	}
}

func TestDefinitionOfFollowsGodogsMatching(t *testing.T) {
	r := newRegistry(nil)
	r.Given(`^the client connects$`, func() {}, quotedAsDefect)
	r.Then(`^the client connects$`, func() {}, needRawSession)
	r.Step(`^the client (.*)$`, func() {})
	// The step types are godog's pickle step types by name.
	cases := []struct {
		step godog.Step
		want need
		ok   bool
	}{
		{godog.Step{Text: "the client connects", Type: "Context"}, quotedAsDefect, true},
		{godog.Step{Text: "the client connects", Type: "Outcome"}, needRawSession, true},
		{godog.Step{Text: "the client connects", Type: "Action"}, 0, true}, // falls to the keyword-free Step
		{godog.Step{Text: "the client waits", Type: "Outcome"}, 0, true},
		{godog.Step{Text: "a broker", Type: "Context"}, 0, false},
	}
	for _, c := range cases {
		d, ok := r.definitionOf(&c.step)
		if ok != c.ok || d.needs != c.want {
			t.Errorf("%s %q: expected %v %v, got %v %v", c.step.Type, c.step.Text, c.want, c.ok, d.needs, ok)
		}
	}
}

// No hook chooses what a scenario does by reading its steps' text: only
// the registry resolves a step to its definition, as godog does, and reads
// what the definition declares. A hook that scanned step text (a Before
// hook over godog.Scenario.Steps, a step hook over godog.Step.Text or its
// doc string) would let a step that its pattern missed run with the wrong
// client or without its server.
func TestNoHookReadsStepText(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || name == "registry.go" {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			switch sel.Sel.Name {
			case "Steps", "Text", "Argument", "StepContext":
				t.Errorf("%s: %s reads .%s: resolve steps through the registry (registry.go) and declare needs on definitions",
					name, fset.Position(sel.Pos()), sel.Sel.Name)
			}
			return true
		})
	}
}

// A definition declares needRawSession exactly when its handler drives the
// client's session (reaches scenario.clientConn), so a new session step
// cannot forget the declaration and run on paho, and a declaration does not
// outlive its reason. The call graph is read from the package's source:
// calls of functions by name, and of scenario methods through the receiver
// name every scenario method uses, st.
func TestRawSessionIsDeclaredByEveryHandlerThatDrivesTheSession(t *testing.T) {
	calls := callGraph(t)
	reaches := func(from string) bool {
		seen := map[string]bool{}
		var walk func(string) bool
		walk = func(fn string) bool {
			if fn == "scenario.clientConn" {
				return true
			}
			if seen[fn] {
				return false
			}
			seen[fn] = true
			for _, c := range calls[fn] {
				if walk(c) {
					return true
				}
			}
			return false
		}
		return walk(from)
	}
	declared, driving := 0, 0
	for _, d := range allDefinitions().defs {
		full := runtime.FuncForPC(reflect.ValueOf(d.handler).Pointer()).Name()
		name := full[strings.LastIndex(full, ".")+1:]
		if _, ok := calls[name]; !ok {
			t.Errorf("%s: handler %s not found in the package's source", d.expr, full)
			continue
		}
		drives, declares := reaches(name), d.needs&needRawSession != 0
		if drives {
			driving++
		}
		if declares {
			declared++
		}
		if drives != declares {
			t.Errorf("%s (%s): drives the client's session %v, declares needRawSession %v", d.expr, name, drives, declares)
		}
	}
	if declared == 0 || driving == 0 {
		t.Errorf("expected session steps, got %d declared, %d driving", declared, driving)
	}
}

// callGraph maps each function of the package ("name", or "scenario.name"
// for a method of *scenario) to what it calls.
func callGraph(t *testing.T) map[string][]string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	graph := map[string][]string{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			key := fn.Name.Name
			if fn.Recv != nil {
				star, ok := fn.Recv.List[0].Type.(*ast.StarExpr)
				if !ok {
					continue
				}
				if id, isIdent := star.X.(*ast.Ident); !isIdent || id.Name != "scenario" {
					continue
				}
				key = "scenario." + key
			}
			var out []string
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				switch f := call.Fun.(type) {
				case *ast.Ident:
					out = append(out, f.Name)
				case *ast.SelectorExpr:
					if x, ok := f.X.(*ast.Ident); ok && x.Name == "st" {
						out = append(out, "scenario."+f.Sel.Name)
					}
				}
				return true
			})
			graph[key] = out
		}
	}
	return graph
}

// Every scenario registers every definition, and a scheduled target starts
// all its scenarios at once: the expressions are compiled once for the
// process and shared, never compiled again in each scenario's initializer
// (whose CPU, ~950 times over, starved the in-process servers the first
// steps wait on: the OIDC provider's discovery timed out).
func TestScenariosShareTheCompiledExpressions(t *testing.T) {
	a, b := allSteps(), allSteps()
	if len(a.defs) == 0 || len(a.defs) != len(b.defs) {
		t.Fatalf("two registrations: %d and %d definitions", len(a.defs), len(b.defs))
	}
	for i := range a.defs {
		if a.defs[i].expr != b.defs[i].expr {
			t.Errorf("%s: compiled again for another scenario", a.defs[i].expr)
		}
	}
}

// BenchmarkRegisterSteps is what each scenario's initializer spends on its
// step definitions.
func BenchmarkRegisterSteps(b *testing.B) {
	for b.Loop() {
		registerSteps(newRegistry(nil))
	}
}
