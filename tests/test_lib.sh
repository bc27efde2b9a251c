# Shared by the end-to-end test scripts: source it after setting `work`.

passed=0
failed=0
# check NAME CONDITION...: runs CONDITION, counts it, names it when it fails.
check() {
  local name="$1"; shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $name"; fi
}
contains() { grep -q -- "$2" "$1"; }

# copy_corpus SOURCE_DIR DEST COPIES: DEST gets COPIES copies of every corpus/dev
# article, each with its own id, "big-N-NAME".
copy_corpus() {
  mkdir -p "$2"
  local copy f name
  for copy in $(seq 1 "$3"); do
    for f in "$1"/corpus/dev/*.txt; do
      name="big-$copy-$(basename "$f" .txt)"
      sed "s/^id: .*/id: $name/" "$f" >"$2/$name.txt"
    done
  done
}
