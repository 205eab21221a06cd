#!/usr/bin/env bash
# Runs a command on a view of this machine without /dev/kvm: a private mount namespace whose /dev holds
# everything the real one does (device nodes copied, directories bound) except kvm. What a machine without
# KVM looks like to the tests, on any machine. Needs root (mount namespaces).
#   scripts/without-kvm.sh COMMAND [ARGS...]
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }
if [ "$(id -u)" != 0 ]; then
  echo "without-kvm: needs root for a private mount namespace" >&2
  exit 3
fi
if [ -z "${VIRTCAPS_IN_VIEW:-}" ]; then
  VIRTCAPS_IN_VIEW=1 exec unshare --mount --propagation private "$0" "$@"
fi
dev="$(mktemp -d)"
mount -t tmpfs -o mode=755 virtcaps-dev "$dev"
for entry in /dev/* /dev/.[!.]*; do
  [ -e "$entry" ] || [ -L "$entry" ] || continue
  name="${entry#/dev/}"
  [ "$name" = kvm ] && continue
  if [ -d "$entry" ] && [ ! -L "$entry" ]; then
    mkdir "$dev/$name"
    mount --rbind "$entry" "$dev/$name"
  else
    cp -a "$entry" "$dev/$name"
  fi
done
mount --move "$dev" /dev
rmdir "$dev" 2>/dev/null || true
if [ -e /dev/kvm ]; then
  echo "without-kvm: /dev/kvm is still visible" >&2
  exit 3
fi
unset VIRTCAPS_IN_VIEW
exec "$@"
