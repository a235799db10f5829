# authspec: the two commands a new user needs are `make conformance` and `make test`.
GO          ?= go
# staticcheck is pinned in go.mod (a tool directive): `go tool` builds it
# from the module cache, so a fresh machine needs nothing on PATH.
STATICCHECK ?= $(GO) tool staticcheck
REPORTS     ?= reports
PKGS        := ./...

.PHONY: all build conformance test unit selftest lint fmt-check vet staticcheck clean

all: build

build:
	$(GO) build -o bin/authspec ./cmd/authspec

## conformance: run the whole suite against the bundled reference (in-process,
## free loopback ports); reports land in $(REPORTS)/reference/.
conformance: build
	./bin/authspec conform --reports $(REPORTS)

## test: lint, unit and integration tests (the suite itself runs as Go
## subtests), then the suite's self-test.
test: lint unit selftest

unit:
	$(GO) test -count=1 -timeout 20m $(PKGS)

## selftest: every fault of the reference must turn its IDs red; writes
## $(REPORTS)/selftest/summary.json.
selftest: build
	./bin/authspec selftest --reports $(REPORTS)

lint: fmt-check vet staticcheck

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(PKGS)

staticcheck:
	$(STATICCHECK) $(PKGS)

clean:
	rm -rf bin $(REPORTS)/*/
