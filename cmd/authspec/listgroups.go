package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/authspec/authspec/steps/runner"
	"github.com/authspec/authspec/steps/target"
)

// listGroups is `conform --list --target P` for a target that groups its
// scenarios by configuration (configure: command): the configurations it
// would apply, in order, each with its scenarios. handled is false for
// other targets (the plain list applies).
func listGroups(cmd *cobra.Command, profilePath string, ids []string) (handled bool, err error) {
	t, _, err := targetResolver(profilePath, nil)
	if err != nil {
		return true, err
	}
	sch, ok := t.(target.Scheduled)
	if !ok {
		return false, nil
	}
	n, err := runner.ListGroups(context.Background(), cmd.OutOrStdout(), ids, sch)
	var ue *runner.UsageError
	if errors.As(err, &ue) {
		return true, usageError("%v", ue.Err)
	}
	if err != nil {
		return true, err
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "%d scenarios\n", n)
	return true, nil
}
