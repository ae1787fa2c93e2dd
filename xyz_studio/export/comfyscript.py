"""The sweep as a runnable ComfyScript: the cell graph transpiled by ComfyScript's own
transpiler, inside loops over the axis values in the experiment's run order.

Every input an axis varies is set to a marker before transpiling, and each marker in the
transpiled code is then swapped for the loop's variable; the Grid Assembler becomes a
Save Image whose name says the cell's coordinates. ComfyScript is imported only in a
short-lived process of its own (export.transpile): importing it patches asyncio for the
whole process, which must never happen inside ComfyUI.
"""
from __future__ import annotations

import json
import re
import subprocess
import textwrap
from dataclasses import dataclass
from typing import Any

from .. import own_process
from .. import protocol as P
from ..comfyui.prompt_graph import subset, with_inputs, without_annotations
from ..errors import BadRequest, NotInstalled
from ..planning.plan import AxisMode, AxisPlan, Plan
from ..storage.records import Experiment

MARK = "__xyz_var_{}__"
INSTALL = ("comfy-script is not installed in ComfyUI's Python: install it there with "
           "`python -m pip install \"comfy-script[default]\"` and restart ComfyUI")
TRANSPILE_TIMEOUT = 120.0


@dataclass(frozen=True)
class Varied:
    """One input the sweep sets per cell: the script's variable for it and how it gets its value."""

    node_id: str
    input: str
    variable: str
    expression: str  # Python, from the loop variables


def _axis_var(axis: AxisPlan) -> str:
    return f"{axis.slot}_value"


def _variable(slot: str, node_id: str, input_name: str, taken: set[str]) -> str:
    """`x_3_cfg`: a Python name for an input an axis sets. A node inside subgraphs has an execution id
    like `103:102:3`, which is no part of a name (`x_103_102_3_cfg`); a name made twice that way gets a number."""
    base = re.sub(r"\W", "_", f"{slot}_{node_id}_{input_name}", flags=re.ASCII)
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}_{n}"
    taken.add(name)
    return name


def varied_inputs(plan: Plan) -> list[Varied]:
    out: list[Varied] = []
    taken: set[str] = set()
    texts: dict[tuple[str, str], list[str]] = {}
    for axis in plan.axes:
        if axis.mode == AxisMode.REPLACE:
            for target in axis.targets[0]:
                texts.setdefault((target.node_id, target.input), []).append(f"{axis.search!r}: {_axis_var(axis)}")
            continue
        single = len(axis.targets) == 1
        for k, component in enumerate(axis.targets):
            for target in component:
                source = _axis_var(axis) if single else f"{_axis_var(axis)}[{k}]"
                out.append(Varied(target.node_id, target.input, _variable(axis.slot, target.node_id, target.input,
                                                                          taken), source))
    for n, ((node_id, name), swaps) in enumerate(texts.items(), start=1):
        table = "{" + ", ".join(swaps) + "}"
        out.append(Varied(node_id, name, f"text_{n}", f"replace_all(TEXT_{n}, {table})"))
    return out


def template_prompt(plan: Plan, varied: list[Varied]) -> dict[str, Any]:
    """The cell graph with a marker in every varied input and a Save Image for the Grid Assembler."""
    prompt = subset(plan.base, plan.cell_nodes)
    prompt = with_inputs(prompt, {(v.node_id, v.input): MARK.format(v.variable) for v in varied})
    prompt = without_annotations(prompt)
    assembler = prompt[plan.assembler_id]
    prompt[plan.assembler_id] = {"class_type": "SaveImage", "inputs": {
        "images": assembler["inputs"][P.IMAGE_INPUT], "filename_prefix": MARK.format("name")}}
    return prompt


def transpile(prompt: dict[str, Any], object_info: dict[str, Any]) -> str:
    """ComfyScript's transpiler on an API prompt, in a process of its own."""
    done = subprocess.run(own_process.command("xyz_studio.export.transpile"),
                          input=json.dumps({"prompt": prompt, "object_info": object_info}), capture_output=True,
                          text=True, timeout=TRANSPILE_TIMEOUT, env=own_process.environment())
    if done.returncode == 3:
        raise NotInstalled(INSTALL)
    if done.returncode != 0:
        raise BadRequest(f"ComfyScript could not transpile the experiment's graph: {done.stderr.strip()[-600:]}")
    return done.stdout



