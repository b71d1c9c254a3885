# Thin wrappers around npm scripts. `make test` is what CI runs (.ci/run); `make demo` starts the sandbox.
SHELL := /bin/bash
.DEFAULT_GOAL := help
NPM_STAMP := node_modules/.install-stamp

.PHONY: help install test typecheck demo demo-once lint dist deploy clean

help:
	@echo "make demo   - start the sandbox: seeded Mattermost simulator + offboarding service (Ctrl-C to stop)"
	@echo "make test   - install what the tests need (Debian postgresql, npm packages) and run every test"
	@echo "make lint   - type-check all packages"
	@echo "make dist   - check plugin.json, build the webapp and pack dist/offboarding-<version>.tar.gz"
	@echo "make deploy - upload and enable it on \$$MM_SERVICESETTINGS_SITEURL with \$$MM_ADMIN_TOKEN"

# Install from the lockfile when it changed since the last install (better-sqlite3 builds from source: ~1 min).
# Not `npm ci`: the registry mirror lacks some other platforms' optional binaries (@swc/core-darwin-*), which
# `npm ci` insists on finding in the lockfile; `npm install --no-save` installs the locked versions and skips them.
$(NPM_STAMP): package-lock.json package.json server/package.json webapp/package.json
	npm install --no-save --no-audit --no-fund
	@touch $(NPM_STAMP)

install: $(NPM_STAMP)

# Installs what the tests need (Debian postgresql and chromium); the browser tests load the bundle `dist` builds.
test: dist
	./scripts/ensure_postgres.sh
	./scripts/ensure_chromium.sh
	npm run typecheck
	npm test

dist: install
	node --import tsx scripts/build_plugin.ts

deploy: dist
	node --import tsx scripts/deploy_plugin.ts

typecheck lint: install
	npm run typecheck

demo: install dist
	npx offboard sandbox

demo-once: install
	npx offboard sandbox --once

clean:
	rm -rf node_modules server/node_modules webapp/node_modules dist coverage
