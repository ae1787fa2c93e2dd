"""The pack's UI-to-API converter (used by the headless runner) against the real frontend's
``app.graphToPrompt()``, on every official ComfyUI template (comfyui-workflow-templates-json,
pinned in harness/host_pins): the same workflow, with the nodes the test host lacks pruned
the same way for both, must give the same prompt on each pinned frontend."""
from __future__ import annotations

import json
import time
from collections import Counter

from template_diff import Difference, Kind, compare, prune, templates

from harness.host import REPO
from xyz_studio.comfyui.node_specs import parse_node_spec
from xyz_studio.workflow import WorkflowFormatError, ui_to_api

OUTPUT = REPO / ".test-output" / "converter_vs_frontend"
CHUNK = 25  # templates per page.evaluate: large enough to be quick, small enough to report progress

# Load each workflow as a user opening it would (no dialogs), then ask for the prompt the
# frontend would queue. Errors are answered, not thrown, so one bad template names itself.
PROMPTS = """async (items) => {
    const answers = {};
    for (const [name, text] of items) {
        try {
            await window.app.loadGraphData(JSON.parse(text), true, false, null,
                {showMissingNodesDialog: false, showMissingModelsDialog: false, silentAssetErrors: true});
            const { output } = await window.app.graphToPrompt();
            answers[name] = { output };
        } catch (e) {
            answers[name] = { error: String(e && e.stack || e) };
        }
    }
    return answers;
}"""

# Templates where the two disagree for a reason not fixed yet, per frontend: the test fails
# when one of these becomes equal too (so the list only ever shrinks) or a new one differs.
KNOWN: dict[str, dict[str, str]] = {"1.32.9": {}, "1.58.1": {}}


def frontend_prompts(page, workflows: dict[str, dict]) -> dict[str, dict]:
    names = list(workflows)
    answers: dict[str, dict] = {}
    for start in range(0, len(names), CHUNK):
        items = [[n, json.dumps(workflows[n])] for n in names[start:start + CHUNK]]
        answers.update(page.evaluate(PROMPTS, items))
    return answers


def test_the_converter_gives_the_frontends_prompt_on_every_official_template(page, editor_client):
    object_info = editor_client.object_info()
    specs = {name: parse_node_spec(name, info) for name, info in object_info.items()}
    workflows: dict[str, dict] = {}
    pruned_any: set[str] = set()
    for name, workflow in templates():
        workflows[name], pruned = prune(workflow, set(object_info))
        if pruned:
            pruned_any.add(name)

    started = time.monotonic()
    theirs = frontend_prompts(page, workflows)
    took = time.monotonic() - started
    # kept for reading a failure (and re-comparing offline) without another browser run
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / f"frontend-{page.frontend}.json").write_text(json.dumps(theirs))

    differing: dict[str, list[Difference]] = {}
    for name, workflow in workflows.items():
        answer = theirs[name]
        try:
            mine = ui_to_api(workflow, specs)
        except WorkflowFormatError as exc:
            if "error" in answer:
                continue  # neither can make a prompt of it
            differing[name] = [Difference(Kind.REFUSED, "-", str(exc)[:300])]
            continue
        if "error" in answer:
            differing[name] = [Difference(Kind.FRONTEND_FAILED, "-", answer["error"][:300])]
            continue
        found = compare(mine, answer["output"], specs)
        if found:
            differing[name] = found

    by_kind = Counter(d.kind.value for found in differing.values() for d in {x.kind: x for x in found}.values())
    full = [n for n in workflows if n not in pruned_any]
    print(f"\nfrontend {page.frontend}: {len(workflows)} templates compared in {took:.0f} s "
          f"({len(full)} with every node on the host, {len(pruned_any)} pruned)")
    print(f"  equal {len(workflows) - len(differing)}; differing {len(differing)} "
          f"(full {sum(n in differing for n in full)}, pruned {sum(n in differing for n in pruned_any)})")
    for kind, count in by_kind.most_common():
        print(f"    {kind}: {count} templates")
    for name in sorted(differing):
        more = len(differing[name]) - 1
        print(f"  {name}: {differing[name][0]}" + (f" (+{more})" if more else ""))

    known = KNOWN[page.frontend]
    new = {n: [str(d) for d in f[:5]] for n, f in differing.items() if n not in known}
    assert not new, f"the converter differs from frontend {page.frontend}: {json.dumps(new, indent=1)}"
    fixed = sorted(n for n in known if n not in differing)
    assert not fixed, f"now equal on {page.frontend}: take them off KNOWN: {fixed}"
