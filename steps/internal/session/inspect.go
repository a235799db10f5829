package session

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"time"

	"github.com/authspec/authspec/steps/internal/verify"
	"github.com/authspec/authspec/steps/target"
)

// View is the broker's view of a client (EMQX: GET
// /api/v5/clients/{clientid}); Found is false when it shows none.
type View struct {
	Info  target.ClientInfo
	Found bool
}

// pollInterval spaces the questions of AwaitClient.
const pollInterval = 50 * time.Millisecond

// AwaitClient asks the broker for clientID until done accepts its view or
// ctx ends, since registration may trail the CONNACK by a moment, and
// returns the last view. The error is the inspector's.
func AwaitClient(ctx context.Context, insp target.ClientInspector, clientID string, done func(View) bool) (View, error) {
	for {
		info, found, err := insp.Client(ctx, clientID)
		if err != nil {
			return View{}, err
		}
		v := View{Info: info, Found: found}
		if done(v) {
			return v, nil
		}
		select {
		case <-ctx.Done():
			return v, nil
		case <-time.After(pollInterval):
		}
	}
}

// Connected reports a view of a connected client.
func Connected(v View) bool { return v.Found && v.Info.Connected }

// CheckConnected checks that the broker shows clientID connected.
func CheckConnected(clientID string, v View) error {
	switch {
	case Connected(v):
		return nil
	case v.Found:
		return verify.New(fmt.Sprintf("a connected client %q", clientID), "a client by that ID that is not connected")
	}
	return verify.New(fmt.Sprintf("a connected client %q", clientID), "no client by that ID")
}

// Attributes are the client attributes a scenario expects, as it wrote
// them (a JSON object of strings).
type Attributes struct {
	text string
	want map[string]string
}

// ParseAttributes reads the expected attributes.
func ParseAttributes(text string) (Attributes, error) {
	var want map[string]string
	if err := json.Unmarshal([]byte(text), &want); err != nil {
		return Attributes{}, fmt.Errorf("the expected attributes must be a JSON object of strings: %w", err)
	}
	return Attributes{text: text, want: want}, nil
}

// Shown reports a view of the client with exactly these attributes.
func (a Attributes) Shown(v View) bool { return v.Found && maps.Equal(v.Info.ClientAttrs, a.want) }

// Check checks that the broker shows clientID with these attributes.
func (a Attributes) Check(clientID string, v View) error {
	if a.Shown(v) {
		return nil
	}
	got := "no client by that ID"
	if v.Found {
		b, _ := json.Marshal(v.Info.ClientAttrs)
		got = "attributes " + string(b)
	}
	return verify.New(fmt.Sprintf("client %q with attributes %s", clientID, a.text), got)
}
