// Package explain shows where a catalogue ID lives in this repository: the
// scenarios that judge it (feature file and line), the handler each of
// their steps runs (package file and line), and the reference's faults that
// must turn it red (the option each sets, file and line).
//
// Everything is read from the compiled program (the embedded feature files,
// the step registry, the fault catalogue and the functions' own records of
// where they are written), never from a hand-kept table, so the answer is
// the code's. It serves a maintainer finding their way ("where does
// JWT-CLAIM-02 live?") and a vendor reading a failed verdict.
package explain

import (
	"fmt"
	"io"
	"path"
	"runtime"
	"sort"
	"strings"

	"github.com/cucumber/godog"
	messages "github.com/cucumber/messages/go/v21"

	"github.com/authspec/authspec/features"
	"github.com/authspec/authspec/reference"
	"github.com/authspec/authspec/reference/faults"
	"github.com/authspec/authspec/steps"
	"github.com/authspec/authspec/steps/runner"
)

// ID is what is known of one catalogue ID.
type ID struct {
	ID        string
	Scenarios []Scenario
	Faults    []Fault
}

// Scenario is one scenario (or Examples row) tagged with the ID.
type Scenario struct {
	Name string
	File string // "features/jwt_claim.feature"
	Line int
	// Outline is the line of the Scenario Outline an Examples row belongs
	// to (Line otherwise): the rows of one outline run the same steps.
	Outline int
	// Twin: the scenario also runs as its MQTT 3.1.1 twin (@any-version).
	Twin  bool
	Steps []Step
}

// Step is one step of a scenario and the handler that runs it.
type Step struct {
	Text string // as it runs
	// Written is the step as the feature file writes it: an outline's
	// step keeps its <placeholders>.
	Written string
	Line    int
	Handler string // "steps.aValidToken"
	At      Site   // where the handler is written
	Defined bool
}

// Site is a place in the repository.
type Site struct {
	File string // as the repository names it: "steps/token_steps.go"
	Line int
}

func (s Site) String() string { return fmt.Sprintf("%s:%d", s.File, s.Line) }

// Fault is a reference fault whose self-test run must turn the ID red.
type Fault struct {
	Name    string
	Doc     string
	Options []Option
}

// Option is one defect option a fault sets in a behaviour package.
type Option struct {
	Func string // "jwtauth.AcceptAlgNone"
	At   Site
}

