# Thin wrappers around npm scripts. `make test` is what CI runs (.ci/run); `make demo` starts the sandbox.
SHELL := /bin/bash
.DEFAULT_GOAL := help
NPM_STAMP := node_modules/.install-stamp

.PHONY: help install test typecheck jest demo demo-once lint clean

help:
	@echo "make demo   - start the sandbox: seeded Mattermost simulator + offboarding service (Ctrl-C to stop)"
	@echo "make test   - install what the tests need (Debian postgresql, npm packages) and run every test"
	@echo "make lint   - type-check all packages"

# Install from the lockfile when it changed since the last install (better-sqlite3 builds from source: ~1 min).
# Not `npm ci`: the registry mirror lacks some other platforms' optional binaries (@swc/core-darwin-*), which
# `npm ci` insists on finding in the lockfile; `npm install --no-save` installs the locked versions and skips them.
$(NPM_STAMP): package-lock.json package.json server/package.json webapp/package.json
	npm install --no-save --no-audit --no-fund
	@touch $(NPM_STAMP)

install: $(NPM_STAMP)

test: install
	./scripts/ensure_postgres.sh
	npm run typecheck
	npm test

typecheck lint: install
	npm run typecheck

demo: install
	npx offboard sandbox

demo-once: install
	npx offboard sandbox --once

clean:
	rm -rf node_modules server/node_modules webapp/node_modules dist coverage
