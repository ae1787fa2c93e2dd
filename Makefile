# XYZ Plot Studio: the two set-up commands are `make demo` and `make test`.
HOST_PY := .host/venv/bin/python

.PHONY: host browser fonts js web demo test bench workflows clean

# The local ComfyUI test host (ComfyUI 0.3.75 from PyPI, CPU torch) in .host/.
host:
	bash harness/build_host.sh

# Debian's Chromium for the browser tests (Playwright drives it; no browser download).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Debian's fonts for grid labels in any script (xyz_studio/render/fonts.py): DejaVu, a CJK font
# and a monochrome emoji font; the unit tests draw labels with them.
FONT_FILES := /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf \
  /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf \
  /usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf
fonts:
	@for f in $(FONT_FILES); do test -f $$f || missing=1; done; [ -z "$$missing" ] || { \
	  echo "installing Debian's DejaVu, Droid Sans Fallback (CJK) and Symbola (emoji) fonts for the grid tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    fonts-dejavu-core fonts-droid-fallback fonts-symbola >/dev/null; }

# The editor extension's pinned toolchain (js/package-lock.json: esbuild, TypeScript, Vitest).
js: js/node_modules/.package-lock.json

js/node_modules/.package-lock.json: js/package.json js/package-lock.json
	cd js && npm ci --no-audit --no-fund --loglevel=error

demo: host
	$(HOST_PY) -m harness.demo

test: host browser fonts js
	$(HOST_PY) -m ruff check --quiet .
	$(HOST_PY) -m mypy
	cd js && npm run --silent check && npm run --silent test
	cd tests && ../$(HOST_PY) -m pytest -q --durations=40

bench: host browser
	$(HOST_PY) -m bench.pack_vs_direct
	$(HOST_PY) -m bench.checkpoint_order
	$(HOST_PY) -m bench.many_cells 128 500
	$(HOST_PY) -m bench.many_cells 128 2000
	$(HOST_PY) -m bench.kill_resume
	$(HOST_PY) -m bench.z_switch
	$(HOST_PY) -m bench.tracking_overhead
	$(HOST_PY) -m bench.html_export
	$(HOST_PY) -m bench.several_servers
	$(HOST_PY) -m bench.preflight
	$(HOST_PY) -m bench.dry_run_10k
	$(HOST_PY) -m bench.panel_10k
	$(HOST_PY) -m bench.viewer_10k
	$(HOST_PY) -m bench.search_tpe

# Rebuild web/xyz_studio.js from js/src (commit the result: installs need no build).
web: js
	$(HOST_PY) -m harness.make_js_protocol
	cd js && npm run --silent build

workflows: host
	$(HOST_PY) -m harness.make_workflows
	$(HOST_PY) -m harness.make_thumbnails

clean:
	rm -rf .demo .bench
