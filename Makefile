# gosdk developer commands. `make test` is the test command CI runs.
GO ?= go
STATICCHECK_VERSION ?= v0.8.2

.PHONY: test test-main test-interop lint demo examples bench

test: test-main test-interop

test-main:
	$(GO) test -race -count=1 ./...

test-interop:
	@if [ -f interop/go.mod ]; then cd interop && $(GO) test -race -count=1 ./...; fi
	@if [ -f interop/node/package.json ]; then cd interop/node && npm ci --no-audit --no-fund --silent && npm test; fi

lint:
	@test -z "$$(gofmt -l . | tee /dev/stderr)" || (echo "gofmt needed" && exit 1)
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...

demo:
	$(GO) run ./examples/full-flow

examples:
	$(GO) run ./examples/full-flow
	$(GO) run ./examples/crosspost
	$(GO) run ./examples/esia-login -headless
	$(GO) run ./examples/vk-verification
	$(GO) run ./examples/ok-verification
	$(GO) run ./examples/pos-forms
	$(GO) run ./examples/telegram-channel

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...
