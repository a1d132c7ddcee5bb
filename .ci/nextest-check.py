#!/usr/bin/env python3
"""Compares a cargo-nextest run of the suites with asf's own run, test by test.

usage: nextest-check.py ASF_JUNIT NEXTEST_JUNIT LISTED_IGNORED

ASF_JUNIT is the JUnit report of asf's own run (`-- --junit`), NEXTEST_JUNIT
the one of `cargo nextest run --profile ci`, LISTED_IGNORED the output of
`--list --format terse --ignored` with the same environment.

What must hold (README, "cargo-nextest"):
- nextest skips exactly what asf lists as ignored (skipped before boot), and
  asf skipped each of those too;
- every other test asf passed or skipped, nextest passed; every test asf
  failed, nextest failed;
- every test asf skipped after boot has a `SKIP:` line in its nextest output
  (the JUnit keeps it: `store-success-output`).
Prints the counts of both runs; exits 1 on the first kind of mismatch found.
"""

import sys
import xml.etree.ElementTree as ET


def verdicts(path, name_of):
    """Each test case's verdict (pass, skip or fail) by the name `name_of`
    gives it, and the names whose output has their `SKIP: <name>: ` line."""
    out, skip_lines = {}, set()
    for suite in ET.parse(path).getroot():
        for case in suite:
            if case.tag != "testcase":
                continue
            name = name_of(case)
            tags = {c.tag for c in case}
            if tags & {"failure", "error"}:
                out[name] = "fail"
            elif "skipped" in tags:
                out[name] = "skip"
            else:
                out[name] = "pass"
            text = "".join(
                (c.text or "") for c in case if c.tag in ("system-out", "system-err")
            )
            if f"SKIP: {name}: " in text:
                skip_lines.add(name)
    return out, skip_lines


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    # asf names a case by its class (file::module) and test; nextest by the
    # whole test name.
    asf, _ = verdicts(sys.argv[1], lambda c: f"{c.get('classname')}::{c.get('name')}")
    nextest, skip_lines = verdicts(sys.argv[2], lambda c: c.get("name"))
    with open(sys.argv[3]) as f:
        listed = {
            line.rsplit(": ", 1)[0] for line in f if line.strip().endswith(": test")
        }

    def count(v, what):
        return sum(1 for s in v.values() if s == what)

    after_boot = {n for n, s in asf.items() if s == "skip"} - listed
    print(
        f"nextest-check: asf: {count(asf, 'pass')} passed, {count(asf, 'skip')} skipped "
        f"({len(listed)} before boot, listed as ignored), {count(asf, 'fail')} failed"
    )
    print(
        f"nextest-check: nextest: {len(nextest)} run: {count(nextest, 'pass')} passed "
        f"({len(skip_lines)} of them with a SKIP: line), {count(nextest, 'fail')} failed; "
        f"{len(listed)} skipped"
    )
    problems = []
    if set(nextest) & listed:
        problems.append(("listed as ignored, yet run by nextest", set(nextest) & listed))
    if listed - set(asf):
        problems.append(("listed as ignored, unknown to asf's run", listed - set(asf)))
    if {n for n in listed if asf.get(n) not in (None, "skip")}:
        problems.append(
            (
                "listed as ignored, yet not skipped by asf",
                {n for n in listed if asf.get(n) not in (None, "skip")},
            )
        )
    missing = set(asf) - listed - set(nextest)
    if missing:
        problems.append(("neither run by nextest nor listed as ignored", missing))
    for name, verdict in sorted(nextest.items()):
        want = {"pass": "pass", "skip": "pass", "fail": "fail"}.get(asf.get(name))
        if want != verdict:
            problems.append(
                (f"nextest says {verdict}, asf says {asf.get(name)}", {name})
            )
    if after_boot - skip_lines:
        problems.append(
            ("skipped after boot by asf, no SKIP: line under nextest", after_boot - skip_lines)
        )
    for what, names in problems:
        print(f"nextest-check: {what}:", file=sys.stderr)
        for n in sorted(names)[:20]:
            print(f"    {n}", file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
