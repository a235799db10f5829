// Package steps holds the step definitions of the conformance scenarios
// (features/*.feature). Steps are thin: they record what a scenario
// describes in its state (kept in the context.Context, never in package
// globals) and call small shared verifiers whose errors all read "expected
// X, got Y". The broker under test is reached only through a target.Target,
// so the same scenario text runs on any broker.
//
// A scenario describes its token relative to the configuration: by default a
// token is signed correctly for the configured JWT authenticator (its secret,
// or the private key matching its public key), expires in an hour, and
// carries every verify_claims claim rendered for the connecting client. Each
// scenario then breaks exactly one aspect of it.
package steps

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/cucumber/godog"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/target"
)

// DefaultStepTimeout bounds every network wait of a step.
const DefaultStepTimeout = 5 * time.Second

// Suite binds the step definitions to one target.
type Suite struct {
	Target target.Target
	// StepTimeout bounds each step's network waits (DefaultStepTimeout
	// when zero).
	StepTimeout time.Duration
}

// InitializeScenario registers every step and the scenario hooks; pass it
// as godog.TestSuite.ScenarioInitializer.
func (s *Suite) InitializeScenario(ctx *godog.ScenarioContext) {
	sc := newRegistry(ctx)
	sc.Before(func(ctx context.Context, scen *godog.Scenario) (context.Context, error) {
		return s.before(ctx, scen, sc)
	})
	sc.After(after)
	registerSteps(sc)
}

// registerSteps registers every step definition and the hooks of the
// servers a scenario runs.
func registerSteps(sc *registry) {
	registerSetupSteps(sc)
	registerTokenSteps(sc)
	registerClientSteps(sc)
	registerOutcomeSteps(sc)
	registerAdminSteps(sc)
	registerScramSteps(sc)
	registerJWKSSteps(sc)
	registerSessionSteps(sc)
	registerAuthzSteps(sc)
	registerSecSteps(sc)
	registerOIDCSteps(sc)
}

func (s *Suite) timeout() time.Duration {
	if s.StepTimeout > 0 {
		return s.StepTimeout
	}
	return DefaultStepTimeout
}

var idTag = regexp.MustCompile(`^@([A-Z]+(?:-[A-Z]+)*-\d\d)$`)

// before creates the scenario's state.
func (s *Suite) before(ctx context.Context, sc *godog.Scenario, reg *registry) (context.Context, error) {
	st := s.newScenario(sc, reg)
	ctx = withScenario(ctx, st)
	var err error
	if st.readings, err = readingsOf(st.tags); err != nil {
		return ctx, reports.HarnessError(err)
	}
	st.otherReading = st.readings.judgedUnder(s.Target)
	st.vpick = pickVersion(st.tags)
	st.client.version = st.vpick.version()
	st.setup = st.initialSetup(sc.Id)
	st.trace.Note("scenario %q against %s", sc.Name, s.Target.Name())
	return ctx, nil
}

// newScenario is a scenario's state before its tags are interpreted.
func (s *Suite) newScenario(sc *godog.Scenario, reg *registry) *scenario {
	st := &scenario{
		suite:   s,
		needs:   reg.needsOf(sc),
		defects: reg.defectsOf(sc),
		name:    sc.Name,
		keys:    tokens.NewKeyring(),
		trace:   mqttwire.NewTrace(),
		client:  newClientSpec(),
	}
	st.readTags(sc)
	return st
}

// readTags keeps the scenario's tags and the catalogue IDs among them.
func (st *scenario) readTags(sc *godog.Scenario) {
	for _, t := range sc.Tags {
		st.tags = append(st.tags, t.Name)
		if m := idTag.FindStringSubmatch(t.Name); m != nil {
			st.ids = append(st.ids, m[1])
		}
	}
}

// initialSetup is what the target is told of the scenario before any step
// adds its configuration: which scenario, its keys and IDs, and how it
// must be scheduled (from its tags and its definitions' declared needs).
func (st *scenario) initialSetup(pickleID string) target.Setup {
	return target.Setup{
		Scenario:    pickleID,
		Keys:        st.keys,
		IDs:         st.ids,
		Readings:    st.readings,
		ExactConfig: contains(st.tags, "@exact-config"),
		Alone:       st.needs&reconfiguresBroker != 0,
		Exclusive:   st.needs&sharedBrokerState != 0,
	}
}

// after releases the scenario's connections and broker, and attaches the
// packet trace when the scenario failed.
func after(ctx context.Context, sc *godog.Scenario, err error) (context.Context, error) {
	st, ok := lookupScenario(ctx)
	if !ok {
		return ctx, nil
	}
	closeErr := st.close()
	if len(st.readings) > 0 && st.otherReading == "" {
		ctx = reports.AttachReading(ctx, st.readings.attachment())
	}
	if o, ok := st.suite.Target.(target.ScenarioObserver); ok {
		o.ScenarioDone(sc.Id)
	}
	if err != nil && !errors.Is(err, godog.ErrSkip) {
		ctx = reports.AttachPacketTrace(ctx, st.trace.String())
	}
	if closeErr != nil {
		return ctx, reports.HarnessError(fmt.Errorf("cleaning up: %w", closeErr))
	}
	return ctx, nil
}