// Explain looks up each ID or group ("JWT-CLAIM-02", "SCRAM"). An ID no
// scenario carries is an error, so a typo does not print an empty answer.
func Explain(ids []string) ([]ID, error) {
	tags, err := runner.TagExpression(ids)
	if err != nil {
		return nil, err
	}
	if tags == "" {
		return nil, fmt.Errorf("name at least one catalogue ID or group")
	}
	scs, err := scenarios(tags)
	if err != nil {
		return nil, err
	}
	byID := map[string]*ID{}
	for _, sc := range scs {
		for _, id := range sc.ids {
			if byID[id] == nil {
				byID[id] = &ID{ID: id}
			}
			byID[id].Scenarios = append(byID[id].Scenarios, sc.Scenario)
		}
	}
	if len(byID) == 0 {
		return nil, fmt.Errorf("no scenario carries %s", strings.Join(ids, ", "))
	}
	out := make([]ID, 0, len(byID))
	for _, id := range byID {
		if id.Faults, err = faultsOf(id.ID); err != nil {
			return nil, err
		}
		out = append(out, *id)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

type tagged struct {
	Scenario
	ids []string
}

// scenarios reads the feature files as the repository has them (without
// the generated 3.1.1 twins, whose lines exist in no file).
func scenarios(tags string) ([]tagged, error) {
	suite := godog.TestSuite{Options: &godog.Options{FS: features.FS, Paths: []string{"."}, Tags: tags}}
	feats, err := suite.RetrieveFeatures()
	if err != nil {
		return nil, err
	}
	var out []tagged
	for _, f := range feats {
		lines := astLines(f.GherkinDocument)
		for _, p := range f.Pickles {
			out = append(out, scenarioOf(p, "features/"+path.Clean(p.Uri), lines))
		}
	}
	return out, nil
}

func scenarioOf(p *messages.Pickle, file string, lines map[string]astNode) tagged {
	sc := tagged{Scenario: Scenario{Name: p.Name, File: file}}
	// A pickle's last AST node is its Examples row, if any, else its
	// scenario: the line a reader wants.
	if n := len(p.AstNodeIds); n > 0 {
		sc.Line = lines[p.AstNodeIds[n-1]].line
		sc.Outline = lines[p.AstNodeIds[0]].line
	}
	for _, t := range p.Tags {
		name := strings.TrimPrefix(t.Name, "@")
		if name == "any-version" {
			sc.Twin = true
		}
		if runner.IsID(name) {
			sc.ids = append(sc.ids, name)
		}
	}
	for _, ps := range p.Steps {
		sc.Steps = append(sc.Steps, stepOf(ps, lines))
	}
	return sc
}

func stepOf(ps *messages.PickleStep, lines map[string]astNode) Step {
	s := Step{Text: ps.Text}
	if len(ps.AstNodeIds) > 0 {
		n := lines[ps.AstNodeIds[0]]
		s.Line, s.Written = n.line, n.text
	}
	d, ok := steps.DefinitionOf(ps)
	if !ok {
		return s
	}
	s.Defined = true
	s.Handler = shortFunc(d.Func, d.File)
	s.At = Site{File: repoFile(d.File), Line: d.Line}
	return s
}

// astNode is where a scenario, Examples row or step is written; a step's
// text is as written (an outline's keeps its <placeholders>).
type astNode struct {
	line int
	text string
}

// astLines maps every scenario, Examples row and step of a document to
// where it is written.
func astLines(doc *messages.GherkinDocument) map[string]astNode {
	lines := map[string]astNode{}
	if doc == nil || doc.Feature == nil {
		return lines
	}
	add := func(sc *messages.Scenario) {
		lines[sc.Id] = astNode{line: int(sc.Location.Line)}
		for _, st := range sc.Steps {
			lines[st.Id] = astNode{line: int(st.Location.Line), text: st.Text}
		}
		for _, ex := range sc.Examples {
			for _, row := range ex.TableBody {
				lines[row.Id] = astNode{line: int(row.Location.Line)}
			}
		}
	}
	addBackground := func(bg *messages.Background) {
		for _, st := range bg.Steps {
			lines[st.Id] = astNode{line: int(st.Location.Line), text: st.Text}
		}
	}
	for _, c := range doc.Feature.Children {
		switch {
		case c.Scenario != nil:
			add(c.Scenario)
		case c.Background != nil:
			addBackground(c.Background)
		case c.Rule != nil:
			for _, rc := range c.Rule.Children {
				if rc.Scenario != nil {
					add(rc.Scenario)
				}
				if rc.Background != nil {
					addBackground(rc.Background)
				}
			}
		}
	}
	return lines
}

func faultsOf(id string) ([]Fault, error) {
	var out []Fault
	for _, d := range faults.All() {
		if !contains(d.IDs, id) {
			continue
		}
		f := Fault{Name: string(d.Name), Doc: d.Doc}
		sites, err := reference.DefectSites(string(d.Name))
		if err != nil {
			return nil, err
		}
		for _, s := range sites {
			f.Options = append(f.Options, Option{Func: shortFunc(s.Func, s.File), At: Site{File: repoFile(s.File), Line: s.Line}})
		}
		out = append(out, f)
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// moduleRoot is the folder the binary was built from: this file's own
// path less its place in the repository. With -trimpath it is the module
// path; either way every file of the repository starts with it.
var moduleRoot = func() string {
	_, self, _, _ := runtime.Caller(0)
	return strings.TrimSuffix(self, "steps/explain/explain.go")
}()

// repoFile is a source file as the repository names it
// ("reference/authn/jwtauth/defect_options.go").
func repoFile(file string) string {
	if moduleRoot == "" || !strings.HasPrefix(file, moduleRoot) {
		return file
	}
	return strings.TrimPrefix(file, moduleRoot)
}

// shortFunc names a function as a reader looks for it: the package (its
// file's folder) and the declared name. The runtime's name may be a
// closure ("...AcceptAlgNone.func1"), or one the compiler inlined into
// its caller ("reference.init.SkipNbf.func91"), so the package comes from
// the file and the name is the last declared one.
func shortFunc(full, file string) string {
	name := full[strings.LastIndex(full, "/")+1:]
	parts := strings.Split(name, ".")
	decl := parts[0]
	for _, p := range parts[1:] {
		if p != "init" && !isClosure(p) {
			decl = p
		}
	}
	return path.Base(path.Dir(repoFile(file))) + "." + decl
}

func isClosure(part string) bool {
	return strings.HasPrefix(part, "func") && strings.Trim(part[len("func"):], "0123456789") == "" && len(part) > len("func")
}

// Write prints the IDs for a reader. The rows of one outline are listed
// under it, with the steps they share printed once (and every handler the
// rows' values lead to: "the connection is <outcome>" may run two).
func Write(w io.Writer, ids []ID) error {
	var b strings.Builder
	for i, id := range ids {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s: %d scenario(s), %d fault(s)\n", id.ID, len(id.Scenarios), len(id.Faults))
		for _, group := range outlines(id.Scenarios) {
			writeGroup(&b, group)
		}
		for _, f := range id.Faults {
			fmt.Fprintf(&b, "  fault %s: %s\n", f.Name, f.Doc)
			for _, o := range f.Options {
				fmt.Fprintf(&b, "    sets %s (%s)\n", o.Func, o.At)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// outlines groups consecutive scenarios that are rows of one outline.
func outlines(scs []Scenario) [][]Scenario {
	var out [][]Scenario
	for _, sc := range scs {
		n := len(out)
		if n > 0 && sameOutline(out[n-1][0], sc) {
			out[n-1] = append(out[n-1], sc)
			continue
		}
		out = append(out, []Scenario{sc})
	}
	return out
}

func sameOutline(a, b Scenario) bool {
	return a.File == b.File && a.Outline == b.Outline && a.Outline != a.Line
}

func twin(sc Scenario) string {
	if sc.Twin {
		return " (and its MQTT 3.1.1 twin)"
	}
	return ""
}

func writeGroup(b *strings.Builder, rows []Scenario) {
	first := rows[0]
	if first.Outline == first.Line {
		fmt.Fprintf(b, "  scenario %s:%d %s%s\n", first.File, first.Line, first.Name, twin(first))
	} else {
		fmt.Fprintf(b, "  outline %s:%d, its steps:\n", first.File, first.Outline)
	}
	for i, st := range first.Steps {
		fmt.Fprintf(b, "    %-4d %s\n", st.Line, st.Written)
		for _, h := range handlersAt(rows, i) {
			fmt.Fprintf(b, "         -> %s\n", h)
		}
	}
	if first.Outline != first.Line {
		for _, sc := range rows {
			fmt.Fprintf(b, "    row %s:%d %s%s\n", sc.File, sc.Line, sc.Name, twin(sc))
		}
	}
}

// handlersAt lists, without repeats, the handlers the rows run at step i.
func handlersAt(rows []Scenario, i int) []string {
	var out []string
	seen := map[string]bool{}
	for _, sc := range rows {
		if i >= len(sc.Steps) {
			continue
		}
		h := "undefined step"
		if st := sc.Steps[i]; st.Defined {
			h = fmt.Sprintf("%s (%s)", st.Handler, st.At)
		}
		if !seen[h] {
			seen[h] = true
			out = append(out, h)
		}
	}
	return out
}
