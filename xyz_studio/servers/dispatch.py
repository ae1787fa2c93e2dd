"""Sending an experiment's cells to several ComfyUI servers and taking their results back.

Each worker's own ComfyUI queue is the execution engine; this is the dispatcher on
top. One `Lane` per worker, each with its own thread (a worker that hangs holds up
only its own lane): it posts the cells given to it, watches them through the
worker's GET /queue and /history, and brings each result home. Which cell goes where
is decided in one place (`Dispatch._assign`, under the dispatch's lock): the next cell
in the experiment's cost-aware order goes to the live worker with the fewest cells in
flight, preferring the one that ran the last cell of the same slow-axis value (so
each worker loads a checkpoint once where it can), with at most `max_in_flight` cells
on a worker (so each GPU always has its next cell queued).

Failures: a worker that stops answering, or whose cell runs past the timeout, is
marked down and its unfinished cells go back to the head of the line (best-effort
delete on it); probed every few seconds, it rejoins when it answers and still has what
the cells need. A cell goes out at most MAX_TRIES times, then becomes an error tile;
one that fails for a reason of its own (a node raised, the prompt was refused) is not
sent again. Each attempt's prompt id is chosen here and recorded with its worker
before it is posted, so a restarted master can ask the worker what became of it.
"""
from __future__ import annotations

import bisect
import logging
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Callable

from ..cells import WRITER, SavedCell
from ..comfyui.client import ComfyError, PromptRejected
from ..comfyui.history import PromptState, outcome
from ..reporting.event_log import Event, log_event
from ..planning.plan import Plan
from ..protocol import Job, JobRole
from ..storage.records import NO_DRAWING_PROMPT, CellStatus
from ..storage.store import ExperimentStore
from ..reporting.health import HEALTH, WorkerState
from . import running
from .lane import Lane, Sent, Task, forget, reason_of
from .readiness import check
from .remote_cell import RemoteResultMissing, fetch_images, read_metrics, remote_cell

log = logging.getLogger("xyz_studio")

MAX_TRIES = 3           # times a cell is sent out before it becomes an error tile
POLL_INTERVAL = 0.1     # seconds between reads of a worker's queue while it has cells
HEALTH_INTERVAL = 3.0   # seconds between checks of a worker with no cells (and probes of a down one)
STALL_AFTER = 120.0     # seconds with cells waiting and no worker up before the run stops (resume it)
LOCAL_SAVE_WAIT = 60.0  # seconds to wait for a local cell's writer after ComfyUI finished it


@dataclass(frozen=True)
class DispatchHooks:
    """What the dispatch needs from the host: how to tell the browser, and what to do at the end."""

    client_id: str | None
    cell_saved: Callable[[SavedCell, str | None, dict[str, float | None], str | None], None]
    finished: Callable[["Dispatch"], None]   # every cell settled: queue the drawing prompt