def _values_list(axis: AxisPlan) -> str:
    lines = []
    for value_of_axis in axis.values:
        components, label = value_of_axis.components, value_of_axis.label
        value = components[0] if len(components) == 1 else tuple(components)
        comment = f"  # {label}" if str(label) != repr(value) and label != str(value) else ""
        lines.append(f"    {value!r},{comment}")
    return f"{axis.slot.upper()} = [  # {axis.title}\n" + "\n".join(lines) + "\n]"


def render_script(experiment: Experiment, plan: Plan, body: str, varied: list[Varied]) -> str:
    """The whole file, from the transpiled `body` of one cell."""
    for v in varied + [Varied("", "", "name", "")]:
        body = re.sub(r"""(['"])""" + re.escape(MARK.format(v.variable)) + r"\1", v.variable, body)
    if "__xyz_var_" in body:
        raise BadRequest("ComfyScript rewrote an input the sweep varies; this graph cannot be exported as a script")
    axes = {a.slot: a for a in plan.axes}
    texts = [v for v in varied if v.variable.startswith("text_")]
    lines = [f'"""The XYZ sweep "{experiment.name}" (experiment {experiment.id}) as a ComfyScript.',
             "",
             "Written by XYZ Plot Studio. Run it against a ComfyUI server that has the same models and nodes:",
             "",
             "    python -m pip install \"comfy-script[default]\"",
             "    python THIS_FILE.py --server http://127.0.0.1:8188",
             "",
             f"Each cell is saved by the server as xyz_script/{experiment.id}/x<X>_y<Y>_z<Z>_00001_.png"
             " (with _axis4-<N> ... for further axes).",
             '"""',
             "import argparse", "", "try:", "    from comfy_script.runtime import *",
             "except ImportError:",
             "    raise SystemExit('this script needs ComfyScript: python -m pip install \"comfy-script[default]\"')",
             "", f"EXPERIMENT = {experiment.id!r}", ""]
    for slot in plan.slots:
        if slot in axes:
            lines += [_values_list(axes[slot]), ""]
    for n, v in enumerate(texts, start=1):
        text = plan.base[v.node_id]["inputs"][v.input]
        lines += [f"TEXT_{n} = {text!r}  # {v.node_id}.{v.input}, searched and replaced"]
    if texts:
        lines += ["", "",
                  "def replace_all(text, table):",
                  "    \"\"\"Every search term at once, the longest first (as the sweep did).\"\"\"",
                  "    import re",
                  "    pattern = re.compile('|'.join(re.escape(t) for t in sorted(table, key=len, reverse=True)))",
                  "    return pattern.sub(lambda m: table[m.group(0)], text)", ""]
    lines += ["", "parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])",
              "parser.add_argument('--server', default='http://127.0.0.1:8188')",
              "args = parser.parse_args()",
              "load(args.server, save_script_source=False)",
              "queue.watch_display(False)",
              "from comfy_script.runtime.nodes import *  # noqa: E402 (the server's nodes, known after load)", ""]
    indent = ""
    for slot in plan.loop_order:  # outermost first: the experiment's run order
        lines.append(f"{indent}for {slot}i, {_axis_var(axes[slot])} in enumerate({slot.upper()}):")
        indent += "    "
    coords = {slot: f"{{{slot}i:03d}}" if slot in axes else "000" for slot in plan.slots}
    for v in varied:
        lines.append(f"{indent}{v.variable} = {v.expression}")
    further = "".join(f"_{slot}-{coords[slot]}" for slot in plan.slots[P.GRID_AXES:] if slot in axes)
    lines.append(f"{indent}name = f'xyz_script/{{EXPERIMENT}}/x{coords['x']}_y{coords['y']}_z{coords['z']}{further}'")
    lines.append(f"{indent}with Workflow(wait=True):")
    lines.append(textwrap.indent(body.rstrip(), indent + "    "))
    lines.append(f"{indent}print(name)")
    return "\n".join(lines) + "\n"


def export_script(experiment: Experiment, object_info: dict[str, Any]) -> str:
    if experiment.dry_run:
        raise BadRequest(f"experiment {experiment.id} is a dry run: there is nothing to reproduce")
    plan = experiment.readable_plan
    varied = varied_inputs(plan)
    body = transpile(template_prompt(plan, varied), object_info)
    return render_script(experiment, plan, body, varied)
