#!/usr/bin/python3
"""A fake QEMU for tests: answers QMP on stdin/stdout from a recorded conversation (libvirt's .replies
format: command and reply JSON objects separated by blank lines), the way a real QEMU started with
-qmp stdio does. Usage: fake-qemu.py REPLIES [qemu arguments...]"""
import json, sys

def objects(text):
    decoder, i, out = json.JSONDecoder(), 0, []
    while i < len(text):
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            break
        obj, i = decoder.raw_decode(text, i)
        out.append(obj)
    return out

recorded = objects(open(sys.argv[1]).read())
replies = {}
for command, reply in zip(recorded[0::2], recorded[1::2]):
    reply.pop("id", None)
    replies.setdefault(command["execute"], reply)
if "-machine" in sys.argv and "help" in sys.argv:
    print("Supported machines are:")
    for m in replies.get("query-machines", {}).get("return", []):
        print("%-20s %s" % (m["name"], "Fake machine " + m["name"]))
    sys.exit(0)
version = replies.get("query-version", {}).get("return", {})
print(json.dumps({"QMP": {"version": version, "capabilities": []}}), flush=True)
for line in sys.stdin:
    if not line.strip():
        continue
    command = json.loads(line)["execute"]
    if command == "quit":
        print(json.dumps({"return": {}}), flush=True)
        break
    print(json.dumps(replies.get(command, {"error": {"class": "CommandNotFound", "desc": command}})), flush=True)
