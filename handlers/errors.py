"""Refusals the handlers give.

WorkflowError           a request refused; ``str(error)`` is the reply for the person who asked
├── IllegalTransition   the order's state does not allow the requested move
└── SetupRefused        the district's organisation cannot be changed as asked
"""


class WorkflowError(Exception):
    """A refused request; its message is written for the person who asked."""


class IllegalTransition(WorkflowError):
    """The order's state does not allow the requested move."""


class SetupRefused(WorkflowError):
    """The district's organisation (communities, grids, buildings, units, admins, members)
    cannot be changed as asked; ``str(error)`` says why, in the operator's words."""
