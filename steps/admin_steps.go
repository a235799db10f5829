package steps

import (
	"context"
	"errors"
	"fmt"

	"github.com/cucumber/godog"

	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/internal/verify"
	"github.com/authspec/authspec/steps/target"
)

func registerAdminSteps(sc *registry) {
	sc.When(`^the authenticator is created with:$`, theAuthenticatorIsCreated, reconfiguresBroker)
	sc.Then(`^creating the authenticator is refused$`, creatingIsRefused)
	sc.Then(`^creating the authenticator succeeds$`, creatingSucceeds)
	sc.Then(`^the chain has (no|a) "([^"]+)" authenticator$`, theChainHas)
}

// admin returns the instance's management interface, or says the target
// cannot change its chain at run time.
func admin(ctx context.Context) (*scenario, target.AuthenticatorAdmin, context.Context, error) {
	st, err := state(ctx)
	if err != nil {
		return nil, nil, ctx, err
	}
	inst, err := st.instance(ctx)
	if err != nil {
		ctx, err = stepError(ctx, err)
		return nil, nil, ctx, err
	}
	a, ok := inst.(target.AuthenticatorAdmin)
	if !ok {
		ctx, err = reports.NotApplicable(ctx, "the target's authentication chain cannot be changed at run time")
		return nil, nil, ctx, err
	}
	return st, a, ctx, nil
}

func theAuthenticatorIsCreated(ctx context.Context, doc *godog.DocString) (context.Context, error) {
	var cfg map[string]any
	if err := decodeJSON([]byte(doc.Content), &cfg); err != nil {
		return ctx, fmt.Errorf("the scenario's authenticator: %w", err)
	}
	if err := startNamedBeforeCreation(ctx, cfg); err != nil {
		return ctx, err
	}
	st, a, ctx, err := admin(ctx)
	if err != nil {
		return ctx, err
	}
	cctx, cancel := st.withTimeout(ctx)
	defer cancel()
	if st.created, st.createdErr = true, a.CreateAuthenticator(cctx, cfg); st.createdErr != nil {
		return notApplicableOr(ctx, st.createdErr)
	}
	return ctx, nil
}

// notApplicableOr ends the step as not applicable when err says the target
// cannot do what it asks; any other error is left for the Then steps.
func notApplicableOr(ctx context.Context, err error) (context.Context, error) {
	if reason, ok := target.AsNotApplicable(err); ok {
		return reports.NotApplicable(ctx, reason)
	}
	return ctx, nil
}

// creationResult sorts the creation's outcome into refused (the broker's
// refusal), created (nil, nil), or a harness problem.
func creationResult(ctx context.Context) (refusal, err error) {
	st, err := state(ctx)
	if err != nil {
		return nil, err
	}
	if !st.created {
		return nil, fmt.Errorf(`the scenario checks a creation it did not attempt`)
	}
	var refused *target.ConfigRefusedError
	var outcome *creationOutcomeError
	switch {
	case st.createdErr == nil:
		return nil, nil
	case errors.As(st.createdErr, &refused):
		return refused, nil
	case errors.As(st.createdErr, &outcome):
		return nil, outcome.err
	}
	return nil, reports.HarnessError(st.createdErr)
}

func creatingIsRefused(ctx context.Context) error {
	refusal, err := creationResult(ctx)
	if err != nil {
		return err
	}
	return verify.CreationRefused(refusal)
}

func creatingSucceeds(ctx context.Context) error {
	refusal, err := creationResult(ctx)
	if err != nil {
		return err
	}
	return verify.Created(refusal)
}

func theChainHas(ctx context.Context, noOrA, id string) (context.Context, error) {
	st, a, ctx, err := admin(ctx)
	if err != nil {
		return ctx, err
	}
	cctx, cancel := st.withTimeout(ctx)
	defer cancel()
	ids, err := a.AuthenticatorIDs(cctx)
	if err != nil {
		return ctx, reports.HarnessError(err)
	}
	return ctx, verify.Chain(ids, id, noOrA == "a")
}
