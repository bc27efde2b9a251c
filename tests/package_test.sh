#!/usr/bin/env bash
# The Debian package (issue 21): cpack builds factwire_VERSION_amd64.deb from the build
# tree; it is unpacked into a temporary root (dpkg -x) and its binary and Python module
# are run from there, finding their own rules without FACTWIRE_RULES.
# Usage: package_test.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
build="$1"
source_dir="$2"
source "$(dirname "$0")/test_lib.sh"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
unset FACTWIRE_RULES

version="$("$build/factwire" --version | awk 'NR == 1 {print $2}')"
(cd "$build" && cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1)
check "cpack builds the package" test $? -eq 0
deb="$work/out/factwire_${version}_amd64.deb"
check "named factwire_${version}_amd64.deb" test -f "$deb"
depends="$(dpkg-deb -f "$deb" Depends)"
for library in libre2-9 libicu72 libyaml-cpp0.7 libsqlite3-0 libpq5 libvectorscan5 libgumbo1 libarchive13 python3; do
  check "depends on $library" grep -q "$library" <<<"$depends"
done
dpkg -x "$deb" "$work/root"
root="$work/root"
for file in usr/bin/factwire usr/share/factwire/rules/common usr/share/man/man1/factwire.1 \
            usr/share/doc/factwire/README.md usr/lib/python3/dist-packages/factwire/__init__.py \
            usr/lib/python3/dist-packages/factwire/__init__.pyi usr/share/factwire/slurm/extract.sbatch \
            usr/share/factwire/slurm/verify.sbatch usr/share/factwire/slurm/submit; do
  check "installs $file" test -e "$root/$file"
done
check "the man page renders" bash -c "man -l '$root/usr/share/man/man1/factwire.1' 2>/dev/null | grep -q 'factwire shard'"

"$root/usr/bin/factwire" --version >"$work/version"
check "--version names the version" grep -qx "factwire $version" "$work/version"
check "--version names the installed rules" grep -q "($root/usr/share/factwire/rules)" "$work/version"
check "the same rules fingerprint as the source tree" \
  test "$(awk 'NR == 2 {print $2}' "$work/version")" = "$("$build/factwire" --version | awk 'NR == 2 {print $2}')"

# The installed binary gives the records the build tree's binary gives.
"$root/usr/bin/factwire" extract --no-progress "$source_dir/corpus/test" >"$work/installed.jsonl" 2>/dev/null
check "installed extract exit 0" test $? -eq 0
"$build/factwire" extract --no-progress "$source_dir/corpus/test" >"$work/built.jsonl" 2>/dev/null
check "installed records are the build's" cmp -s "$work/installed.jsonl" "$work/built.jsonl"

# The installed module, by Debian's python3, with nothing of the build tree on its path.
PYTHONPATH="$root/usr/lib/python3/dist-packages" /usr/bin/python3 - "$root" "$work/built.jsonl" >"$work/python.out" 2>&1 <<'PY'
import json, sys
import factwire
root, built = sys.argv[1], sys.argv[2]
assert factwire.__file__.startswith(root), factwire.__file__
pipeline = factwire.Pipeline()
assert pipeline.rules_dir == root + "/usr/share/factwire/rules", pipeline.rules_dir
first = json.loads(open(built).readline())
print("ok" if first["facts"] else "no facts")
PY
check "the installed module imports and finds its rules" grep -qx ok "$work/python.out"

echo "package: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
