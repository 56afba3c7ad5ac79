"""A function one app provides to a lower one, registered in the provider's ``AppConfig.ready()``.

Layers point one way (docs/architecture.md, "Layers"): a lower app that needs something only a
higher app knows (the person API needs the list page's filters; the rules need the planning
entries) declares a ``Hook`` and calls it; the higher app registers the function. The lower app
imports nothing of the higher one, and a missing registration fails loudly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured


class Hook:
    """One function, registered once by another app."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._function: Callable[..., Any] | None = None

    def register(self, function: Callable[..., Any]) -> None:
        if self._function is not None and self._function is not function:
            raise ImproperlyConfigured(f"{self.name}: registered twice.")
        self._function = function

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._function is None:
            raise ImproperlyConfigured(f"{self.name}: no app registered it.")
        return self._function(*args, **kwargs)
