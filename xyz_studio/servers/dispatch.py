"""Sending an experiment's cells to several ComfyUI servers: who gets which cell, and what
becomes of a cell that did not come back.

Each worker's own ComfyUI queue is the execution engine; this is the dispatcher on top.
Every decision is taken here, under the dispatch's one lock: the next cell in the
experiment's cost-aware order goes to the live worker with the fewest cells in flight,
preferring the one that ran the last cell of the same slow-axis value (so each worker
loads a checkpoint once where it can), with at most `max_in_flight` cells on a worker
(so each GPU always has its next cell queued). The talking to the workers is done by
one `LaneRunner` thread per worker (lane_runner.py), which reports back here.

Failures: a worker that stops answering, or whose cell runs past the timeout, is
marked down and its unfinished cells go back to the head of the line (deleted from it
now or when it answers again); probed every few seconds, it rejoins when it answers
and still has what the cells need. A cell goes out at most MAX_TRIES times, then
becomes an error tile; one that fails for a reason of its own (a node raised, two
servers refused its prompt) is not sent again. A server that refuses a cell another
one then runs is left out: it lacks something the check could not see.

Under a search (search/), the line of cells is not known up front: when a worker has room
and nothing waits, the search proposes the next cell, and each cell's value (its objective
metric; None if it failed) is told to the search, under the lock, before the next proposal.
The run ends when the search proposes nothing more (its budget is spent) and nothing is out.
"""
from __future__ import annotations

import bisect
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..common.format import format_seconds
from ..experiment.cell_writer import WRITER, SavedCell
from ..planning.plan import Plan
from ..protocol import Job, JobRole
from ..reporting.event_log import Event, log_event
from ..reporting.health import HEALTH, WorkerState
from ..reporting.notifier import Notifier, safely
from ..search.ledger import Search
from ..storage.records import NO_FINAL_PROMPT, CellStatus
from ..storage.store import ExperimentStore
from . import running
from .lane import Lane, Sent, Task, forget, placeholder
from .remote_cell import RemoteCell, remote_cell

log = logging.getLogger("xyz_studio")

MAX_TRIES = 3           # times a cell is sent out before it becomes an error tile
STALL_AFTER = 120.0     # seconds with cells waiting and no worker up before the run stops (resume it)
REFUSALS_TO_FAIL = 2    # servers refusing a cell's prompt before it counts as the cell's own fault


@dataclass(frozen=True)
class DispatchHooks:
    """What the dispatch needs from the host: how to tell the editors, and what to do at the end."""

    client_id: str | None
    notifier: Notifier                     # tells every editor of each cell saved or failed
    finished: Callable[[Dispatch], None]   # every cell settled: queue the final prompt


