# SPDX-License-Identifier: MIT
# test/go.mk: real Go programs (test/go/, test/go.list), cross-compiled with
# Debian's golang-go for windows/amd64. Standard library only, no cgo; the
# build cache and GOPATH stay under build/go/ and nothing is fetched
# (GOPROXY=off), so the build works offline and as root. Each program
# prints "N passed, M failed" last (test/go/internal/suite).

GO_DIR     := test/go
GO_PROGRAMS := http tcpecho udp deadline dial
GO_COMMON  := $(GO_DIR)/go.mod $(wildcard $(GO_DIR)/internal/suite/*.go)
GO_ENV     := GOOS=windows GOARCH=amd64 CGO_ENABLED=0 GOENV=off GOPROXY=off GOFLAGS=-mod=mod \
              GOCACHE=$(CURDIR)/$(BUILD)/go/cache GOPATH=$(CURDIR)/$(BUILD)/go/path

# $(call go_program,NAME): build/x64/tests/go_NAME.exe from test/go/NAME/.
define go_program
$(TEST_DIR)/go_$(1).exe: $(wildcard $(GO_DIR)/$(1)/*.go) $(GO_COMMON)
	@mkdir -p $$(dir $$@)
	cd $(GO_DIR) && $(GO_ENV) go build -trimpath -o $(CURDIR)/$$@ ./$(1)
tests: $(TEST_DIR)/go_$(1).exe
endef
$(foreach p,$(GO_PROGRAMS),$(eval $(call go_program,$(p))))
