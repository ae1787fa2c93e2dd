# XYZ Plot Studio: the two set-up commands are `make demo` and `make test`.
HOST_PY := .host/venv/bin/python

.PHONY: host demo test bench workflows clean

host:
	bash harness/build_host.sh

demo: host
	$(HOST_PY) -m harness.demo

test: host
	cd tests && ../$(HOST_PY) -m pytest -q

bench: host
	$(HOST_PY) -m bench.pack_vs_direct
	$(HOST_PY) -m bench.checkpoint_order
	$(HOST_PY) -m bench.five_hundred

workflows: host
	$(HOST_PY) -m harness.make_workflows

clean:
	rm -rf .demo .bench