class Dispatch:
    """One experiment's cells over several workers."""

    def __init__(self, store: ExperimentStore, plan: Plan, experiment_id: str, lanes: list[Lane],
                 hooks: DispatchHooks, max_in_flight: int, cell_timeout: float, search: Search | None = None):
        self.store = store
        self.plan = plan
        self.experiment_id = experiment_id
        self.lanes = lanes
        self.hooks = hooks
        self.max_in_flight = max(1, max_in_flight)
        self.cell_timeout = cell_timeout
        self.lock = threading.Condition()
        self.over = False                                 # finished, stalled or cancelled: lanes stop
        self.last_local_cell: int | None = None           # the final prompt holds its graph (cache)
        self._pending: list[tuple[int, int, Task]] = []   # (run_order, index, task), sorted
        self._no_worker_since: float | None = None
        self._slow_axis = plan.loop_order[0] if plan.loop_order else plan.slots[0]
        self.search = search                              # None: the cells given to `start` are all
        self._proposed = 0                                # proposals so far: their place in the line

    def task(self, index: int, run_order: int) -> Task:
        return Task(index=index, run_order=run_order, affinity=self.plan.coords_by_slot(index).get(self._slow_axis, 0))

    def job(self, index: int) -> Job:
        # no run order: across workers a cell saved does not mean the ones before it have ended
        x, y, z = self.plan.place(index)
        at = self.plan.coords_by_slot(index)
        return Job(self.experiment_id, JobRole.CELL, index, None, x, y, z, self.plan.labels_of(index, at),
                   self.plan.cell_file_stem(index), at)

    def remote(self, lane: Lane, index: int) -> RemoteCell | None:
        return None if lane.local else remote_cell(self.plan, self.experiment_id, index)

    def start(self, tasks: list[Task], adopted: dict[str, list[tuple[Task, str]]] | None = None) -> None:
        """Start the lanes with `tasks` waiting and `adopted` cells already on their workers
        (posted before: the first cell, or cells a restarted master finds recorded)."""
        from .lane_runner import LaneRunner  # the runner reports to this class

        with self.lock:
            for t in tasks:
                bisect.insort(self._pending, (t.run_order, t.index, t))
            for lane in self.lanes:
                for t, prompt_id in (adopted or {}).get(lane.url, ()):
                    lane.in_flight[prompt_id] = Sent(t, prompt_id, self.remote(lane, t.index))
                    lane.last_affinity = t.affinity
                if lane.state == WorkerState.UP:
                    HEALTH.update(lane.url, state=WorkerState.UP, in_flight=lane.load)
            self._assign()
        running.register(self)
        for lane in self.lanes:
            if lane.state != WorkerState.LEFT_OUT:
                lane.thread = threading.Thread(target=LaneRunner(self, lane).run, daemon=True,
                                               name=f"xyz_studio worker {lane.url}")
                lane.thread.start()
        self.maybe_finish()

    # -- decisions (each takes the lock) ---------------------------------------------

    def _assign(self) -> None:
        """Give waiting cells to workers with room (call with the lock held)."""
        while not self.over and (self._pending or self._propose()):
            room = [lane for lane in self.lanes if lane.state == WorkerState.UP and lane.load < self.max_in_flight]
            # the first cell in line that one of them has not refused (a refused one waits for another server)
            pick = next(((k, task, fit) for k, (_, _, task) in enumerate(self._pending)
                         if (fit := [ln for ln in room if ln.url not in task.rejected_by])), None)
            if pick is None:
                break
            k, task, fit = pick
            lane = min(fit, key=lambda ln: (ln.load, ln.last_affinity != task.affinity, ln.listed_at))
            self._pending.pop(k)
            lane.outbox.append(task)
            lane.last_affinity = task.affinity
        self.lock.notify_all()

    def _propose(self) -> bool:
        """Under a search with a worker free for it, put its next proposal in line; False when
        there is none (no search, no room, or the search is done) (call with the lock held)."""
        if self.search is None or not any(ln.state == WorkerState.UP and ln.load < self.max_in_flight
                                          for ln in self.lanes):
            return False
        proposal = self.search.propose()
        if proposal is None:
            return False
        # after every cell already in line (one given back waits there first), in the order proposed
        self._proposed += 1
        bisect.insort(self._pending, (self.plan.cell_count + self._proposed, proposal.cell,
                                      self.task(proposal.cell, self.plan.cell_count + self._proposed)))
        log_event(Event.CELL_PROPOSED, self.experiment_id, cell=proposal.cell, trial=proposal.trial,
                  coarse=proposal.coarse)
        return True

    def _tell(self, index: int, metrics: dict[str, float | None] | None) -> None:
        """A settled cell's value, to the search, before its next proposal (call with the lock held).
        None of the objective (a failed cell, a missing metric): the cell ran, with no value."""
        if self.search is not None and not self.over:
            self.search.tell(index, (metrics or {}).get(self.search.objective))

    def next_to_send(self, lane: Lane) -> Task | None:
        """The next cell given to `lane`, counted in flight from now (None: nothing, or it must stop)."""
        with self.lock:
            if self.over or lane.state != WorkerState.UP or not lane.outbox:
                return None
            task = lane.outbox.pop(0)
            lane.in_flight[placeholder(task)] = Sent(task, "", None)
            return task

    def posted(self, lane: Lane, sent: Sent) -> bool:
        """The worker took the cell. False when the run ended or the lane went down meanwhile:
        the caller takes the prompt off the worker again."""
        with self.lock:
            lane.in_flight.pop(placeholder(sent.task), None)
            if self.over or lane.state != WorkerState.UP:
                if not self.over:
                    self._put_back(sent.task)
                return False
            lane.in_flight[sent.prompt_id] = sent
            if lane.local:
                self.last_local_cell = sent.task.index
        HEALTH.update(lane.url, in_flight=lane.load)
        log_event(Event.CELL_QUEUED, self.experiment_id, cell=sent.task.index, worker=lane.url,
                  prompt_id=sent.prompt_id, tries=sent.task.tries)
        return True

    def refused(self, lane: Lane, task: Task, reason: str) -> None:
        """The worker refused the cell's prompt (400). Two servers refusing it, or no other
        server left to try: the cell's own fault. Otherwise another server tries it."""
        with self.lock:
            lane.in_flight.pop(placeholder(task), None)
            task.rejected_by[lane.url] = reason
            others = [ln for ln in self.lanes if ln.state == WorkerState.UP and ln.url not in task.rejected_by]
            if len(task.rejected_by) >= REFUSALS_TO_FAIL or not others:
                self._fail(task, f"refused by {lane.url}: {reason}", lane.url)
            elif not self.over:
                self._put_back(task)
            self._assign()

    def brought_home(self, lane: Lane, sent: Sent, metrics: dict[str, float | None] | None = None) -> None:
        """The cell is saved (or handed to the writer, with its `metrics`): it leaves the lane.
        Servers that refused it before lack something it needs: they are left out."""
        with self.lock:
            lane.in_flight.pop(sent.prompt_id, None)
            self._tell(sent.task.index, metrics)
            refusers = [ln for ln in self.lanes if ln.url in sent.task.rejected_by and ln.state == WorkerState.UP]
            for other in refusers:
                other.state = WorkerState.LEFT_OUT
                self._take_back(other, f"refused a cell that {lane.url} ran")
            self._assign()
        HEALTH.update(lane.url, done=1, in_flight=lane.load)
        for other in refusers:
            why = f"left out: it refused cell {sent.task.index}, which {lane.url} ran: " \
                  f"{sent.task.rejected_by[other.url]}"
            HEALTH.update(other.url, state=WorkerState.LEFT_OUT, in_flight=0, error=why)
            log_event(Event.WORKER_LEFT_OUT, self.experiment_id, worker=other.url, reason=why)

    def failed(self, lane: Lane, sent: Sent, error: str, seconds: float | None) -> None:
        """The cell failed on the worker for a reason of its own (a node raised): an error tile."""
        with self.lock:
            if lane.in_flight.pop(sent.prompt_id, None) is not None and not self.over:
                self._fail(sent.task, error, lane.url, seconds)
            self._assign()
        HEALTH.update(lane.url, in_flight=lane.load)

    def lost(self, lane: Lane, sent: Sent, why: str) -> None:
        """The cell left the worker without a result (stopped there, its queue cleared, restarted)."""
        with self.lock:
            if lane.in_flight.pop(sent.prompt_id, None) is not None and not self.over:
                self._give_back(sent.task, f"{lane.url}: {why}")
            self._assign()
        HEALTH.update(lane.url, in_flight=lane.load)

    def claim(self, lane: Lane, sent: Sent) -> bool:
        """Take the result of a cell read back from a worker; False if it is no longer ours
        (the worker was marked down and the cell went elsewhere, or the run ended). Claimed,
        it stays in flight until the writer has it, so the run cannot end in between."""
        with self.lock:
            sent.claimed = sent.prompt_id in lane.in_flight and not self.over
            return sent.claimed

    def mark_down(self, lane: Lane, reason: str, claimed_too: bool = False) -> None:
        """The worker stopped answering: its cells go to the others; those still on it are
        deleted from it now, or when it answers again."""
        with self.lock:
            if lane.state != WorkerState.UP:
                return
            lane.state = WorkerState.DOWN
            lost = self._take_back(lane, reason, claimed_too)
            lane.last_check = time.monotonic()
        HEALTH.update(lane.url, state=WorkerState.DOWN, in_flight=0, error=reason)
        log_event(Event.WORKER_DOWN, self.experiment_id, worker=lane.url, reason=reason,
                  cells_sent_again=[s.task.index for s in lost])
        if lost and not forget(lane, lost):
            with self.lock:
                lane.to_forget += [s for s in lost if s.prompt_id]

    def rejoined(self, lane: Lane, ready: bool, problem: str) -> None:
        with self.lock:
            lane.state = WorkerState.UP if ready else WorkerState.LEFT_OUT
            self._assign()
        if ready:
            HEALTH.update(lane.url, state=WorkerState.UP, in_flight=lane.load)
            log_event(Event.WORKER_UP, self.experiment_id, worker=lane.url)
        else:
            HEALTH.update(lane.url, state=WorkerState.LEFT_OUT, error=problem)
            log_event(Event.WORKER_LEFT_OUT, self.experiment_id, worker=lane.url, reason=problem)

    def _take_back(self, lane: Lane, reason: str, claimed_too: bool = True) -> list[Sent]:
        """Empty a lane that can no longer run cells (call with the lock held)."""
        lost = [s for s in lane.in_flight.values() if claimed_too or not s.claimed]  # a claimed one is home
        for s in lost:
            lane.in_flight.pop(s.prompt_id or placeholder(s.task), None)
        outbox, lane.outbox = lane.outbox, []
        if not self.over:
            for s in lost:
                self._give_back(s.task, f"{lane.url} {reason}")
            for task in outbox:
                self._put_back(task)
        self._assign()
        return lost

    def _put_back(self, task: Task) -> None:
        bisect.insort(self._pending, (task.run_order, task.index, task))

    def _give_back(self, task: Task, error: str) -> None:
        """A cell that did not finish for a reason not its own: in line again, or an error tile
        after MAX_TRIES (call with the lock held)."""
        task.tries += 1
        if task.tries >= MAX_TRIES:
            self._fail(task, f"tried {task.tries} times on the workers; the last attempt: {error}", None)
            return
        self._put_back(task)
        log_event(Event.CELL_SENT_AGAIN, self.experiment_id, cell=task.index, tries=task.tries, reason=error)

    def _fail(self, task: Task, error: str, worker: str | None, seconds: float | None = None) -> None:
        # its time too: a search's history (the panel's chart, W&B's trials) is in the order cells finished
        fields: dict[str, Any] = {"status": CellStatus.FAILED, "error": error, "finished_at": time.time()}
        if seconds is not None:
            fields["seconds"] = round(seconds, 4)
        self.store.update_cell(self.experiment_id, task.index, **fields)
        self._tell(task.index, None)
        log_event(Event.CELL_FAILED, self.experiment_id, cell=task.index, worker=worker, error=error, seconds=seconds)
        if worker:
            HEALTH.update(worker, failed=1, error=error)
        failed = SavedCell(self.job(task.index), [], self.store.counts(self.experiment_id), error)
        safely(self.hooks.notifier, failed.event(worker=worker))

    # -- the end ---------------------------------------------------------------------

    def maybe_finish(self) -> None:
        """End the dispatch once every cell is settled, or once no worker has answered for STALL_AFTER."""
        with self.lock:
            if self.over:
                return
            waiting = bool(self._pending) or (self.search is not None and self.search.may_propose())
            if waiting and not any(lane.state == WorkerState.UP for lane in self.lanes):
                self._no_worker_since = self._no_worker_since or time.monotonic()
            else:
                self._no_worker_since = None
            stalled = self._no_worker_since is not None and time.monotonic() - self._no_worker_since > STALL_AFTER
            if not stalled and (waiting or any(lane.in_flight or lane.outbox for lane in self.lanes)):
                return
            self.over = True
            self.lock.notify_all()
        self._close_search()
        try:
            if stalled:
                log_event(Event.STALLED, self.experiment_id, waiting=len(self._pending),
                          reason=f"no worker answered for {format_seconds(STALL_AFTER)}; resume the experiment")
                self.store.update_experiment(self.experiment_id, final_prompt_id=NO_FINAL_PROMPT)  # interrupted
            else:
                WRITER.drain(self.experiment_id)
                self.hooks.finished(self)
        finally:  # only now: until the final prompt is recorded, a resume must find the run going
            running.unregister(self)

    def cancel(self, wait: float = 10.0) -> None:
        """Stop sending; take this experiment's cells off every worker's queue; interrupt those running.

        The lanes stop first (a lane posting a cell finishes that post and takes it off
        again), then what is left on each worker is taken off.
        """
        with self.lock:
            self.over = True
            self._pending.clear()
            self.lock.notify_all()
        self._close_search()
        running.unregister(self)
        deadline = time.monotonic() + wait
        for lane in self.lanes:
            if lane.thread is not None:
                lane.thread.join(max(0.0, deadline - time.monotonic()))
        with self.lock:
            held = [(lane, [s for s in lane.in_flight.values() if s.prompt_id] + lane.to_forget) for lane in self.lanes]
        threads = [threading.Thread(target=forget, args=pair, daemon=True) for pair in held if pair[1]]
        for t in threads:
            t.start()
        for t in threads:
            t.join(max(0.0, deadline - time.monotonic()))
        for lane in self.lanes:
            HEALTH.update(lane.url, in_flight=0)

    def _close_search(self) -> None:
        """Let the search's study go once the run is over (it proposes nothing more; a resume reopens it)."""
        if self.search is None:
            return
        with self.lock:  # after any tell under way
            self.search.stop()
            self.search.close()
