"""What `Lab(...)` sets up in the IPython kernel: magics and readable failures."""

from __future__ import annotations

from courselab.errors import GoBuildError, ServiceUnavailable
from courselab.exercises import ExerciseIncorrect, solution_cell_magic
from courselab.go import go_cell_magic

# Failures a learner is meant to read as a message, not as a stack trace.
READABLE = (ServiceUnavailable, GoBuildError, ExerciseIncorrect)


def _show_message(shell, etype, value, tb, tb_offset=None):  # IPython's custom-exception signature
    # exception_only: the message, no stack trace; the cell still fails, so a test run sees it.
    return shell.showtraceback((etype, value, tb), tb_offset=tb_offset, exception_only=True)


def install() -> None:
    """Register %%go and %%solution and the short error display; a no-op outside IPython."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return
    shell.register_magic_function(go_cell_magic, magic_kind="cell", magic_name="go")
    shell.register_magic_function(solution_cell_magic, magic_kind="cell", magic_name="solution")
    shell.set_custom_exc(READABLE, _show_message)
