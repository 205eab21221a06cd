#!/usr/bin/python3
"""Reads a capabilities document with virt-manager's virtinst (as virt-install does) and prints, as JSON,
what guest_lookup answers for every os type + arch in it: domain type, emulator, default machine."""
import json, sys
sys.path.insert(0, "/usr/share/virt-manager")
from virtinst.capabilities import Capabilities


class Offline:
    """virtinst asks the connection for support checks; an offline reader answers no."""
    def __getattr__(self, name):
        return lambda *args, **kwargs: False


caps = Capabilities(Offline(), open(sys.argv[1]).read())
answers = {"host_arch": caps.host.cpu.arch, "guests": {}}
for g in caps.guests:
    info = caps.guest_lookup(os_type=g.os_type, arch=g.arch)
    answers["guests"]["%s/%s" % (g.os_type, g.arch)] = {
        "type": info.hypervisor_type, "emulator": info.emulator, "machine": (info.machines or [None])[0],
        "pae": g.supports_pae(), "kvm": g.is_kvm_available()}
print(json.dumps(answers, sort_keys=True))
