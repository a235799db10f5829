package steps

import (
	"regexp"
	"sync"

	"github.com/cucumber/godog"
)

// need is what a step definition declares about itself that must be known
// before the scenario's first step runs: chiefly a resource that must be
// chosen then. Most resources start on first use (the JWKS
// endpoint, the SCRAM backend, the OpenID provider: see resources.go); the
// one that cannot is the scenario client's MQTT client, which is chosen at
// its CONNECT, before the steps that drive its session run.
type need uint8

const (
	// needRawSession: the step drives the scenario client's session packet
	// by packet, so the client connects with the raw client
	// (client.Request.Wire).
	needRawSession need = 1 << iota
	// quotedAsDefect is no resource: the step makes the scenario's CONNECT
	// invalid ("the token is signed with another secret"), and its text is
	// quoted when a broker accepts what it should have refused.
	quotedAsDefect
	// reconfiguresBroker: the step changes the broker's chain while the
	// scenario runs (creating an authenticator), so a target that shares one
	// configuration among scenarios runs the scenario alone, applying again.
	reconfiguresBroker
	// sharedBrokerState: the step's outcome another scenario on the same
	// broker could change (a fixed Client ID, publishes, subscriptions,
	// Wills, the broker's view of a client), so a target that runs the
	// scenarios of one configuration side by side runs this one by itself.
	sharedBrokerState
)

// registry registers step definitions with godog and remembers what each
// one needs. A scenario's needs are those of the definitions its steps run,
// found as godog finds them (the first definition whose expression and
// keyword match), so a need is declared once, beside its handler, and never
// guessed from the wording of a step.
type registry struct {
	sc   *godog.ScenarioContext // nil: only record (tests list the definitions)
	defs []definition
}

type keyword uint8

const (
	anyKeyword keyword = iota
	givenKeyword
	whenKeyword
	thenKeyword
)

type definition struct {
	expr    *regexp.Regexp
	keyword keyword
	needs   need
	handler any // kept so tests can check a declaration against what the handler does
}

func newRegistry(sc *godog.ScenarioContext) *registry { return &registry{sc: sc} }

func (r *registry) add(k keyword, expr string, handler any, needs []need) {
	d := definition{expr: compiled(expr), keyword: k, handler: handler}
	for _, n := range needs {
		d.needs |= n
	}
	r.defs = append(r.defs, d)
	if r.sc == nil {
		return
	}
	switch k {
	case givenKeyword:
		r.sc.Given(d.expr, handler)
	case whenKeyword:
		r.sc.When(d.expr, handler)
	case thenKeyword:
		r.sc.Then(d.expr, handler)
	default:
		r.sc.Step(d.expr, handler)
	}
}

// expressions holds each definition's expression compiled once for the
// process (a *regexp.Regexp is safe for concurrent use), by its text.
// Every scenario registers every definition: compiling them anew in each
// scenario's initializer took two thirds of the CPU when a scheduled
// target starts all its ~950 scenarios at once, and starved the
// in-process servers their first steps wait on (the OIDC provider's
// discovery timed out). Scenarios that start together before the first
// one stored an expression may compile it twice; one copy is kept.
var expressions sync.Map

func compiled(expr string) *regexp.Regexp {
	if re, ok := expressions.Load(expr); ok {
		return re.(*regexp.Regexp)
	}
	re, _ := expressions.LoadOrStore(expr, regexp.MustCompile(expr))
	return re.(*regexp.Regexp)
}

// Before and After register scenario hooks.
func (r *registry) Before(h godog.BeforeScenarioHook) {
	if r.sc != nil {
		r.sc.Before(h)
	}
}

func (r *registry) After(h godog.AfterScenarioHook) {
	if r.sc != nil {
		r.sc.After(h)
	}
}

// Step, Given, When and Then register a definition as godog's do, with the
// resources it needs.
func (r *registry) Step(expr string, handler any, needs ...need) {
	r.add(anyKeyword, expr, handler, needs)
}
func (r *registry) Given(expr string, handler any, needs ...need) {
	r.add(givenKeyword, expr, handler, needs)
}
func (r *registry) When(expr string, handler any, needs ...need) {
	r.add(whenKeyword, expr, handler, needs)
}
func (r *registry) Then(expr string, handler any, needs ...need) {
	r.add(thenKeyword, expr, handler, needs)
}

// definitionOf returns the definition godog runs for step: the first whose
// expression matches its text and whose keyword fits its type (an And or
// But step has the type of the step before it). ok is false for an
// undefined step.
func (r *registry) definitionOf(step *godog.Step) (definition, bool) {
	for _, d := range r.defs {
		if d.keywordFits(string(step.Type)) && d.expr.MatchString(step.Text) {
			return d, true
		}
	}
	return definition{}, false
}

// keywordFits follows godog's rule. The pickle step types are compared by
// their names ("Context", "Action", "Outcome"), which the Cucumber messages
// schema fixes, so the suite need not import the messages module itself.
func (d definition) keywordFits(stepType string) bool {
	switch {
	case d.keyword == anyKeyword:
		return true
	case stepType == "Context":
		return d.keyword == givenKeyword
	case stepType == "Action":
		return d.keyword == whenKeyword
	case stepType == "Outcome":
		return d.keyword == thenKeyword
	}
	return true
}

// defectsOf lists the text of the scenario's steps whose definitions are
// declared quotedAsDefect.
func (r *registry) defectsOf(sc *godog.Scenario) []string {
	var texts []string
	for _, step := range sc.Steps {
		if d, ok := r.definitionOf(step); ok && d.needs&quotedAsDefect != 0 {
			texts = append(texts, step.Text)
		}
	}
	return texts
}

// needsOf is what the definitions of the scenario's steps need.
func (r *registry) needsOf(sc *godog.Scenario) need {
	var n need
	for _, step := range sc.Steps {
		if d, ok := r.definitionOf(step); ok {
			n |= d.needs
		}
	}
	return n
}
