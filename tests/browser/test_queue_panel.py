"""The editor's own queue and history reads stay healthy after XYZ experiments: the
frontend parses /queue and /history (a NaN there once broke its Queue and History
panels), the 1.32 queue panel lists the XYZ prompts, and nothing but the host's known
noise reaches the console, on every frontend."""
from __future__ import annotations

import time

from editor import queue_and_wait

from xyz_studio import protocol as P


def test_the_editor_reads_queue_and_history_after_xyz_prompts(page, editor_client, tmp_path):
    experiment = queue_and_wait(page, editor_client, "model_free_colour_x_blur.json")
    status = editor_client.get(P.ROUTE_EXPERIMENT.format(experiment_id=experiment["id"]))
    manifest = editor_client.get(P.ROUTE_MANIFEST.format(experiment_id=status["id"]))
    ours = {status["final_prompt_id"], *(c["prompt_id"] for c in manifest["cells"])}
    # the experiment is complete once its grids are drawn; its drawing prompt reaches the history a moment later
    deadline = time.monotonic() + 30
    while editor_client.history(status["final_prompt_id"]) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    # the frontend's own fetch + JSON parse (what its panels do) of the queue and the history
    read = page.evaluate("""async () => {
        const api = window.comfyAPI.api.api;
        const history = await (await api.fetchApi('/history?max_items=64')).json();
        const queue = await (await api.fetchApi('/queue')).json();
        return {history: Object.keys(history), running: queue.queue_running.length};
    }""")
    assert ours <= set(read["history"])
    if page.frontend.startswith("1.32"):
        page.evaluate("() => app.extensionManager.command.execute('Workspace.ToggleSidebarTab.queue')")
        page.wait_for_function("(n) => document.querySelectorAll('.task-item').length >= n", arg=1, timeout=10000)
        listed = page.evaluate("() => document.querySelectorAll('.task-item').length")
        assert listed >= 1
    else:  # 1.58 lists jobs through /api/jobs, which this 0.3.75 host lacks: open it, it must not break
        page.evaluate("() => app.extensionManager.command.execute('Comfy.Queue.ToggleOverlay')")
        page.wait_for_timeout(1500)
    page.evaluate("() => document.querySelectorAll('.p-dialog-mask').forEach(d => d.remove())")  # late templates dialog
    page.wait_for_timeout(300)
    page.screenshot(path=str(tmp_path / f"queue_panel_{page.frontend}.png"))
    errors = page.console.page_errors + page.console.errors
    assert not [e for e in errors if "JSON" in e or "Unexpected token" in e], errors
    assert page.console.unexpected == [], page.console.unexpected
