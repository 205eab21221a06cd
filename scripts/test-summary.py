#!/usr/bin/env python3
"""Counts the JUnit XML reports of one or more test passes and prints one closing line per pass and in all.

   test-summary.py STATUS NAME=DIR [NAME=DIR...]

STATUS is the exit status the passes had together: a non-zero one counts as a failure even when no report
says so (a build that broke before its tests ran). Prints "tests: N passed, N failed, N skipped" last."""
import glob, os, sys, xml.etree.ElementTree as ET

status = int(sys.argv[1])
total = [0, 0, 0]
for arg in sys.argv[2:]:
    name, _, directory = arg.partition("=")
    counts = [0, 0, 0]
    for f in glob.glob(os.path.join(directory, "**", "*TEST-*.xml"), recursive=True):
        try:
            r = ET.parse(f).getroot()
        except ET.ParseError:
            counts[1] += 1
            print(f"{name}: unreadable report {f}")
            continue
        suites = [r] if r.tag == "testsuite" else r.findall("testsuite")
        for s in suites:
            for case in s.iter("testcase"):
                skip = case.find("skipped")
                if skip is not None:
                    reason = (skip.get("message") or skip.text or "").strip()
                    reason = reason.replace("org.opentest4j.TestAbortedException: ", "").splitlines()
                    print(f"{name}: skipped {case.get('classname', '').rsplit('.', 1)[-1]}.{case.get('name')}: "
                          f"{reason[0] if reason else 'no reason given'}")
            t, fl, er, sk = (int(s.get(k, 0)) for k in ("tests", "failures", "errors", "skipped"))
            counts[0] += t - fl - er - sk
            counts[1] += fl + er
            counts[2] += sk
    print(f"{name}: {counts[0]} passed, {counts[1]} failed, {counts[2]} skipped")
    total = [a + b for a, b in zip(total, counts)]
if status != 0:
    total[1] = max(total[1], 1)
print(f"tests: {total[0]} passed, {total[1]} failed, {total[2]} skipped")
sys.exit(1 if total[1] else 0)
