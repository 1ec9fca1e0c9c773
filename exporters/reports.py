"""Reports of a corpus run: text for people, JSON for programs, JUnit for CI viewers,
GitHub workflow annotations; a progress line on a terminal; a summary at the end."""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TextIO

from .corpus import FileResult
from .validation import Issue

REPORTS = ("text", "json", "junit", "github")


@dataclass(slots=True)
class Summary:
    files: int = 0
    by_status: Counter[str] = field(default_factory=Counter)
    by_rule: Counter[str] = field(default_factory=Counter)
    started: float = field(default_factory=time.perf_counter)

    def add(self, r: FileResult) -> None:
        self.files += 1
        self.by_status[r.status] += 1
        for issue in r.issues:
            if issue.is_error:
                self.by_rule[issue.rule] += 1

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started

    def line(self, verb: str = "checked") -> str:
        parts = [f"{self.files} files {verb}"]
        for status in ("valid", "invalid", "error", "skipped"):
            if self.by_status[status]:
                parts.append(f"{self.by_status[status]} {status}")
        if self.by_rule:
            kinds = ", ".join(f"{rule} {n}" for rule, n in self.by_rule.most_common())
            parts.append(f"errors by kind: {kinds}")
        rate = self.files / self.seconds if self.seconds > 0 else 0.0
        parts.append(f"{self.seconds:.2f} s ({rate:.0f} files/s)")
        return "; ".join(parts)


class Progress:
    """``[123/4567] 120 valid, 3 invalid, 0 errors, 812 files/s`` redrawn on a terminal only."""

    def __init__(self, total: int | None, stream: TextIO, enabled: bool) -> None:
        self.total = total
        self.stream = stream
        self.enabled = enabled and stream.isatty()
        self.last = 0.0

    def update(self, summary: Summary) -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        if now - self.last < 0.1 and summary.files != self.total:
            return
        self.last = now
        total = f"/{self.total}" if self.total else ""
        rate = summary.files / summary.seconds if summary.seconds > 0 else 0.0
        s = summary.by_status
        self.stream.write(
            f"\r[{summary.files}{total}] {s['valid']} valid, {s['invalid']} invalid, {s['error']} errors, "
            f"{s['skipped']} unchanged, {rate:.0f} files/s"
        )
        self.stream.flush()

    def done(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()


def text_lines(r: FileResult) -> list[str]:
    """``file:line:col: severity: message [rule]`` per issue."""
    return [issue.format(r.path) for issue in r.issues]


def github_lines(r: FileResult) -> list[str]:
    """GitHub workflow commands: ``::error file=f,line=3,col=5::message``."""
    out = []
    for issue in r.issues:
        level = "error" if issue.is_error else "warning"
        where = f"file={_gh(r.path)}"
        if issue.line:
            where += f",line={issue.line}"
        if issue.column:
            where += f",col={issue.column}"
        out.append(f"::{level} {where},title={_gh(issue.rule)}::{_gh_message(issue.message)}")
    return out


def _gh(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(":", "%3A").replace(",", "%2C")


def _gh_message(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def issue_dict(issue: Issue) -> dict[str, object]:
    return {
        "severity": issue.severity.value,
        "rule": issue.rule,
        "message": issue.message,
        "line": issue.line,
        "column": issue.column,
        "path": issue.path,
    }


def json_report(results: Sequence[FileResult], summary: Summary) -> str:
    return json.dumps(
        {
            "files": [
                {
                    "path": r.path,
                    "status": r.status,
                    "issues": [issue_dict(i) for i in r.issues],
                    "outputs": r.outputs,
                }
                for r in results
            ],
            "summary": {
                "files": summary.files,
                **{status: summary.by_status[status] for status in ("valid", "invalid", "error", "skipped")},
                "errors_by_kind": dict(summary.by_rule.most_common()),
                "seconds": round(summary.seconds, 3),
            },
        },
        ensure_ascii=False,
        indent=2,
    )


def junit_report(results: Sequence[FileResult], summary: Summary, name: str = "transcript validate") -> str:
    """One ``testcase`` per file; invalid files fail, unreadable files are errors."""
    from xml.sax.saxutils import escape, quoteattr  # noqa: PLC0415 - it loads urllib: 10 ms of every start-up

    failures = summary.by_status["invalid"]
    errors_ = summary.by_status["error"]
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<testsuites name={quoteattr(name)} tests="{summary.files}" failures="{failures}" errors="{errors_}" '
        f'time="{summary.seconds:.3f}">',
        f'  <testsuite name={quoteattr(name)} tests="{summary.files}" failures="{failures}" errors="{errors_}" '
        f'skipped="{summary.by_status["skipped"]}" time="{summary.seconds:.3f}">',
    ]
    for r in results:
        lines.append(f'    <testcase classname="transcript" name={quoteattr(r.path)} time="{r.seconds:.3f}">')
        body = escape("\n".join(text_lines(r)))
        problems = [i for i in r.issues if i.is_error]
        if r.status == "invalid":
            lines.append(f'      <failure message={quoteattr(_first(problems))} type="invalid">{body}</failure>')
        elif r.status == "error":
            lines.append(f'      <error message={quoteattr(_first(problems))} type="unreadable">{body}</error>')
        elif r.status == "skipped":
            lines.append('      <skipped message="unchanged since the last successful run"/>')
        lines.append("    </testcase>")
    lines += ["  </testsuite>", "</testsuites>", ""]
    return "\n".join(lines)


def _first(issues: Sequence[Issue]) -> str:
    return issues[0].message if issues else "failed"


def emit(report: str, result: FileResult, out: TextIO = sys.stdout, *, quiet: bool = False) -> None:
    """Print a file's result as it arrives (text and github reports stream)."""
    if report == "github":
        for line in github_lines(result):
            print(line, file=out)
    elif report == "text":
        for line in text_lines(result):
            print(line, file=out)
        if result.status == "valid" and not quiet and not result.outputs:
            print(f"{result.path}: valid", file=out)
