#!/usr/bin/env bash
# Proves the Karaf feature against a real Apache Karaf 4.4.10 started on this machine:
# feature:repo-add + feature:install virtcaps, then the shell commands print the capabilities.
# Needs the reactor installed in ~/.m2 (mvn install), sshpass and an ssh client.
# Writes a JUnit report to karaf/target/karaf-report so ./test counts it.
set -uo pipefail
cd "$(dirname "$0")"
version=$(sed -n 's#.*<version>\(.*\)</version>.*#\1#p' ../pom.xml | head -1)
work=target/karaf-run
report=target/karaf-report
# a Karaf left running from an earlier check would write into the new tree: end it first
pkill -f "karaf.home=$(pwd)/$work/" 2>/dev/null && sleep 2
rm -rf "$work" "$report"; mkdir -p "$work" "$report"
log="$work/check.log"
start=$(date +%s)

fail() {
  echo "karaf check: FAILED: $1" | tee -a "$log" >&2
  [ -x "$work/apache-karaf-4.4.10/bin/stop" ] && "$work/apache-karaf-4.4.10/bin/stop" >/dev/null 2>&1
  printf '<testsuite name="karaf" tests="1" failures="1"><testcase name="feature install and shell commands"><failure message="%s"/></testcase></testsuite>\n' \
    "$(echo "$1" | sed 's/[<>&"]/_/g')" > "$report/TEST-karaf.xml"
  exit 1
}

mvn -q -B dependency:copy -Dartifact=org.apache.karaf:apache-karaf:4.4.10:tar.gz -DoutputDirectory="$work" \
  >>"$log" 2>&1 || fail "could not fetch apache-karaf 4.4.10"
tar -xzf "$work/apache-karaf-4.4.10.tar.gz" -C "$work" || fail "could not unpack Karaf"
karaf="$work/apache-karaf-4.4.10"
port=$((20000 + RANDOM % 20000))
# SSH on loopback only, on a free port; one enabled user; Maven artifacts from the local repository only
sed -i "s/^sshHost *=.*/sshHost = 127.0.0.1/; s/^sshPort *=.*/sshPort = $port/" "$karaf/etc/org.apache.karaf.shell.cfg"
cat >> "$karaf/etc/users.properties" <<USERS
karaf = karaf,_g_:admingroup
_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh
USERS
sed -i "s|^org.ops4j.pax.url.mvn.repositories *=.*|org.ops4j.pax.url.mvn.repositories = https://repo1.maven.org/maven2@id=central|" \
  "$karaf/etc/org.ops4j.pax.url.mvn.cfg"
echo "org.ops4j.pax.url.mvn.localRepository = $HOME/.m2/repository" >> "$karaf/etc/org.ops4j.pax.url.mvn.cfg"
sed -i 's/^rmiRegistryPort *=.*/rmiRegistryPort = 0/; s/^rmiServerPort *=.*/rmiServerPort = 0/' \
  "$karaf/etc/org.apache.karaf.management.cfg" 2>/dev/null

# in its own session, so that it outlives nothing and nothing of ours takes it down; virtcaps inside keeps
# its caches in the work tree, never in the user's ~/.cache
CHECK_ROOT_INSTANCE_RUNNING=false XDG_CACHE_HOME="$(pwd)/$work/cache" XDG_DATA_HOME="$(pwd)/$work/data" \
  setsid nohup "$karaf/bin/karaf" server \
  >"$work/karaf.out" 2>&1 </dev/null &
karaf_cmd() {
  sshpass -p karaf ssh -q -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o ConnectTimeout=5 \
    -p "$port" karaf@127.0.0.1 "$@" </dev/null 2>>"$log"
}
ready=""
for _ in $(seq 1 90); do
  case "$(karaf_cmd "feature:list -i")" in *"Features Support"*) ready=yes; break;; esac
  sleep 2
done
[ -n "$ready" ] || fail "Karaf's shell did not come up on port $port"
sleep 2
karaf_cmd "feature:repo-add mvn:org.virtcaps/karaf/$version/xml/features" >>"$log" || fail "feature:repo-add failed"
karaf_cmd "feature:install virtcaps" >>"$log" || fail "feature:install virtcaps failed"
for _ in $(seq 1 30); do
  out=$(karaf_cmd "virtcaps:capabilities libvirt")
  case "$out" in *"<capabilities>"*) break;; esac
  sleep 2
done
echo "$out" > "$work/capabilities.xml"
case "$out" in *"<capabilities>"*"<arch>"*"</capabilities>"*) ;; *) fail "virtcaps:capabilities printed no document";; esac
drivers=$(karaf_cmd "virtcaps:drivers")
echo "$drivers" > "$work/drivers.txt"
for d in qemu kvm kqemu xen; do
  echo "$drivers" | grep -q "^$d " || fail "driver $d missing from virtcaps:drivers"
done
if [ -x /usr/bin/qemu-system-x86_64 ]; then
  echo "$out" | grep -q "qemu-system-x86_64" || fail "the QEMU guests are missing"
fi
describe=$(karaf_cmd "virtcaps:describe pc fr")
echo "$describe" | grep -q "PC standard" || fail "virtcaps:describe pc fr gave: $describe"
"$karaf/bin/stop" >>"$log" 2>&1
seconds=$(( $(date +%s) - start ))
printf '<testsuite name="karaf" tests="1" failures="0" time="%s"><testcase name="feature install and shell commands"/></testsuite>\n' \
  "$seconds" > "$report/TEST-karaf.xml"
echo "karaf check: passed in ${seconds}s (feature:install virtcaps; virtcaps:capabilities, drivers, describe in Karaf 4.4.10)"
