"""The thread of one worker server: posts the cells the dispatch gives it, watches them
through the worker's queue (GET /api/jobs where it has the job API, ids only; else GET /queue)
and GET /history/{id}, and brings each result home. A cell whose entry is gone from the
worker (restarted, or its history cap reached) is sent again, never counted as done.

A worker that hangs holds up only its own thread. Every change to which cells are
where is made by the dispatch, under its lock (dispatch.py); this module only talks.
"""
from __future__ import annotations

import logging
import time
import uuid

from ..comfyui.client import ComfyError, PromptRejected
from ..comfyui.history import HistoryEntry, PromptOutcome, PromptState, outcome
from ..common.format import format_seconds
from ..experiment.cell_writer import WRITER, FinishedCell
from ..reporting.event_log import Event, log_event
from ..reporting.health import WorkerState
from ..storage.records import Cell, CellStatus
from .dispatch import Dispatch
from .lane import Lane, Sent, Task, forget, reason_of
from .readiness import check
from .remote_cell import RemoteResultMissing, fetch_images, read_metrics

log = logging.getLogger("xyz_studio")

POLL_INTERVAL = 0.1     # seconds between reads of a worker's queue while it has cells
HEALTH_INTERVAL = 3.0   # seconds between checks of a worker with no cells (and probes of a down one)
LOCAL_SAVE_WAIT = 60.0  # seconds to wait for a local cell's writer after ComfyUI finished it


