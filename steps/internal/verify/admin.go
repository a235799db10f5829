package verify

import (
	"fmt"
	"slices"
)

// Created checks that creating an authenticator at run time succeeded;
// refusal is the broker's refusal of it (nil: created).
func Created(refusal error) error {
	if refusal == nil {
		return nil
	}
	return New("the authenticator to be created", refusal.Error())
}

// CreationRefused checks that the broker refused to create an authenticator
// (HTTP 400); refusal is its refusal (nil: it was created).
func CreationRefused(refusal error) error {
	if refusal != nil {
		return nil
	}
	return New("the broker to refuse the authenticator (HTTP 400)", "it was created")
}

// Chain checks whether the authentication chain, as the IDs of its
// authenticators, has an authenticator id (present) or not.
func Chain(ids []string, id string, present bool) error {
	if slices.Contains(ids, id) == present {
		return nil
	}
	want := fmt.Sprintf("no %q authenticator in the chain", id)
	if present {
		want = fmt.Sprintf("a %q authenticator in the chain", id)
	}
	return New(want, fmt.Sprintf("the chain %v", ids))
}
