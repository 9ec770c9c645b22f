"""Refusals the handlers give.

WorkflowError           a request refused; ``str(error)`` is the reply for the person who asked
└── IllegalTransition   the order's state does not allow the requested move
"""


class WorkflowError(Exception):
    """A refused request; its message is written for the person who asked."""


class IllegalTransition(WorkflowError):
    """The order's state does not allow the requested move."""
