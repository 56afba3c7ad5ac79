"""Schema fuzzing of one API operation, shared by the bench (``bench/api_fuzz.py``, the full run)
and the suite's bounded run (``core/tests/test_api_fuzz.py``).

schemathesis and hypothesis are imported inside the function: nothing of the application imports
this module, so a server never loads them.
"""

from __future__ import annotations

import json
import re
from typing import Any

# 4xx statuses that a valid request may get without a bug: no right (401/403), an id generated
# that does not exist (404), a conflict with the data (409).
ACCEPTED_REFUSALS = {401, 403, 404, 409}


def fuzz_operation(
    op: Any, headers: dict[str, str], max_examples: int, *, browser: Any = None, positive: bool = False
) -> tuple[int, list[str], list[str]]:
    """Send up to ``max_examples`` generated requests to one operation (derandomized, so a run is
    repeatable: no example database), each checked with ``not_a_server_error``, with ``headers``
    and through ``browser`` (a werkzeug client holding the session's cookies) when given;
    returns the number sent, a line per server error and, with ``positive``, a line
    per valid request refused with a 4xx that a valid request should not get."""
    import hypothesis
    from schemathesis.checks import not_a_server_error
    from schemathesis.core.failures import FailureGroup

    sent = 0
    found: list[str] = []
    refused: list[str] = []

    @hypothesis.settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(hypothesis.HealthCheck),
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    )
    @hypothesis.given(case=op.as_strategy())
    def run(case: Any) -> None:
        nonlocal sent
        sent += 1
        response = case.call(headers=headers, session=browser)
        try:
            case.validate_response(response, checks=[not_a_server_error])
        except (AssertionError, FailureGroup):
            body = response.text[:300].replace("\n", " ")
            found.append(
                f"{op.label}: {response.status_code} {case.method} {case.formatted_path} "
                f"query={case.query!r} body={case.body!r:.300} → {body}"
            )
        mode = case.meta.generation.mode if case.meta is not None else None
        if (
            positive
            and mode is not None
            and mode.is_positive
            and 400 <= response.status_code < 500
            and response.status_code not in ACCEPTED_REFUSALS
        ):
            refused.append(f"{op.label}: {response.status_code} {_message(response.text)}")

    try:
        run()
    except Exception as exc:  # a generation error is reported with the operation, not fatal
        found.append(f"{op.label}: lỗi khi sinh dữ liệu: {type(exc).__name__}: {exc}"[:500])
    return sent, found, refused


def _message(text: str) -> str:
    """The refusal's message with the generated values left out, to group refusals by cause."""
    try:
        data = json.loads(text)
    except ValueError:
        return text[:120]
    if isinstance(data, dict):
        parts = [str(data.get("detail", ""))]
        errors = data.get("errors") or {k: v for k, v in data.items() if k != "detail"}
        if isinstance(errors, dict):
            parts += [f"{k}: {v}" for k, v in sorted(errors.items())]
        text = "; ".join(p for p in parts if p)
    return re.sub(r"\d+", "N", str(text))[:200]
