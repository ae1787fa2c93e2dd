"""The pack's UI-to-API converter (used by the headless runner) against the real frontend's
``app.graphToPrompt()``, on the official ComfyUI templates (comfyui-workflow-templates-json,
pinned in harness/host_pins) that have subgraphs or every node on the host: the same
workflow, with the nodes the test host lacks pruned the same way for both, must give the
same prompt on each pinned frontend, in the converter's reading of that frontend (FrontendDialect),
or be refused with a reason listed in template_known."""
from __future__ import annotations

import json
import time
from collections import Counter

from template_diff import Kind, differences, pruned_templates
from template_known import KNOWN

from harness.host import REPO
from xyz_studio.api_views import ROUTE_FRONTEND
from xyz_studio.comfyui.node_specs import parse_node_spec
from xyz_studio.workflow.dialect import FrontendDialect

OUTPUT = REPO / ".test-output" / "converter_vs_frontend"
CHUNK = 25  # templates per page.evaluate: large enough to be quick, small enough to report progress

# Load each workflow as a user opening it would (no dialogs), then ask for the prompt the
# frontend would queue. Errors are answered, not thrown, so one bad template names itself.
# For speed the canvas does not draw meanwhile, and every load reuses the open workflow tab
# (loadGraphData's ComfyWorkflow argument) instead of opening one more temporary tab each:
# the graph is configured the same way either way.
PROMPTS = """async (items) => {
    const app = window.app;
    const answers = {};
    app.canvas.stopRendering();
    try {
        for (const [name, text] of items) {
            try {
                const tab = app.extensionManager.workflow.activeWorkflow ?? null;
                await app.loadGraphData(JSON.parse(text), true, false, tab,
                    {showMissingNodesDialog: false, showMissingModelsDialog: false, silentAssetErrors: true});
                const { output } = await app.graphToPrompt();
                answers[name] = { output };
            } catch (e) {
                answers[name] = { error: String(e && e.stack || e) };
            }
        }
    } finally {
        app.canvas.startRendering();
    }
    return answers;
}"""

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
    workflows, pruned_any = pruned_templates(set(object_info))

    started = time.monotonic()
    theirs = frontend_prompts(page, workflows)
    took = time.monotonic() - started
    # kept for reading a failure (and re-comparing offline) without another browser run
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / f"frontend-{page.frontend}.json").write_text(json.dumps(theirs))
    (OUTPUT / "object_info.json").write_text(json.dumps(object_info))

    # the runner's choice of reading: the served frontend the pack's route reports
    served = editor_client.get_object(ROUTE_FRONTEND)["version"]
    assert served == page.frontend
    dialect = FrontendDialect.served(served)
    assert dialect is FrontendDialect.for_version(page.frontend)
    differing = differences(workflows, theirs, specs, dialect)

    full = [n for n in workflows if n not in pruned_any]
    print(f"\nfrontend {page.frontend} (converter reading {dialect.value}): {len(workflows)} templates compared "
          f"in {took:.0f} s ({len(full)} with every node on the host, {len(pruned_any)} pruned)")
    kinds = Counter(f[0].kind for f in differing.values())
    newer, refused = kinds[Kind.NEEDS_NEWER], kinds[Kind.REFUSED]
    print(f"  equal {len(workflows) - len(differing)}; refused as needing a newer frontend {newer}; "
          f"refused otherwise {refused}; differing {len(differing) - newer - refused}")
    by_kind = Counter(d.kind.value for found in differing.values() for d in {x.kind: x for x in found}.values())
    for kind, count in by_kind.most_common():
        print(f"    {kind}: {count} templates")
    for name in sorted(differing):
        more = len(differing[name]) - 1
        print(f"  {name}: {differing[name][0]}" + (f" (+{more})" if more else ""))

    known = KNOWN[page.frontend]
    new = {n: [str(d) for d in f[:5]] for n, f in differing.items() if n not in known}
    assert not new, f"the converter differs from frontend {page.frontend}: {json.dumps(new, indent=1)}"
    # a listed template must stay as listed: differing values instead of a refusal would be silently wrong
    wrong = {n: str(differing[n][0]) for n, (kind, _) in known.items()
             if n in differing and differing[n][0].kind.value != kind}
    assert not wrong, f"listed but converted otherwise on {page.frontend}: {json.dumps(wrong, indent=1)}"
    fixed = sorted(n for n in known if n not in differing)
    assert not fixed, f"now equal on {page.frontend}: take them off KNOWN: {fixed}"
