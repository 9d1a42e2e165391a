"""Property-based API fuzzing (schemathesis) against /openapi.json: no request may produce a 500.

Bounded for CI: a few examples per operation, no shrinking. Requests carry an admin's bearer
token so the checks reach the handlers, not only the 401 answers.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed (dev extra)")
from fixtures.service import running_app, token, upload_sample_book  # noqa: E402
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402

pytestmark = pytest.mark.slow


def test_no_server_errors(tmp_path: Path) -> None:
    """Every operation, a few generated requests each: none may answer 5xx."""
    failures: list[str] = []
    with running_app(tmp_path) as (client, _services):
        headers = token(client, "admin")
        upload_sample_book(client, headers)
        schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) > 30

        for operation in operations:

            @given(case=operation.as_strategy())
            @settings(
                max_examples=5,
                deadline=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
                database=None,
            )
            def check(case: schemathesis.Case) -> None:  # type: ignore[name-defined]
                try:
                    case.call_and_validate(headers=headers, checks=[not_a_server_error])
                except Exception as error:  # collect every operation's failure, then report them all
                    failures.append(f"{case.method} {case.path}: {error}")
                    raise

            with contextlib.suppress(Exception):  # failures are recorded in `failures`
                check()
    assert not failures, "\n".join(failures[:10])
