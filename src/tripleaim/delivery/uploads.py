"""Upload a project or programme workbook as returns: all of it or nothing.

Reading problems (cells), the workbook's scope, period and template are checked first;
then each project's return is validated against the store. Every problem of every
project is reported together, and nothing is written unless the whole workbook is valid
(the caller's transaction is rolled back on any error).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from tripleaim.delivery import workbook_format as fmt
from tripleaim.delivery.cycle import period_of, programme_of
from tripleaim.delivery.history import Actor
from tripleaim.delivery.periods import month_title
from tripleaim.delivery.returns import Problem, ReturnInvalidError
from tripleaim.delivery.service import submit
from tripleaim.delivery.submission import SubmissionResult
from tripleaim.delivery.workbook_read import ParsedWorkbook, read_workbook
from tripleaim.errors import NotFoundError


def _scope_problems(
    session: Session, parsed: ParsedWorkbook, expected_project: str | None
) -> list[Problem]:
    meta = parsed.meta
    scope = str(meta.get("scope", ""))
    at = {key: f"{fmt.GUIDE}!{cell}" for key, cell in fmt.GUIDE_CELLS.items()}
    if expected_project and scope != expected_project:
        what = "the whole programme" if scope == "programme" else f"project '{scope}'"
        return [
            Problem(
                at["scope"],
                f"this workbook is for {what}, not project '{expected_project}'.",
            )
        ]
    try:
        period = period_of(
            session,
            programme_of(session, str(meta.get("programme", ""))),
            str(meta.get("period", "")),
        )
    except NotFoundError as exc:
        return [Problem(at["period"], str(exc))]
    if period.status == "locked":
        return [
            Problem(
                at["period"],
                f"the period {period.month} ({month_title(period.month)}) is locked: "
                "returns can no longer be submitted.",
            )
        ]
    return []


def upload_workbook(
    session: Session,
    actor: Actor,
    content: bytes,
    expected_project: str | None = None,
) -> list[SubmissionResult]:
    """Submit every project's return in the workbook, or raise ReturnInvalidError listing every problem."""
    parsed = read_workbook(content)
    if not parsed.problems:
        parsed.problems += _scope_problems(session, parsed, expected_project)
    if parsed.problems:
        raise ReturnInvalidError(parsed.problems, "The workbook was rejected")
    results = []
    problems: list[Problem] = []
    for data in parsed.returns:
        try:
            results.append(submit(session, actor, data, "workbook"))
        except ReturnInvalidError as exc:
            problems += exc.problems
    if problems:
        raise ReturnInvalidError(problems, "The workbook was rejected")
    return results
