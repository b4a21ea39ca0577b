#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# What `make demo` runs: the main job end to end, in a fresh Wine prefix.
#   1. build everything;
#   2. install lspkit with lspinst, turn capture on, show the catalog;
#   3. run an unmodified client (WinHTTP page + UDP echo) against local servers;
#   4. print what the LSP captured, from its pcapng file, with tshark;
#   5. remove lspkit and show that the catalog is back as it was.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
scripts/deps.sh
make -j2 all >/dev/null

export WINEPREFIX=$repo/build/demo-prefix WINEDEBUG=-all
rm -rf "$WINEPREFIX" build/demo
mkdir -p build/demo
scripts/prefix.sh "$WINEPREFIX" >/dev/null
wineserver -p
servers=
cleanup() {
    [ -z "$servers" ] || kill "$servers" 2>/dev/null || true
    wineserver -k 2>/dev/null || true
}
trap cleanup EXIT

lspinst() { bin/lspkit-wine build/x64/lspinst.exe "$@" | tr -d '\r'; }
step() { printf '\n== %s\n' "$*"; }

# The catalog as the registry holds it, minus the two counters that every
# change moves (Serial_Access_Num) or never gives back (Next_Catalog_Entry_ID).
catalog_dump() {
    wine reg export \
        'HKLM\SYSTEM\CurrentControlSet\Services\WinSock2\Parameters\Protocol_Catalog9' \
        "$1.reg" /y /reg:64 >/dev/null 2>&1
    iconv -f UTF-16LE -t UTF-8 "$1.reg" | tr -d '\r' |
        grep -v -e '"Serial_Access_Num"' -e '"Next_Catalog_Entry_ID"' >"$1"
}

step "The catalog before (seeded with lspkit's base provider)"
lspinst list
catalog_dump build/demo/catalog-before

step "lspinst install, capture on"
lspinst install
lspinst config --enable --directory 'C:\lspkit-demo\captures'
lspinst list

step "An unmodified client (WinHTTP + UDP) against local servers"
coproc SERVERS { exec python3 demo/servers.py; }
servers=$SERVERS_PID
read -r http_port udp_port <&"${SERVERS[0]}"
bin/lspkit-wine build/x64/demo/demo_client.exe "$http_port" "$udp_port" | tr -d '\r'
kill "$servers"; servers=

step "What lspkit captured"
capture=$(find "$WINEPREFIX/drive_c/lspkit-demo/captures" -name '*.pcapng' | head -n 1)
[ -n "$capture" ] || { echo "demo: no capture file was written" >&2; exit 1; }
echo "file: ${capture#"$repo"/}"
tshark -r "$capture" -T fields -e frame.number -e ip.src -e ipv6.src -e ip.dst -e ipv6.dst \
    -e _ws.col.Protocol -e frame.len -e frame.comment -E header=y 2>/dev/null | column -t -s $'\t'
printf '\n-- the TCP conversation, as tshark follows it --\n'
tshark -r "$capture" -qz follow,tcp,ascii,0 2>/dev/null
printf '\n-- the UDP exchange --\n'
tshark -r "$capture" -qz follow,udp,ascii,0 2>/dev/null

step "lspinst remove"
lspinst remove
lspinst list
catalog_dump build/demo/catalog-after
if diff -u build/demo/catalog-before build/demo/catalog-after; then
    echo "The catalog is back as it was (apart from its change counters)."
else
    echo "demo: the catalog differs from before the install" >&2
    exit 1
fi
