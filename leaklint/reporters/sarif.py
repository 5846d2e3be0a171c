"""``--format sarif``: a SARIF 2.1.0 log, as GitHub code scanning and IDEs read it.

One run: the tool with every rule's metadata and documentation, one result
per finding with its place and a fingerprint that survives unrelated edits,
and the files that could not be read as notifications of the invocation.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple
from urllib.parse import quote

from leaklint import __version__
from leaklint.core.finding import Finding
from leaklint.batch.fingerprints import fingerprints
from leaklint.fixes import Fix
from leaklint.docs import rule_url
from leaklint.core.registry import all_rules
from leaklint.reporters.levels import level
from leaklint.batch.runner import RunResult

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/flake8-leaklint/"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "leaklintFingerprint/v1"

Json = Dict[str, Any]


def render(result: RunResult, show_source: bool) -> Iterator[str]:
    rules = [_rule_descriptor(rule) for rule in all_rules()]
    rule_index = {rule["id"]: index for index, rule in enumerate(rules)}
    cwd = Path.cwd()
    results = [
        _result(finding, fingerprint, _artifact_location(file.path, cwd), rule_index)
        for file in result.files
        for finding, fingerprint in zip(file.findings, fingerprints(file.text, file.findings))
    ]
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "leaklint",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "invocations": [_invocation(result.errors)],
                "originalUriBaseIds": {SRCROOT: {"uri": _directory_uri(cwd)}},
                # Finding columns count characters, not SARIF's default UTF-16 units.
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    yield json.dumps(log, indent=2, ensure_ascii=False)


def _rule_descriptor(rule: Any) -> Json:
    what_it_finds = " ".join(rule.doc_sections().get("What it finds", "").split())
    documentation = rule.documentation()
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary() or rule.name},
        "fullDescription": {"text": what_it_finds or rule.summary() or rule.name},
        "help": {"text": documentation or rule.name, "markdown": documentation or rule.name},
        "helpUri": rule_url(rule),
        "defaultConfiguration": {"level": level(rule.code), "enabled": bool(rule.default_enabled)},
    }


def _result(finding: Finding, fingerprint: str, location: Json, rule_index: Dict[str, int]) -> Json:
    result: Json = {"ruleId": finding.code}
    if finding.code in rule_index:
        result["ruleIndex"] = rule_index[finding.code]
    result.update(
        {
            "level": level(finding.code),
            "message": {"text": finding.message},
            "locations": [{"physicalLocation": {"artifactLocation": location, "region": _region(finding)}}],
            "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        }
    )
    fix = Fix.loads(finding.fix)
    if fix is not None:
        result["fixes"] = [_fix(fix, location)]
    return result


def _fix(fix: Fix, location: Json) -> Json:
    """SARIF's fix: the edits as replacements of regions of the finding's file."""
    description = fix.title if fix.safe else f"{fix.title} (unsafe: it may change behaviour; review it)"
    replacements = [
        {
            "deletedRegion": {
                "startLine": edit.line,
                "startColumn": edit.column,
                "endLine": edit.end_line,
                "endColumn": edit.end_column,
            },
            "insertedContent": {"text": edit.replacement},
        }
        for edit in fix.edits
    ]
    return {
        "description": {"text": description},
        "artifactChanges": [{"artifactLocation": location, "replacements": replacements}],
    }


def _region(finding: Finding) -> Json:
    start = (max(finding.line, 1), max(finding.column, 1))
    region: Json = {"startLine": start[0], "startColumn": start[1]}
    end: Tuple[int, int] = (finding.end_line, finding.end_column)
    if end >= start:  # both exclusive-end and 1-based, as SARIF wants them
        region.update({"endLine": end[0], "endColumn": end[1]})
    return region


def _artifact_location(path: str, cwd: Path) -> Json:
    """The file relative to the working directory (%SRCROOT%), else an absolute file URI."""
    relative = _relative_to(Path(os.path.abspath(path)), cwd)
    if relative is None:
        return {"uri": Path(os.path.abspath(path)).as_uri()}
    # The name's own bytes, percent-encoded: a name that is not UTF-8 reaches
    # here with surrogate escapes (os.fsdecode), which ``quote`` cannot encode.
    return {"uri": quote(os.fsencode(relative)), "uriBaseId": SRCROOT}


def _relative_to(path: Path, folder: Path) -> Optional[str]:
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return None


def _directory_uri(folder: Path) -> str:
    uri = folder.as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _invocation(errors: List[str]) -> Json:
    invocation: Json = {"executionSuccessful": not errors}
    if errors:
        # Files that could not be read: the run is incomplete, say which.
        invocation["toolExecutionNotifications"] = [
            {"level": "error", "message": {"text": error}} for error in errors
        ]
    return invocation
