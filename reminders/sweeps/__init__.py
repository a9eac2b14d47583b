"""The registry of reminder sweeps, one per ``reminders.models.Kind`` that has landed."""

from .base import Subject, Sweep

SWEEPS: dict[str, Sweep] = {}


def register(sweep_class: type[Sweep]) -> type[Sweep]:
    sweep = sweep_class()
    SWEEPS[sweep.name] = sweep
    return sweep_class


def get(name: str) -> Sweep:
    """The sweep called ``name``; KeyError names the ones there are."""
    try:
        return SWEEPS[name]
    except KeyError:
        raise KeyError(f"no reminder sweep {name!r}; there are: {', '.join(sorted(SWEEPS))}") from None


from . import applications, assessments, projects, reviews  # noqa: E402, F401  (registers the sweeps)

__all__ = ["SWEEPS", "Subject", "Sweep", "get", "register"]
