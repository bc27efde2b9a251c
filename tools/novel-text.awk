# Novel news-like text for tools/bench: a word-bigram chain over the corpus articles
# given as files, so the words and their local order are the corpus's, but the
# sentences are ones no article contains. RE2 builds its DFA states lazily, and text
# the rules have seen before (the repeated benchmark input) finds them all built;
# this is the text a stream of new articles looks like to the matcher.
# Usage: awk -v seed=N -v bytes=B -f novel-text.awk corpus/*.txt > out.jsonl
# Seeded: the same seed, bytes and files give the same output with the same awk.
FNR == 1 { front = ($0 == "---"); if (front) next }
front { if ($0 == "---") front = 0; next }
{
  if ($0 == "") { word = "\001"; if (prev != "\001") { succ[prev] = succ[prev] SUBSEP word; prev = word }; next }
  n = split($0, words, /[ \t]+/)
  for (i = 1; i <= n; i++) {
    if (words[i] == "") continue
    succ[prev] = succ[prev] SUBSEP words[i]
    prev = words[i]
  }
}
END {
  srand(seed)
  for (w in succ) { k = split(substr(succ[w], 2), list, SUBSEP); count[w] = k; for (j = 1; j <= k; j++) next_word[w, j] = list[j] }
  written = 0
  for (a = 1; written < bytes; a++) {
    text = ""; w = "\001"; size = 0
    while (size < 3000 || w != "\001") {
      if (!(w in count)) w = "\001"
      w = next_word[w, int(rand() * count[w]) + 1]
      if (w == "\001") { if (size > 0) text = text "\\n\\n"; if (size >= 3000) break; continue }
      gsub(/\\/, "\\\\", w); gsub(/"/, "\\\"", w)
      text = text ((text == "" || text ~ /\\n$/) ? "" : " ") w
      size += length(w) + 1
    }
    line = "{\"id\":\"novel-" a "\",\"published\":\"2026-01-15\",\"lang\":\"en\",\"text\":\"" text "\"}"
    print line
    written += length(line) + 1
  }
}
