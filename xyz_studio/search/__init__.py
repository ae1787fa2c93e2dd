"""Search, not only sweep (issue 20): a metric steers which cells of a plan run next.

ComfyUI-free. settings.py checks what the Search node asks; space.py maps the plan's axes
to Optuna's parameters; coarse.py picks the spread-out first pass; ledger.py keeps the
cells taken and the best; grid.py is today's order cut at a budget; study.py the durable
Optuna study (TPE or random) in the studio folder's search.sqlite3 (durable.py).
Optuna is imported only when a TPE or random search opens.
"""
from .durable import STUDY_DB_NAME, load_optuna, study_name
from .ledger import Proposal, Search, SearchState, Told
from .settings import ResolvedSearch, SearchSampler, SearchSettings, checked, resolve
from .space import AxisKind, SearchSpace
from .study import OptunaSearch, StudyMismatch, open_search

__all__ = ["STUDY_DB_NAME", "AxisKind", "OptunaSearch", "Proposal", "ResolvedSearch", "Search", "SearchSampler",
           "SearchSettings", "SearchSpace", "SearchState", "StudyMismatch", "Told", "checked", "load_optuna",
           "open_search", "resolve", "study_name"]
