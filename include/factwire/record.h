// What factwire reads and what it writes: an Article in, a Record out.
//
// A Record holds every fact found in one article, each with its exact place in the
// original text, and the relations between them (DESIGN.md "The record").
// Invariant: for every fact, the original text's code points [start, end) are `text`.
// Thread-safety: plain values; copy freely.
#ifndef FACTWIRE_INCLUDE_FACTWIRE_RECORD_H_
#define FACTWIRE_INCLUDE_FACTWIRE_RECORD_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "factwire/values.h"

namespace factwire {

struct Article {
  // Identity (DESIGN.md "Article identity"): the id the input gives, else its URL, else
  // its path relative to the folder named as input (a single file: its file name).
  std::string id;
  std::string source;     // where it came from: a path, with ":LINE" for JSONL
  std::string text;       // raw bytes as read; may be invalid UTF-8 (normalise repairs it)
  std::string title;
  std::string url;
  std::string published;  // YYYY-MM-DD or empty: relative dates then get no iso
  std::string lang;       // BCP 47 ("en", "en-US") or empty: identified from the text
  std::vector<std::string> warnings;  // problems with the input that did not stop it
};

struct Fact {
  std::string type;  // money, date, country, site, programme, org, person
  size_t start = 0;  // code points of the original text, end exclusive
  size_t end = 0;
  std::string text;  // the original text of [start, end)
  Value value;       // the typed value of its type (factwire/values.h)
  std::string rule;  // the id of the rule that made it ("money/en/symbol-number-magnitude")
};

// A link between facts of one article, by index into its facts. located_in and role_at
// link `from` to `to`; an investment names its money fact in `from` (and `to`) and lists
// its funders, beneficiaries and purpose.
struct Relation {
  std::string type;  // located_in, role_at, investment
  size_t from = 0;
  size_t to = 0;
  std::string rule;
  std::vector<size_t> funders;        // investment only
  std::vector<size_t> beneficiaries;  // investment only
  std::string purpose;                // investment only: original text, or empty
};

struct Record {
  std::string id;
  std::string source;
  std::string title;
  std::string url;
  std::string published;
  std::string lang;  // the language whose rules ran ("und": language-neutral rules only)
  std::vector<Fact> facts;          // sorted by start; never overlapping
  std::vector<Relation> relations;  // between facts, by index into `facts`
  std::vector<std::string> warnings;
  // The article's text, the one fact offsets count in: filled only when a sink asks for
  // it (Sink::wants_text, a database storing it), empty otherwise.
  std::string text;
  // Its sentences as code point spans [start, end) of that text, in order; they tile
  // the text. For alerts and readers that show a fact in its sentence; not in the JSONL.
  struct Sentence {
    size_t start = 0;
    size_t end = 0;
  };
  std::vector<Sentence> sentences;
};

}  // namespace factwire

#endif  // FACTWIRE_INCLUDE_FACTWIRE_RECORD_H_
