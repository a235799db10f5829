package steps

import (
	"context"
	"errors"
	"fmt"

	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/client"
	"github.com/authspec/authspec/steps/internal/verify"
	"github.com/authspec/authspec/steps/target"
)

// The shared verifiers live in steps/internal/verify, without godog; every
// failure is a verify.Mismatch that reads "expected X, got Y" so reports
// stay uniform; X is stated in the catalogue's terms. This file turns their
// results into step outcomes.

// mismatch is a behaviour violation (a verify.Mismatch).
func mismatch(expected, got string) error { return verify.New(expected, got) }

// expectation is an expected CONNACK, in the client's protocol version.
type expectation = verify.Connack

// verifyConnack checks the answer against the expected code
// (verify.ConnackAnswer): a non-strict pass is attached to the report, an
// answer that never came is a harness or target problem.
func verifyConnack(ctx context.Context, ans *client.Answer, want expectation, policy target.ReasonCodePolicy) (context.Context, error) {
	if ans == nil {
		return ctx, fmt.Errorf(`the scenario checks a CONNACK before "the client connects"`)
	}
	nonStrict, err := verify.ConnackAnswer(*ans, want, policy)
	switch {
	case errors.Is(err, verify.ErrUnanswered):
		return ctx, reports.HarnessError(err)
	case err != nil:
		return ctx, err
	case nonStrict:
		return reports.AttachNonStrict(ctx, ans.String(), want.String()), nil
	}
	return ctx, nil
}

// harnessUnlessMismatch returns a driver's error as a step's: a Mismatch is
// the behaviour's verdict; any other error is the harness's or the
// target's problem.
func harnessUnlessMismatch(err error) error {
	if _, ok := verify.As(err); ok || err == nil {
		return err
	}
	return reports.HarnessError(err)
}
