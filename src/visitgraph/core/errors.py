"""The visitgraph exception tree: every failure a user can cause, as a sentence."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol


class ShapesResult(Protocol):
    """One result of a SHACL report, as :class:`ShapesViolation` needs it."""

    def describe(self) -> str: ...


class ShapesReport(Protocol):
    """A SHACL validation report (:class:`visitgraph.sources.validate.ValidationReport` is the one there is).

    A protocol, so that this bottom layer does not import the `sources` layer that produces reports.
    """

    report_turtle: str

    @property
    def violations(self) -> Sequence[ShapesResult]: ...

    def to_dict(self) -> dict[str, Any]: ...

    def to_text(self) -> str: ...


class VisitgraphError(Exception):
    """Base of every error visitgraph raises on purpose."""

    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message

    def to_dict(self) -> dict[str, Any]:
        """Return the error as a JSON-ready mapping."""
        return {"error": self.message, "type": type(self).__name__}


class DataSyntaxError(VisitgraphError):
    """A source file does not parse; names the file, line and column."""

    status = 400

    def __init__(self, path: str, line: int | None, column: int | None, reason: str) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.reason = reason
        where = path
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {reason}. Fix the syntax at that position and run again.")

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "path": self.path, "line": self.line, "column": self.column}


class ShapesViolation(VisitgraphError):
    """The data does not conform to the shapes; carries the full report."""

    status = 422

    def __init__(self, report: ShapesReport) -> None:
        self.report = report
        lines = [f"{len(report.violations)} violation(s); nothing was published:"]
        lines += [f"  {r.describe()}" for r in report.violations[:50]]
        if len(report.violations) > 50:
            lines.append(f"  ... and {len(report.violations) - 50} more (use --format json)")
        super().__init__("\n".join(lines))

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "report": self.report.to_dict()}


class QueryNotFound(VisitgraphError):
    """No saved query has this name."""

    status = 404

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"No saved query named {name!r}. List them with `visitgraph queries list`.")


class BadQuery(VisitgraphError):
    """A SPARQL query or update does not parse or is not allowed."""

    status = 400

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        self.line = line
        self.column = column
        super().__init__(message)

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "line": self.line, "column": self.column}


class BadParameter(VisitgraphError):
    """A parameter value does not fit its declared type."""

    status = 400

    def __init__(self, name: str, message: str | None = None) -> None:
        self.name = name
        super().__init__(message or f"Bad value for parameter {name!r}.")

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "parameter": self.name}


class StoreError(VisitgraphError):
    """The store cannot be opened, read or written."""

    status = 503


class NotPublished(StoreError):
    """No generation has been published yet."""

    def __init__(self, path: str) -> None:
        super().__init__(
            f"No published store at {path}. Run `visitgraph build` first "
            "(or `visitgraph serve`, which builds when nothing is published)."
        )


class QueryTimeout(VisitgraphError):
    """A query ran past its time budget and was stopped."""

    status = 503

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(
            f"Query timed out after {seconds:g} s and was stopped. Narrow it (add LIMIT, "
            "bind more variables, filter by date) or use a saved query under /queries "
            "or a full dump under /dumps/."
        )


class LimitExceeded(VisitgraphError):
    """A request went past a configured limit (size, rate, concurrency)."""

    def __init__(self, message: str, status: int = 429, retry_after: int | None = None) -> None:
        self.status = status
        self.retry_after = retry_after
        super().__init__(message)


class Forbidden(VisitgraphError):
    """The request needs credentials it does not have."""

    def __init__(self, message: str, status: int = 403) -> None:
        self.status = status
        super().__init__(message)


class LinksetInvalid(VisitgraphError):
    """A contributed linkset was refused; names every bad line (nothing was stored)."""

    status = 422

    def __init__(self, name: str, problems: list[tuple[int | None, str]]) -> None:
        self.name = name
        self.problems = problems
        lines = [f"{name}: {len(problems)} problem(s); nothing was stored. Fix these lines and send it again:"]
        lines += [f"  {name}:{line if line is not None else '?'}: {msg}" for line, msg in problems[:200]]
        super().__init__("\n".join(lines))

    def to_dict(self) -> dict[str, Any]:
        return {
            **super().to_dict(),
            "file": self.name,
            "problems": [{"line": line, "message": msg} for line, msg in self.problems],
        }
