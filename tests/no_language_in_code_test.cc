// Language lives in rules/, not in C++ (issue 14): no string literal under src/ may hold
// a word the code would use to read a language. Comments may quote examples.
//
// A literal is checked when it reads like words (letters, apostrophes and hyphens, one
// or two words: "will ", " of ", "chief executive", " headquartered in "); longer prose
// (" unchanged and skipped") is a message for people. A literal that is exactly a value of a lexicon's value column
// (rules/gazetteers/*.tsv, e.g. the relative-date key "in") is an internal key, not a
// word read from the text.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace factwire {
namespace {

namespace fs = std::filesystem;

// Words that only reading a language needs: English auxiliaries, relative pronouns,
// prepositions, conjunctions and reporting verbs, and their kin in de, fr, es and it.
// Left out on purpose: words that are also names in the data model ("from", a relation
// field; "investment", a relation type; "und", the neutral language's code).
const std::set<std::string> kLanguageWords = {
    "will", "would", "shall", "was", "were", "has", "have", "had", "could", "should", "might", "must",
    "which", "who", "whom", "whose", "of", "at", "with", "into", "that", "and", "but", "while",
    "although", "because", "whereas", "said", "says", "told", "announced", "stated", "confirmed",
    "headquartered", "based", "located", "chief executive", "invested", "funded",
    "wird", "wurde", "dass", "sagte", "sera", "était", "selon", "dont", "será", "según", "dijo",
    "sarà", "secondo", "detto"};

struct Literal {
  int line = 0;
  std::string text;
};

// The string literals of a C++ source (raw strings included), with comments and
// character literals skipped.
std::vector<Literal> StringLiterals(const std::string& source) {
  std::vector<Literal> out;
  int line = 1;
  for (size_t i = 0; i < source.size(); ++i) {
    const char c = source[i];
    if (c == '\n') ++line;
    if (source.compare(i, 2, "//") == 0) {
      i = std::min(source.find('\n', i), source.size()) - 1;
    } else if (source.compare(i, 2, "/*") == 0) {
      const size_t end = std::min(source.find("*/", i + 2), source.size());
      line += static_cast<int>(std::count(source.begin() + i, source.begin() + end, '\n'));
      i = end + 1;
    } else if (c == 'R' && i + 1 < source.size() && source[i + 1] == '"') {
      const size_t open = source.find('(', i);
      const std::string close = ")" + source.substr(i + 2, open - i - 2) + "\"";
      const size_t end = std::min(source.find(close, open), source.size());
      out.push_back({line, source.substr(open + 1, end - open - 1)});
      line += static_cast<int>(std::count(source.begin() + i, source.begin() + end, '\n'));
      i = end + close.size() - 1;
    } else if (c == '"' || c == '\'') {
      std::string text;
      size_t j = i + 1;
      for (; j < source.size() && source[j] != c && source[j] != '\n'; ++j) {
        if (source[j] == '\\' && j + 1 < source.size()) ++j;
        text += source[j];
      }
      if (c == '"') out.push_back({line, text});
      i = j;
    }
  }
  return out;
}

bool IsWordByte(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80 || c == '\'' || c == '-';
}

// The words of a literal that reads like words, or none.
std::vector<std::string> WordsOf(const std::string& literal) {
  std::vector<std::string> words;
  std::istringstream in(literal);
  for (std::string word; in >> word;) {
    if (!std::all_of(word.begin(), word.end(), IsWordByte)) return {};
    if (!std::any_of(word.begin(), word.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); }) &&
        !std::any_of(word.begin(), word.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }))
      return {};
    words.push_back(word);
  }
  return words.size() <= 2 ? words : std::vector<std::string>{};
}

// The listed words and phrases a literal holds as whole words.
std::vector<std::string> LanguageWordsIn(const std::string& literal) {
  const std::vector<std::string> words = WordsOf(literal);
  std::vector<std::string> found;
  for (size_t i = 0; i < words.size(); ++i) {
    std::string phrase;
    for (size_t j = i; j < words.size(); ++j) {
      phrase += (j > i ? " " : "") + words[j];
      if (kLanguageWords.count(phrase)) found.push_back(phrase);
    }
  }
  return found;
}

// Every value in the value column of the project's TSV lexicons: internal keys.
std::set<std::string> LexiconValues() {
  std::set<std::string> values;
  for (const auto& entry : fs::directory_iterator(fs::path(FACTWIRE_SOURCE_DIR) / "rules" / "gazetteers")) {
    std::ifstream in(entry.path());
    for (std::string line; std::getline(in, line);) {
      if (line.empty() || line[0] == '#') continue;
      const size_t tab = line.find('\t');
      if (tab == std::string::npos) continue;
      values.insert(line.substr(tab + 1, line.find('\t', tab + 1) - tab - 1));
    }
  }
  return values;
}

std::vector<fs::path> SourceFiles() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(fs::path(FACTWIRE_SOURCE_DIR) / "src"))
    if (entry.path().extension() == ".cc" || entry.path().extension() == ".h") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::string Hits(const std::string& source, const std::string& where, const std::set<std::string>& keys) {
  std::string hits;
  for (const Literal& literal : StringLiterals(source)) {
    if (keys.count(literal.text)) continue;
    for (const std::string& word : LanguageWordsIn(literal.text))
      hits += where + ":" + std::to_string(literal.line) + ": \"" + literal.text + "\" holds '" + word + "'\n";
  }
  return hits;
}

TEST(NoLanguageInCodeTest, FindsWordsInLiteralsOnly) {
  struct Case {
    const char* name;
    const char* source;
    const char* hits;
  };
  const Case cases[] = {
      {"a word with spaces", "x = \" that \";\n", "t.cc:1: \" that \" holds 'that'\n"},
      {"a phrase, on its line", "\n\nf(\"chief executive\");", "t.cc:3: \"chief executive\" holds 'chief executive'\n"},
      {"a comment may quote", "// \"said\"\n/* \"will\" */ int x;", ""},
      {"a message is prose", "Status(\"the range end is not after its start\");", ""},
      {"three words are prose", "out << \" unchanged and skipped\";", ""},
      {"punctuation is no word", "s.find(\"; \");", ""},
      {"a lexicon value is a key", "rel == \"next\";", ""},
      {"a raw string", "R\"x(wird)x\";", "t.cc:1: \"wird\" holds 'wird'\n"},
      {"part of a word is no hit", "\"willing\";", ""},
  };
  const std::set<std::string> keys = {"next"};
  for (const Case& c : cases) EXPECT_EQ(Hits(c.source, "t.cc", keys), c.hits) << c.name;
}

TEST(NoLanguageInCodeTest, SourcesHoldNoLanguageWords) {
  const std::set<std::string> keys = LexiconValues();
  std::string hits;
  size_t files = 0;
  for (const fs::path& path : SourceFiles()) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    hits += Hits(text.str(), fs::relative(path, FACTWIRE_SOURCE_DIR).string(), keys);
    ++files;
  }
  EXPECT_GT(files, 20u) << "no sources found under " << FACTWIRE_SOURCE_DIR << "/src";
  EXPECT_TRUE(hits.empty()) << "natural-language words in C++ literals (move them to rules/):\n" << hits;
}

}  // namespace
}  // namespace factwire