class Dispatch:
    """One experiment's cells over several workers."""

    def __init__(self, store: ExperimentStore, plan: Plan, experiment_id: str, lanes: list[Lane],
                 hooks: DispatchHooks, max_in_flight: int, cell_timeout: float):
        self.store = store
        self.plan = plan
        self.experiment_id = experiment_id
        self.lanes = lanes
        self.hooks = hooks
        self.max_in_flight = max(1, max_in_flight)
        self.cell_timeout = cell_timeout
        self._pending: list[tuple[int, int, Task]] = []   # (run_order, index, task), sorted
        self._lock = threading.Condition()
        self._over = False
        self._no_worker_since: float | None = None
        self.last_local_cell: int | None = None           # the drawing prompt holds its graph (cache)
        self._slow_axis = plan.loop_order[0] if plan.loop_order else "x"

    # -- the line of cells -----------------------------------------------------------

    def task(self, index: int, run_order: int) -> Task:
        return Task(index=index, run_order=run_order, affinity=self.plan.coords_by_slot(index).get(self._slow_axis, 0))

    def start(self, tasks: list[Task], adopted: dict[str, list[tuple[Task, str]]] | None = None) -> None:
        """Start the lanes with `tasks` waiting and `adopted` cells already on their workers
        (posted before: the first cell, or cells a restarted master finds recorded)."""
        with self._lock:
            for t in tasks:
                bisect.insort(self._pending, (t.run_order, t.index, t))
            for lane in self.lanes:
                for t, prompt_id in (adopted or {}).get(lane.url, ()):
                    remote = None if lane.local else remote_cell(self.plan, self.experiment_id, t.index)
                    lane.in_flight[prompt_id] = Sent(t, prompt_id, remote)
                    lane.last_affinity = t.affinity
            for lane in self.lanes:
                if lane.state == WorkerState.UP:
                    HEALTH.update(lane.url, state=WorkerState.UP, in_flight=lane.load)
            self._assign()
        running.register(self)
        for lane in self.lanes:
            if lane.state == WorkerState.LEFT_OUT:
                continue
            lane.thread = threading.Thread(target=self._run_lane, args=(lane,), daemon=True,
                                           name=f"xyz_studio worker {lane.url}")
            lane.thread.start()
        self._maybe_finish()

    def _assign(self) -> None:
        """Give waiting cells to workers with room (call with the lock held)."""
        while self._pending and not self._over:
            room = [lane for lane in self.lanes if lane.state == WorkerState.UP and lane.load < self.max_in_flight]
            if not room:
                break
            _, _, task = self._pending[0]
            lane = min(room, key=lambda ln: (ln.load, ln.last_affinity != task.affinity, ln.order))
            self._pending.pop(0)
            lane.outbox.append(task)
            lane.last_affinity = task.affinity
        self._lock.notify_all()

    def _give_back(self, task: Task, error: str) -> None:
        """A cell that did not finish for a reason not its own: in line again, or an error tile
        after MAX_TRIES (call with the lock held)."""
        task.tries += 1
        task.last_error = error
        if task.tries >= MAX_TRIES:
            self._fail(task, f"tried {task.tries} times on the workers; the last attempt: {error}", None)
            return
        bisect.insort(self._pending, (task.run_order, task.index, task))
        log_event(Event.CELL_SENT_AGAIN, self.experiment_id, cell=task.index, tries=task.tries, reason=error)

    def _fail(self, task: Task, error: str, worker: str | None, seconds: float | None = None) -> None:
        fields: dict = {"status": CellStatus.FAILED, "error": error}
        if seconds is not None:
            fields["seconds"] = round(seconds, 4)
        self.store.update_cell(self.experiment_id, task.index, **fields)
        log_event(Event.CELL_FAILED, self.experiment_id, cell=task.index, worker=worker, error=error, seconds=seconds)
        if worker:
            HEALTH.update(worker, failed=1, error=error)
        job = self._job(task.index)
        self._tell(SavedCell(job, [], self.store.counts(self.experiment_id), error), None, {}, worker)

    def _tell(self, saved: SavedCell, prompt_id: str | None, metrics: dict[str, float | None],
              worker: str | None) -> None:
        try:
            self.hooks.cell_saved(saved, prompt_id, metrics, worker)
        except Exception:  # telling the browser is a courtesy; the cell is recorded
            log.debug("xyz_studio: cell event failed", exc_info=True)

    def _job(self, index: int) -> Job:
        # no run order: across workers a cell saved does not mean the ones before it have ended
        x, y, z = self.plan.coords(index)
        return Job(self.experiment_id, JobRole.CELL, index, None, x, y, z, self.plan.labels_of(index))

    # -- a lane --------------------------------------------------------------------

    def _run_lane(self, lane: Lane) -> None:
        try:
            while True:
                with self._lock:
                    if self._over:
                        return
                    outbox, lane.outbox = lane.outbox, []
                    state = lane.state
                    for task in outbox:  # counted in flight from now, so _assign sees the load
                        lane.in_flight[f"sending-{task.index}"] = Sent(task, "", None)
                if state == WorkerState.DOWN:
                    self._probe(lane)
                elif state == WorkerState.UP:
                    for task in outbox:
                        self._send(lane, task)
                    if lane.in_flight or time.monotonic() - lane.last_check > HEALTH_INTERVAL:
                        self._poll(lane)
                self._maybe_finish()  # a left-out lane keeps only this: it notices a run with no worker left
                with self._lock:
                    if self._over:
                        return
                    if not lane.outbox:
                        wait = POLL_INTERVAL if lane.in_flight and lane.state == WorkerState.UP else HEALTH_INTERVAL
                        self._lock.wait(wait)
        except Exception:
            log.exception("xyz_studio: the lane of %s stopped; its cells go to the other workers", lane.url)
            self._mark_down(lane, "the pack's lane for this worker failed (see the log)")

    def _send(self, lane: Lane, task: Task) -> None:
        placeholder = f"sending-{task.index}"
        prompt_id = str(uuid.uuid4())
        self.store.send_cell(self.experiment_id, task.index, prompt_id, lane.url)
        if lane.local:
            remote = None
            prompt = self.plan.cell_prompt(task.index)
            extra = self._job(task.index).extra_data()
            client_id = self.hooks.client_id
        else:
            remote = remote_cell(self.plan, self.experiment_id, task.index)
            prompt, extra, client_id = remote.prompt, None, None
        try:
            lane.client.queue_prompt(prompt, client_id=client_id, prompt_id=prompt_id, extra_data=extra)
        except PromptRejected as e:
            with self._lock:
                lane.in_flight.pop(placeholder, None)
                self._fail(task, f"rejected by {lane.url}: {e.describe()}", lane.url)
                self._assign()
            return
        except (ComfyError, OSError) as e:
            with self._lock:
                lane.in_flight.pop(placeholder, None)
                lane.in_flight[prompt_id] = Sent(task, prompt_id, remote)  # it may have got there: deleted below
            self._mark_down(lane, f"could not queue a cell: {reason_of(e)}")
            return
        with self._lock:
            lane.in_flight.pop(placeholder, None)
            lane.in_flight[prompt_id] = Sent(task, prompt_id, remote)  # a cancel meanwhile takes it off again
            if lane.local:
                self.last_local_cell = task.index
        HEALTH.update(lane.url, in_flight=lane.load)
        log_event(Event.CELL_QUEUED, self.experiment_id, cell=task.index, worker=lane.url, prompt_id=prompt_id,
                  tries=task.tries)

    def _poll(self, lane: Lane) -> None:
        try:
            state = lane.client.queue_state()
        except (ComfyError, OSError) as e:
            self._mark_down(lane, f"does not answer: {reason_of(e)}")
            return
        now = time.monotonic()
        lane.last_check = now
        with self._lock:
            sent = [s for s in lane.in_flight.values() if s.prompt_id]
        for s in sent:
            if s.prompt_id in state.running:
                s.running_since = s.running_since or now
                if now - s.running_since > self.cell_timeout:
                    self._mark_down(lane, f"cell {s.task.index} ran longer than {self.cell_timeout:.0f} s")
                    return
            elif s.prompt_id not in state.pending:
                if not self._settle(lane, s):
                    return

    def _settle(self, lane: Lane, sent: Sent) -> bool:
        """A cell that left the worker's queue: bring it home, record its failure, or send it
        again. False when the worker went down meanwhile."""
        try:
            entry = lane.client.history(sent.prompt_id)
        except (ComfyError, OSError) as e:
            self._mark_down(lane, f"does not answer: {reason_of(e)}")
            return False
        result = outcome(entry)
        task = sent.task
        if result.state == PromptState.SUCCESS:
            try:
                self._bring_home(lane, sent, entry or {}, result)
            except (ComfyError, OSError, RemoteResultMissing) as e:
                with self._lock:
                    if lane.in_flight.pop(sent.prompt_id, None) is not None:
                        self._give_back(task, f"{lane.url}: could not read the result back: {reason_of(e)}")
                        self._assign()
            return True
        with self._lock:
            if lane.in_flight.pop(sent.prompt_id, None) is None or self._over:
                return True
            if result.state == PromptState.ERROR:
                self._fail(task, result.error, lane.url, result.seconds)
            else:  # interrupted there, or gone without a trace (restarted, its queue cleared)
                why = "stopped there" if result.state == PromptState.INTERRUPTED else "lost (the server restarted?)"
                self._give_back(task, f"{lane.url}: the cell was {why}")
            self._assign()
        HEALTH.update(lane.url, in_flight=lane.load)
        return True

    def _bring_home(self, lane: Lane, sent: Sent, entry: dict, result) -> None:
        task = sent.task
        timing = result.timing()
        if sent.remote is None:  # its Grid Assembler handed it to the writer here
            WRITER.drain(self.experiment_id, LOCAL_SAVE_WAIT)
            if timing:
                self.store.update_cell(self.experiment_id, task.index, **timing)
            cell = self.store.cell(self.experiment_id, task.index)
            with self._lock:
                lane.in_flight.pop(sent.prompt_id, None)
                if cell.status == CellStatus.QUEUED and not self._over:
                    self._fail(task, "the cell finished but no image reached the Grid Assembler", lane.url)
                self._assign()
            if cell.status == CellStatus.DONE:
                HEALTH.update(lane.url, done=1, in_flight=lane.load)
                log_event(Event.CELL_DONE, self.experiment_id, cell=task.index, worker=lane.url,
                          seconds=timing.get("seconds"))
            return
        images = fetch_images(lane.client, entry, sent.remote)
        metrics = read_metrics(entry, sent.remote, self.plan.metrics)
        with self._lock:
            # it stays in flight until the writer has it, so the run cannot end in between; claimed,
            # a worker marked down meanwhile does not send it elsewhere
            ours = sent.prompt_id in lane.in_flight and not self._over
            sent.claimed = ours
        if not ours:  # the worker was marked down meanwhile (the cell went elsewhere) or the run ended
            for image in images:
                image.close()
            return
        if timing:
            self.store.update_cell(self.experiment_id, task.index, **timing)
        WRITER.submit(self.store, self._job(task.index), images, self.plan.cell_prompt(task.index), None,
                      lambda cell: self._tell(cell, sent.prompt_id, metrics, lane.url), metrics)
        with self._lock:
            lane.in_flight.pop(sent.prompt_id, None)
            self._assign()
        HEALTH.update(lane.url, done=1, in_flight=lane.load)
        log_event(Event.CELL_DONE, self.experiment_id, cell=task.index, worker=lane.url,
                  seconds=timing.get("seconds"))

    def _mark_down(self, lane: Lane, reason: str) -> None:
        with self._lock:
            if lane.state != WorkerState.UP:
                return
            lane.state = WorkerState.DOWN
            lost = [s for s in lane.in_flight.values() if not s.claimed]  # a claimed one is already home
            for s in lost:
                lane.in_flight.pop(s.prompt_id or f"sending-{s.task.index}", None)
            outbox, lane.outbox = lane.outbox, []
            if not self._over:
                for s in lost:
                    self._give_back(s.task, f"{lane.url} {reason}")
                for task in outbox:
                    bisect.insort(self._pending, (task.run_order, task.index, task))
            lane.last_check = time.monotonic()
            self._assign()
        HEALTH.update(lane.url, state=WorkerState.DOWN, in_flight=0, error=reason)
        log_event(Event.WORKER_DOWN, self.experiment_id, worker=lane.url, reason=reason,
                  cells_sent_again=[s.task.index for s in lost])
        forget(lane, [s for s in lost if s.prompt_id])

    def _probe(self, lane: Lane) -> None:
        if time.monotonic() - lane.last_check < HEALTH_INTERVAL:
            return
        lane.last_check = time.monotonic()
        answer = check(lane.client, lane.needs)
        if answer.unreachable:
            return
        with self._lock:
            lane.state = WorkerState.UP if answer.ready else WorkerState.LEFT_OUT
            self._assign()
        if answer.ready:
            HEALTH.update(lane.url, state=WorkerState.UP, in_flight=lane.load)
            log_event(Event.WORKER_UP, self.experiment_id, worker=lane.url)
        else:
            HEALTH.update(lane.url, state=WorkerState.LEFT_OUT, error=answer.describe())
            log_event(Event.WORKER_LEFT_OUT, self.experiment_id, worker=lane.url, reason=answer.describe())

    # -- the end ---------------------------------------------------------------------

    def _maybe_finish(self) -> None:
        """End the dispatch once every cell is settled, or once no worker has answered for STALL_AFTER."""
        with self._lock:
            if self._over:
                return
            if self._pending and not any(lane.state == WorkerState.UP for lane in self.lanes):
                self._no_worker_since = self._no_worker_since or time.monotonic()
            else:
                self._no_worker_since = None
            stalled = self._no_worker_since is not None and time.monotonic() - self._no_worker_since > STALL_AFTER
            if not stalled and (self._pending or any(lane.in_flight or lane.outbox for lane in self.lanes)):
                return
            self._over = True
            self._lock.notify_all()
        running.unregister(self)
        if stalled:
            log_event(Event.STALLED, self.experiment_id, waiting=len(self._pending),
                      reason=f"no worker answered for {STALL_AFTER:.0f} s; resume the experiment")
            self.store.update_experiment(self.experiment_id, final_prompt_id=NO_DRAWING_PROMPT)  # shows interrupted
            return
        WRITER.drain(self.experiment_id)
        self.hooks.finished(self)

    def cancel(self, wait: float = 10.0) -> None:
        """Stop sending; take this experiment's cells off every worker's queue; interrupt those running.

        The lanes stop first (a lane posting a cell finishes that post), so what is taken off
        the queues includes a cell posted during the cancel.
        """
        with self._lock:
            self._over = True
            self._pending.clear()
            self._lock.notify_all()
        running.unregister(self)
        deadline = time.monotonic() + wait
        for lane in self.lanes:
            if lane.thread is not None:
                lane.thread.join(max(0.0, deadline - time.monotonic()))
        with self._lock:
            held = [(lane, [s for s in lane.in_flight.values() if s.prompt_id]) for lane in self.lanes]
        threads = [threading.Thread(target=forget, args=pair, daemon=True) for pair in held if pair[1]]
        for t in threads:
            t.start()
        for t in threads:
            t.join(max(0.0, deadline - time.monotonic()))
        for lane in self.lanes:
            HEALTH.update(lane.url, in_flight=0)
