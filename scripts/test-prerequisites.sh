#!/usr/bin/env bash
# What the tests need besides Java 17 and Maven, and where it comes from. As root it installs whatever is
# missing (Debian's packages, then the browser test's npm modules) and is a quick no-op when all is there;
# as another user it names what is missing and the command that installs it, and fails.
set -euo pipefail
cd "$(dirname "$0")/.."

# what must exist → the Debian package that brings it
requirements=(
  "cmd:java|openjdk-17-jdk-headless"        # builds and runs everything
  "cmd:mvn|maven"
  "cmd:python3|python3"                     # the fake QEMU replaying recorded QMP; virtinst
  "path:/usr/share/virt-manager/virtinst|virtinst"   # virt-install's parser reads our documents
  "cmd:ssh|openssh-client"                  # the Karaf shell in karaf/check.sh
  "cmd:sshpass|sshpass"
  "cmd:unshare|util-linux"                  # the view of this machine without /dev/kvm
  # Debian 12's QEMU 7.2: the emulators the QEMU family probes and libvirt's reference was made with
  "cmd:qemu-system-x86_64|qemu-system-x86"
  "cmd:qemu-system-x86_64-microvm|qemu-system-x86"
  "cmd:qemu-system-aarch64|qemu-system-arm"
  "cmd:qemu-system-ppc64|qemu-system-ppc"
  "cmd:qemu-system-sparc64|qemu-system-sparc"
  "cmd:qemu-system-riscv64|qemu-system-misc"
  "cmd:chromium|chromium"                   # the web page's browser test
  "cmd:node|nodejs"
  "cmd:npm|npm"
)

missing=()
for r in "${requirements[@]}"; do
  what="${r%%|*}" package="${r#*|}"
  case "$what" in
    cmd:*) command -v "${what#cmd:}" >/dev/null 2>&1 && continue ;;
    path:*) [ -e "${what#path:}" ] && continue ;;
  esac
  [[ " ${missing[*]} " == *" $package "* ]] || missing+=("$package")
done
if command -v java >/dev/null 2>&1; then
  java_major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  if [ "${java_major%%.*}" -lt 17 ] 2>/dev/null; then
    echo "test prerequisites: java is version $java_major; virtcaps needs 17 or later" >&2
    missing+=(openjdk-17-jdk-headless)
  fi
fi

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "test prerequisites: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "test prerequisites: missing Debian packages: ${missing[*]}" >&2
    echo "install them with:  sudo apt-get install --no-install-recommends ${missing[*]}" >&2
    echo "(or run ./test as root, which installs them)" >&2
    exit 1
  fi
fi

# Playwright, the browser test's driver of Debian's Chromium, exactly as package-lock.json pins it; it lives
# in the checkout, so any user may install it
lock=web-test/package-lock.json
if [ ! -f web-test/node_modules/.package-lock.json ] || [ "$lock" -nt web-test/node_modules/.package-lock.json ]; then
  echo "test prerequisites: installing the browser test's npm modules (npm ci)" >&2
  log="$(mktemp)"
  if ! (cd web-test && npm ci --no-audit --no-fund >"$log" 2>&1); then
    cat "$log" >&2; rm -f "$log"
    echo "test prerequisites: npm ci failed in web-test/" >&2
    exit 1
  fi
  rm -f "$log"
fi
