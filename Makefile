# XYZ Plot Studio: the two set-up commands are `make demo` and `make test`.
HOST_PY := .host/venv/bin/python

.PHONY: host browser demo test bench workflows clean

# The local ComfyUI test host (ComfyUI 0.3.75 from PyPI, CPU torch) in .host/.
host:
	bash harness/build_host.sh

# Debian's Chromium for the browser tests (Playwright drives it; no browser download).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

demo: host
	$(HOST_PY) -m harness.demo

test: host browser
	cd tests && ../$(HOST_PY) -m pytest -q

bench: host
	$(HOST_PY) -m bench.pack_vs_direct
	$(HOST_PY) -m bench.checkpoint_order
	$(HOST_PY) -m bench.five_hundred
	$(HOST_PY) -m bench.kill_resume

workflows: host
	$(HOST_PY) -m harness.make_workflows
	$(HOST_PY) -m harness.make_thumbnails

clean:
	rm -rf .demo .bench