class LaneRunner:
    def __init__(self, dispatch: Dispatch, lane: Lane):
        self.d = dispatch
        self.lane = lane

    def run(self) -> None:
        while not self.d.over:
            try:
                self._step()
            except Exception:  # a bug or a strange answer: the worker counts as down, the thread goes on
                log.exception("xyz_studio: the lane of %s failed; its cells go to the other workers", self.lane.url)
                self.d.mark_down(self.lane, "the pack's lane for this worker failed (see the log)", claimed_too=True)
            self.d.maybe_finish()  # a left-out lane keeps only this: it notices a run with no worker left
            with self.d.lock:
                if self.d.over:
                    return  # type: ignore[unreachable]  # mypy keeps `over` False from the loop test; other threads set it
                if not self.lane.outbox:
                    busy = self.lane.in_flight and self.lane.state == WorkerState.UP
                    self.d.lock.wait(POLL_INTERVAL if busy else HEALTH_INTERVAL)

    def _step(self) -> None:
        lane = self.lane
        if lane.state == WorkerState.DOWN:
            self._probe()
        elif lane.state == WorkerState.UP:
            while (task := self.d.next_to_send(lane)) is not None:
                self._send(task)
            if lane.state == WorkerState.UP and (lane.in_flight or
                                                  time.monotonic() - lane.last_check > HEALTH_INTERVAL):
                self._poll()

    def _send(self, task: Task) -> None:
        lane = self.lane
        sent = Sent(task, str(uuid.uuid4()), self.d.remote(lane, task.index))
        self.d.store.send_cell(self.d.experiment_id, task.index, sent.prompt_id, lane.url)
        if sent.remote is None:
            prompt, extra = self.d.plan.cell_prompt(task.index), self.d.job(task.index).extra_data()
            client_id = self.d.hooks.client_id
        else:
            prompt, extra, client_id = sent.remote.prompt, None, None
        try:
            lane.client.queue_prompt(prompt, client_id=client_id, prompt_id=sent.prompt_id, extra_data=extra)
        except PromptRejected as e:
            self.d.refused(lane, task, e.describe())
            return
        except (ComfyError, OSError) as e:
            if self.d.posted(lane, sent):  # it may have got there: marked down, it is deleted from there
                self.d.mark_down(lane, f"could not queue a cell: {reason_of(e)}")
            else:
                forget(lane, [sent])
            return
        if not self.d.posted(lane, sent):  # cancelled, or the lane went down, while it was posted
            forget(lane, [sent])

    def _poll(self) -> None:
        lane = self.lane
        try:
            state = lane.client.queue_state()
        except (ComfyError, OSError) as e:
            self.d.mark_down(lane, f"does not answer: {reason_of(e)}")
            return
        now = time.monotonic()
        lane.last_check = now
        with self.d.lock:
            sent = [s for s in lane.in_flight.values() if s.prompt_id]
        for s in sent:
            if s.prompt_id in state.running:
                s.running_since = s.running_since or now
                if now - s.running_since > self.d.cell_timeout:
                    self.d.mark_down(lane, f"cell {s.task.index} ran longer than "
                                           f"{format_seconds(self.d.cell_timeout)}")
                    return
            elif s.prompt_id not in state.pending and not self._settle(s):
                return

    def _settle(self, sent: Sent) -> bool:
        """A cell that left the worker's queue: bring it home, record its failure, or have it
        sent again. False when the worker went down meanwhile."""
        lane = self.lane
        try:
            entry = lane.client.history(sent.prompt_id)
        except (ComfyError, OSError) as e:
            self.d.mark_down(lane, f"does not answer: {reason_of(e)}")
            return False
        result = outcome(entry)
        if result.state == PromptState.SUCCESS:
            try:
                self._bring_home(sent, entry or {}, result)
            except (ComfyError, OSError, RemoteResultMissing) as e:
                self.d.lost(lane, sent, f"could not read the result back: {reason_of(e)}")
        elif result.state == PromptState.ERROR:
            self.d.failed(lane, sent, result.error, result.seconds)
        elif result.state == PromptState.INTERRUPTED:
            self.d.lost(lane, sent, "the cell was stopped there")
        else:
            self.d.lost(lane, sent, "the cell is gone from its queue and history (the server restarted?)")
        return True

    def _bring_home(self, sent: Sent, entry: HistoryEntry, result: PromptOutcome) -> None:
        d, lane, index = self.d, self.lane, sent.task.index
        if sent.remote is None:  # its Grid Assembler handed it to the writer here
            cell = self._local_cell_saved(sent)
            if cell.status == CellStatus.QUEUED:
                d.failed(lane, sent, "the cell finished but no image reached the Grid Assembler", result.seconds)
                return
            d.store.update_cell(d.experiment_id, index, **result.timing())
            metrics = cell.metrics
        else:
            images = fetch_images(lane.client, entry, sent.remote)
            metrics = read_metrics(entry, sent.remote, d.plan.metrics)
            if not d.claim(lane, sent):
                for image in images:
                    image.close()
                return
            d.store.update_cell(d.experiment_id, index, **result.timing())
            WRITER.submit(d.store, FinishedCell(d.job(index), images, d.plan.cell_prompt(index), metrics,
                                                sent.prompt_id, lane.url), None, d.hooks.notifier)
        d.brought_home(lane, sent, metrics)
        log_event(Event.CELL_DONE, d.experiment_id, cell=index, worker=lane.url, seconds=result.timing().get("seconds"))

    def _local_cell_saved(self, sent: Sent) -> Cell:
        """The cell's record once this server's writer is done with it. The Grid Assembler handed
        the image over while the prompt ran, so once the writer has nothing of the experiment
        left, the record is final."""
        deadline = time.monotonic() + LOCAL_SAVE_WAIT
        while True:
            waiting = WRITER.pending(self.d.experiment_id)
            cell = self.d.store.cell(self.d.experiment_id, sent.task.index)
            if cell.status != CellStatus.QUEUED or not waiting or time.monotonic() > deadline:
                return cell
            time.sleep(0.01)

    def _probe(self) -> None:
        lane = self.lane
        if time.monotonic() - lane.last_check < HEALTH_INTERVAL:
            return
        lane.last_check = time.monotonic()
        answer = check(lane.client, lane.needs)
        if answer.unreachable:
            return
        with self.d.lock:
            stale, lane.to_forget = lane.to_forget, []
        if stale and not forget(lane, stale):  # our old cells first: it must not run them again
            with self.d.lock:
                lane.to_forget = stale + lane.to_forget
            return
        self.d.rejoined(lane, answer.ready, answer.describe())
