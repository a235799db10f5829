package steps

import (
	"context"
	"errors"
	"fmt"

	"github.com/cucumber/godog"

	"github.com/authspec/authspec/reports"
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
	st.created, st.createdErr = true, a.CreateAuthenticator(cctx, cfg)
	if reason, ok := target.AsNotApplicable(st.createdErr); ok {
		return reports.NotApplicable(ctx, reason)
	}
	return ctx, nil
}

// creationResult sorts the creation's outcome into refused, created, or a
// harness problem.
func creationResult(ctx context.Context) (refused *target.ConfigRefusedError, err error) {
	st, err := state(ctx)
	if err != nil {
		return nil, err
	}
	if !st.created {
		return nil, fmt.Errorf(`the scenario checks a creation it did not attempt`)
	}
	if st.createdErr == nil {
		return nil, nil
	}
	if errors.As(st.createdErr, &refused) {
		return refused, nil
	}
	if outcome := (*creationOutcomeError)(nil); errors.As(st.createdErr, &outcome) {
		return nil, outcome.err
	}
	return nil, reports.HarnessError(st.createdErr)
}

func creatingIsRefused(ctx context.Context) error {
	refused, err := creationResult(ctx)
	if err != nil {
		return err
	}
	if refused == nil {
		return mismatch("the broker to refuse the authenticator (HTTP 400)", "it was created")
	}
	return nil
}

func creatingSucceeds(ctx context.Context) error {
	refused, err := creationResult(ctx)
	if err != nil {
		return err
	}
	if refused != nil {
		return mismatch("the authenticator to be created", refused.Error())
	}
	return nil
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
	has := false
	for _, have := range ids {
		if have == id {
			has = true
		}
	}
	switch {
	case noOrA == "no" && has:
		return ctx, mismatch(fmt.Sprintf("no %q authenticator in the chain", id), fmt.Sprintf("the chain %v", ids))
	case noOrA == "a" && !has:
		return ctx, mismatch(fmt.Sprintf("a %q authenticator in the chain", id), fmt.Sprintf("the chain %v", ids))
	}
	return ctx, nil
}
