"""The editor's own queue and history reads stay healthy after XYZ experiments: the
frontend parses /queue and /history (a NaN there once broke its Queue and History
panels), every cell's entry shows that cell (a small copy named after the experiment and
the cell's values, not a blank), and nothing but the host's known noise reaches the
console, on every frontend."""
from __future__ import annotations

import io
import time

from editor import queue_and_wait
from PIL import Image

from harness.example_workflows import MODEL_FREE
from xyz_studio import protocol as P
from xyz_studio.storage.thumbnails import QUEUE_PREVIEW_SIZE, queue_preview_name


def _cell_previews(client, status: dict, manifest: dict) -> dict[str, tuple[str, str]]:
    """Each cell's prompt id -> the file name and type its queue entry must show: a cell no
    bigger than the copy (this workflow's are 128 px) shows its own PNG, named by its values;
    a bigger one a small copy named after the experiment and the cell."""
    previews = {}
    for c in manifest["cells"]:
        folder, _, name = f"{P.OUTPUT_SUBFOLDER}/{status['id']}/{c['files'][0]}".rpartition("/")
        with Image.open(io.BytesIO(client.view(name, folder))) as cell:
            small = max(cell.size) <= QUEUE_PREVIEW_SIZE
        if small:
            previews[c["prompt_id"]] = (c["files"][0].rpartition("/")[2], "output")
        else:
            job = P.Job(experiment=status["id"], role=P.JobRole.CELL, index=c["index"], labels=c["labels"])
            previews[c["prompt_id"]] = (queue_preview_name(job), "temp")
    return previews


def test_the_editor_reads_queue_and_history_after_xyz_prompts(page, editor_client, screenshots):
    experiment = queue_and_wait(page, editor_client, MODEL_FREE)
    status = editor_client.get(P.ROUTE_EXPERIMENT.format(experiment_id=experiment["id"]))
    manifest = editor_client.get(P.ROUTE_MANIFEST.format(experiment_id=status["id"]))
    ours = {status["final_prompt_id"], *(c["prompt_id"] for c in manifest["cells"])}
    previews = _cell_previews(editor_client, status, manifest)
    # the experiment is complete once its grids are drawn; its final prompt reaches the history a moment later
    deadline = time.monotonic() + 30
    while editor_client.history(status["final_prompt_id"]) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    # the frontend's own fetch + JSON parse (what its panels do) of the queue and the history, and each
    # cell entry's image loaded the way both frontends build its URL (api.apiURL('/view?' + params))
    read = page.evaluate("""async () => {
        const api = window.comfyAPI.api.api;
        const history = await (await api.fetchApi('/history?max_items=64')).json();
        const queue = await (await api.fetchApi('/queue')).json();
        const shown = {};
        for (const [id, entry] of Object.entries(history)) {
            const images = Object.values(entry.outputs || {}).flatMap(o => o.images || []);
            if (!images.length) continue;
            const first = images[0];
            const params = new URLSearchParams({filename: first.filename, type: first.type,
                                                subfolder: first.subfolder});
            const img = new Image();
            img.src = api.apiURL('/view?' + params);
            await img.decode().catch(() => null);
            shown[id] = {filename: first.filename, type: first.type, width: img.naturalWidth};
        }
        return {history: Object.keys(history), running: queue.queue_running.length, shown};
    }""")
    assert ours <= set(read["history"])
    for prompt_id, (name, kind) in previews.items():
        entry = read["shown"].get(prompt_id)
        assert entry is not None, f"cell prompt {prompt_id} has no image in its history entry"
        assert entry["filename"] == name and entry["type"] == kind and entry["width"] > 0, entry
    if page.frontend.startswith("1.32"):
        page.evaluate("() => app.extensionManager.command.execute('Workspace.ToggleSidebarTab.queue')")
        page.wait_for_function("(n) => document.querySelectorAll('.task-item').length >= n", arg=1, timeout=10000)
        page.evaluate("() => document.querySelectorAll('.p-dialog-mask').forEach(d => d.remove())")
        # the sidebar is a virtual grid: scroll it through and collect each entry's picture as it is drawn
        seen = page.evaluate("""async () => {
            const seen = {};
            const scroller = document.querySelector('.task-item').closest('.scroll-container, [class*="overflow"]')
                || document.querySelector('.task-item').parentElement.parentElement;
            for (let top = 0; top <= scroller.scrollHeight; top += 200) {
                scroller.scrollTop = top;
                await new Promise(r => setTimeout(r, 250));
                for (const item of document.querySelectorAll('.task-item')) {
                    const img = item.querySelector('img.comfy-image-main');
                    if (img) {
                        await img.decode().catch(() => null);
                        seen[img.alt] = img.naturalWidth;
                    }
                }
            }
            scroller.scrollTop = 0;
            return seen;
        }""")
        for name, _ in previews.values():
            assert seen.get(name, 0) > 0, f"no loaded picture for {name} in the queue sidebar: {sorted(seen)}"
    else:  # 1.58 lists jobs through /api/jobs, which this 0.3.75 host lacks: open it, it must not break
        page.evaluate("() => app.extensionManager.command.execute('Comfy.Queue.ToggleOverlay')")
        page.wait_for_timeout(1500)
    page.evaluate("() => document.querySelectorAll('.p-dialog-mask').forEach(d => d.remove())")  # late templates dialog
    page.wait_for_timeout(300)
    page.screenshot(path=str(screenshots / f"queue_panel_{page.frontend}.png"))
    errors = page.console.page_errors + page.console.errors
    assert not [e for e in errors if "JSON" in e or "Unexpected token" in e], errors
    assert page.console.unexpected == [], page.console.unexpected
