package target

import (
	"context"
	"errors"
	"time"

	"github.com/authspec/authspec/reference"
)

// Reference is the reference broker in this process, on free loopback
// ports, with an empty chain that each phase provisions through its
// management API. It shares the process with the generator, so it has no
// separate Process: CPU figures of such a run cover both.
type Reference struct {
	b   *reference.Broker
	api *API
}

// StartReference starts the in-process reference; opts are added to the
// defaults (free ports, empty chain).
func StartReference(ctx context.Context, opts ...reference.Option) (*Reference, error) {
	all := append([]reference.Option{
		reference.WithMQTTListen("127.0.0.1:0"),
		reference.WithAPIListen("127.0.0.1:0"),
		reference.WithConfig([]byte("[]")),
	}, opts...)
	b, err := reference.Start(ctx, all...)
	if err != nil {
		return nil, err
	}
	key, secret := b.APIKey()
	return &Reference{b: b, api: NewAPI(b.APIURL(), key, secret)}, nil
}

func (r *Reference) Kind() string             { return KindReference }
func (r *Reference) Addr() string             { return r.b.MQTTAddr() }
func (r *Reference) Provisioner() Provisioner { return r.api }
func (r *Reference) Process() *Process        { return nil }

// Broker is the running broker.
func (r *Reference) Broker() *reference.Broker { return r.b }

func (r *Reference) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return errors.Join(r.api.Restore(ctx), r.b.Close())
}
