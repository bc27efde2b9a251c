// The rule loader: reads rules/ (YAML rule and relation files, lexicons, macros,
// examples), checks everything with file:line, and parses every pattern; compiling for
// matching waits for RuleSet::Prepare (rule_set.cc).
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <set>
#include <sstream>
#include <unicode/dcfmtsym.h>
#include <unicode/locid.h>

#include "base/cache_file.h"
#include "base/digest.h"
#include "match/matcher.h"
#include "match/rule_set_internal.h"
#include "normalise/normaliser.h"

namespace factwire {
namespace fs = std::filesystem;

namespace {

int LineOf(const YAML::Node& node) { return node.Mark().line + 1; }

// A located error: "money/en.yaml:12: rule money/en/x: message".
Status ErrorAt(const std::string& file, const YAML::Node& node, const std::string& message) {
  return Status::RuleError(file + ":" + std::to_string(LineOf(node)) + ": " + message);
}

Status CheckKeys(const std::string& file, const YAML::Node& map, std::initializer_list<std::string_view> allowed,
                 std::string_view what) {
  if (!map.IsMap()) return ErrorAt(file, map, std::string(what) + " must be a mapping");
  for (const auto& item : map) {
    const auto key = item.first.as<std::string>();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      return ErrorAt(file, item.first, "unknown key '" + key + "' in " + std::string(what) + " (expected one of: " + list + ")");
    }
  }
  return {};
}

Result<std::string> Scalar(const std::string& file, const YAML::Node& node, std::string_view what) {
  if (!node || !node.IsScalar()) return ErrorAt(file, node ? node : YAML::Node(), std::string(what) + " must be a string");
  return node.as<std::string>();
}

// The ranges of a macro that is one character class, "[A-Z\d]" -> "A-Z\d", so that it
// can be used inside another class ("[{UPPER}\d]"); empty if it is anything else.
std::string ClassBody(const std::string& pattern) {
  if (pattern.size() < 3 || pattern.front() != '[' || pattern[1] == '^' || pattern.back() != ']') return "";
  for (size_t i = 1; i + 1 < pattern.size(); ++i) {
    if (pattern[i] == '\\') ++i;
    else if (pattern[i] == '[' || pattern[i] == ']') return "";
  }
  return pattern.substr(1, pattern.size() - 2);
}

// Expands {NAME} references recursively; `stack` holds the macros being expanded.
// Outside a character class a macro becomes a group; inside one it must itself be a
// class, whose ranges join the enclosing class.
Result<std::string> ExpandMacros(const std::string& pattern, const MacroTable& table,
                                 std::vector<std::string>* stack) {
  std::string out;
  out.reserve(pattern.size());
  bool in_class = false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '[' && !in_class) {
      in_class = true;
      out += c;
      if (i + 1 < pattern.size() && pattern[i + 1] == '^') out += pattern[++i];
      if (i + 1 < pattern.size() && pattern[i + 1] == ']') out += pattern[++i];  // a leading ']' is literal
      continue;
    }
    if (in_class && c == '[' && i + 1 < pattern.size() && pattern[i + 1] == ':') {  // [:alpha:]
      const size_t close = pattern.find(":]", i + 2);
      if (close != std::string::npos) {
        out += pattern.substr(i, close + 2 - i);
        i = close + 1;
        continue;
      }
    }
    if (c == ']' && in_class) in_class = false;
    if (c == '\\' && i + 1 < pattern.size()) {  // an escaped character is never a macro
      // nor is a Unicode class: \p{L}, \P{Lu}
      size_t length = 2;
      if ((pattern[i + 1] == 'p' || pattern[i + 1] == 'P') && i + 2 < pattern.size() && pattern[i + 2] == '{') {
        const size_t close = pattern.find('}', i + 2);
        if (close != std::string::npos) length = close - i + 1;
      }
      out += pattern.substr(i, length);
      i += length - 1;
      continue;
    }
    size_t close = std::string::npos;
    if (c == '{' && i + 1 < pattern.size() && pattern[i + 1] >= 'A' && pattern[i + 1] <= 'Z') {
      size_t j = i + 1;
      while (j < pattern.size() && ((pattern[j] >= 'A' && pattern[j] <= 'Z') || pattern[j] == '_' ||
                                    (pattern[j] >= '0' && pattern[j] <= '9')))
        ++j;
      if (j < pattern.size() && pattern[j] == '}') close = j;
    }
    if (close == std::string::npos) {
      out += c;
      continue;
    }
    const std::string name = pattern.substr(i + 1, close - i - 1);
    auto it = table.macros.find(name);
    if (it == table.macros.end()) return Status::RuleError("unknown macro {" + name + "}");
    if (std::find(stack->begin(), stack->end(), name) != stack->end()) {
      std::string cycle;
      for (const auto& m : *stack) cycle += m + " -> ";
      return Status::RuleError("macro cycle " + cycle + name);
    }
    stack->push_back(name);
    Result<std::string> inner = ExpandMacros(it->second.pattern, table, stack);
    stack->pop_back();
    if (!inner.ok()) return inner.status();
    if (in_class) {
      const std::string body = ClassBody(inner.value());
      if (body.empty()) return Status::RuleError("macro {" + name + "} is used inside [...] but is not a character class");
      out += body;
    } else {
      out += "(?:" + inner.value() + ")";
    }
    i = close;
  }
  return out;
}

// YAML scalars become JSON numbers, booleans or strings; quoted scalars stay strings.
nlohmann::json ToJson(const YAML::Node& node) {
  if (node.IsMap()) {
    nlohmann::json object = nlohmann::json::object();
    for (const auto& item : node) object[item.first.as<std::string>()] = ToJson(item.second);
    return object;
  }
  if (node.IsSequence()) {
    nlohmann::json array = nlohmann::json::array();
    for (const auto& item : node) array.push_back(ToJson(item));
    return array;
  }
  if (!node.IsScalar()) return nullptr;
  const std::string s = node.as<std::string>();
  if (node.Tag() == "!") return s;
  int64_t integer = 0;
  auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), integer);
  if (error == std::errc() && end == s.data() + s.size() && !s.empty()) return integer;
  double real = 0;
  auto [end2, error2] = std::from_chars(s.data(), s.data() + s.size(), real);
  if (error2 == std::errc() && end2 == s.data() + s.size() && !s.empty()) return real;
  if (s == "true") return true;
  if (s == "false") return false;
  return s;
}

Result<Guard> ParseGuard(const std::vector<std::string>& tags) {
  Guard guard = Guard::kNone;
  for (const auto& tag : tags) {
    if (tag == "person_name") guard = Guard::kPersonName;
    else if (tag == "one_sense") guard = Guard::kOneSense;
    else if (tag == "word") guard = Guard::kCommonWord;
    else if (tag != "name") return Status::RuleError("unknown guard '" + tag + "' (known: person_name, one_sense, word, name)");
  }
  return guard;
}

// The folder of relation files: rules/relation/<lang>.yaml holds frames, not fact rules.
constexpr std::string_view kRelationType = "relation";


// `text` with the lines of its top-level `key:` block left empty, so that every other
// line keeps its number; `text` itself when it has no such block. The block runs to the
// next line that starts a top-level key (a line at column 0 that is no comment and no
// sequence item).
std::string WithoutTopLevelBlock(const std::string& text, std::string_view key) {
  const std::string opening = "\n" + std::string(key) + ":";
  size_t begin = text.compare(0, opening.size() - 1, opening, 1) == 0 ? 0 : text.find(opening);
  if (begin == std::string::npos) return text;
  if (begin > 0) ++begin;  // past the line break
  size_t end = begin;
  while ((end = text.find('\n', end)) != std::string::npos) {
    ++end;
    const char next = end < text.size() ? text[end] : ' ';
    if (next != ' ' && next != '\t' && next != '#' && next != '-' && next != '\n' && next != '\r') break;
  }
  if (end == std::string::npos) end = text.size();
  std::string out = text.substr(0, begin);
  out.append(static_cast<size_t>(std::count(text.begin() + static_cast<std::ptrdiff_t>(begin),
                                            text.begin() + static_cast<std::ptrdiff_t>(end), '\n')),
             '\n');
  return out + text.substr(end);
}

// The YAML of a rule file. Without `examples`, its examples block (half of all the
// rules' YAML) is not parsed; should what is left not parse (a flow collection that the
// cut split), the whole file is, so errors are those a full parse reports.
Result<YAML::Node> ReadYaml(const std::string& dir, const std::string& relative, bool examples = true) {
  Result<std::string> bytes = ReadRuleFile(dir, relative);
  if (!bytes.ok()) return bytes.status();
  if (!examples) {
    try {
      return YAML::Load(WithoutTopLevelBlock(bytes.value(), "examples"));
    } catch (const YAML::Exception&) {
    }
  }
  try {
    return YAML::Load(bytes.value());
  } catch (const YAML::Exception& e) {
    return Status::RuleError(relative + ":" + std::to_string(e.mark.line + 1) + ": bad YAML: " + e.msg);
  }
}

// One file per fact type (or relation) and language: rules/<type>/<lang>.yaml, sorted.
Result<std::vector<std::string>> RuleFilesIn(const std::string& dir) {
  std::error_code error;
  std::vector<std::string> rule_files;
  for (const auto& type_dir : fs::directory_iterator(dir, error)) {
    const std::string name = type_dir.path().filename().string();
    if (!type_dir.is_directory() || name == "common" || name == "gazetteers" || name[0] == '.') continue;
    for (const auto& file : fs::directory_iterator(type_dir.path(), error))
      if (file.path().extension() == ".yaml") rule_files.push_back(fs::relative(file.path(), dir).string());
  }
  std::sort(rule_files.begin(), rule_files.end());
  if (rule_files.empty()) return Status::RuleError(dir + ": no rule files (expected <type>/<lang>.yaml)");
  return rule_files;
}

// The file's type and language come from its place; `type:` and `lang:` must agree.
Result<std::unique_ptr<RuleFile>> NewRuleFile(const std::string& relative, const YAML::Node& root) {
  auto file = std::make_unique<RuleFile>();
  file->path = relative;
  const fs::path path(relative);
  file->type = path.parent_path().filename().string();
  file->lang = path.stem().string();
  const Status keys =
      file->type == kRelationType
          ? CheckKeys(relative, root, {"type", "lang", "lexicons", "macros", "frames", "examples"}, "a relation file")
          : CheckKeys(relative, root, {"type", "lang", "lexicons", "word_sets", "macros", "rules", "gazetteers", "examples"},
                      "a rule file");
  if (!keys.ok()) return keys;
  for (const char* key : {"type", "lang"}) {
    if (!root[key]) continue;
    const std::string expected = std::string(key) == "type" ? file->type : file->lang;
    if (root[key].as<std::string>() != expected)
      return ErrorAt(relative, root[key], std::string(key) + " '" + root[key].as<std::string>() +
                                              "' does not match the file's place (" + expected + ")");
  }
  return file;
}

// Lexicons: name -> one source or a list of sources, layered in order.
Status LoadLexicons(const YAML::Node& root, const std::string& dir, RuleFile* file) {
  for (const auto& item : root["lexicons"]) {
    const std::string name = item.first.as<std::string>();
    std::vector<YAML::Node> sources;
    if (item.second.IsSequence()) {
      for (const auto& s : item.second) sources.push_back(s);
    } else {
      sources.push_back(item.second);
    }
    Lexicon& lexicon = file->lexicons[name];
    for (const auto& source : sources) {
      Result<std::string> spec = Scalar(file->path, source, "a lexicon source");
      if (!spec.ok()) return spec.status();
      if (Status s = lexicon.AddSource(spec.value(), dir); !s.ok())
        return ErrorAt(file->path, source, "lexicon '" + name + "': " + s.message());
    }
  }
  return {};
}

// Word sets: name -> one word list ("common_word: gazetteers/common_words.en.txt").
Status LoadWordSets(const YAML::Node& root, const std::string& dir, RuleFile* file) {
  for (const auto& item : root["word_sets"]) {
    const std::string name = item.first.as<std::string>();
    Result<std::string> source = Scalar(file->path, item.second, "a word list");
    if (!source.ok()) return source.status();
    if (Status s = file->word_sets[name].AddSource(source.value(), dir); !s.ok())
      return ErrorAt(file->path, item.second, "word set '" + name + "': " + s.message());
  }
  return {};
}

// The language's number symbols from ICU (root's for a language it does not know).
void SetNumberSymbols(RuleFile* file) {
  UErrorCode icu_status = U_ZERO_ERROR;
  const icu::DecimalFormatSymbols symbols(icu::Locale(file->lang.c_str()), icu_status);
  if (!U_SUCCESS(icu_status)) return;
  auto symbol = [&](icu::DecimalFormatSymbols::ENumberFormatSymbol which) {
    std::string utf8;
    symbols.getConstSymbol(which).toUTF8String(utf8);
    return NormaliseForMatching(utf8);
  };
  file->decimal_separator = symbol(icu::DecimalFormatSymbols::kDecimalSeparatorSymbol);
  file->grouping_separator = symbol(icu::DecimalFormatSymbols::kGroupingSeparatorSymbol);
}

// A macro built from a lexicon: {lexicon: NAME, tag: T, ends_word, starts_word, ignore_case}.
Result<std::string> LexiconMacro(const std::string& name, const YAML::Node& spec, const RuleFile& file) {
  const std::string& relative = file.path;
  if (Status s = CheckKeys(relative, spec, {"lexicon", "tag", "ends_word", "starts_word", "ignore_case"}, "macro " + name); !s.ok())
    return s;
  Result<std::string> lexicon_name = Scalar(relative, spec["lexicon"], "macro " + name + ": lexicon");
  if (!lexicon_name.ok()) return lexicon_name.status();
  auto lexicon = file.lexicons.find(lexicon_name.value());
  if (lexicon == file.lexicons.end())
    return ErrorAt(relative, spec["lexicon"], "macro " + name + ": no lexicon named '" + lexicon_name.value() + "'");
  const std::string tag = spec["tag"] ? spec["tag"].as<std::string>() : "";
  auto flag = [&](const char* key) { return spec[key] && spec[key].as<bool>(); };
  const Lexicon& words = lexicon->second;
  if (tag.empty() ? words.entries().empty() : words.TagBit(tag) == 0)
    return ErrorAt(relative, spec, "macro " + name + ": lexicon '" + lexicon_name.value() + "' has no entry tagged '" + tag + "'");
  return words.Alternation(tag, flag("ends_word"), flag("starts_word"), flag("ignore_case"));
}

// Macros: common ones, then the number symbols, shadowed by the file's own. A space
// groups digits in every language ("1 234,56", as EU texts write it).
Result<MacroTable> FileMacros(const YAML::Node& root, const MacroTable& common, const RuleFile& file) {
  MacroTable macros = common;
  const std::string icu_where = "ICU number symbols for '" + file.lang + "'";
  macros.macros["DECIMAL"] = {RE2::QuoteMeta(file.decimal_separator), icu_where};
  macros.macros["GROUP"] = {file.grouping_separator == " " ? " " : "[ " + RE2::QuoteMeta(file.grouping_separator) + "]", icu_where};
  for (const auto& item : root["macros"]) {
    const std::string name = item.first.as<std::string>();
    const std::string where = file.path + ":" + std::to_string(LineOf(item.first));
    if (item.second.IsScalar()) {
      macros.macros[name] = {item.second.as<std::string>(), where};
      continue;
    }
    Result<std::string> alternation = LexiconMacro(name, item.second, file);
    if (!alternation.ok()) return alternation.status();
    macros.macros[name] = {alternation.value(), where};
  }
  for (const auto& [name, macro] : macros.macros) {  // every macro must expand, used or not
    std::vector<std::string> stack{name};
    Result<std::string> expanded = ExpandMacros(macro.pattern, macros, &stack);
    if (!expanded.ok()) return Status::RuleError(macro.where + ": macro " + name + ": " + expanded.status().message());
  }
  return macros;
}

// A pattern with its macros expanded. Errors name `owner` ("rule x") and, when the
// pattern is no string, which of its patterns `key` is.
Result<std::string> ExpandedPattern(const std::string& relative, const YAML::Node& node, const MacroTable& macros,
                                    const std::string& owner, const std::string& key) {
  Result<std::string> pattern = Scalar(relative, node, owner + ": " + key);
  if (!pattern.ok()) return pattern.status();
  std::vector<std::string> stack;
  Result<std::string> expanded = ExpandMacros(pattern.value(), macros, &stack);
  if (!expanded.ok()) return ErrorAt(relative, node, owner + ": " + expanded.status().message() + " in '" + pattern.value() + "'");
  return expanded;
}

Status LoadPositiveExample(const YAML::Node& node, RuleFile* file) {
  const std::string& relative = file->path;
  if (Status s = CheckKeys(relative, node, {"text", "match", "value", "rule", "published"}, "a positive example"); !s.ok()) return s;
  Example example{relative, LineOf(node), true, "", "", nullptr, ""};
  Result<std::string> text = Scalar(relative, node["text"], "an example's text");
  if (!text.ok()) return text.status();
  example.text = text.value();
  example.match = node["match"] ? node["match"].as<std::string>() : example.text;
  if (!node["value"]) return ErrorAt(relative, node, "a positive example needs a value");
  example.value = ToJson(node["value"]);
  if (node["rule"]) example.rule = node["rule"].as<std::string>();
  if (node["published"]) example.published = node["published"].as<std::string>();
  if (example.text.find(example.match) == std::string::npos)
    return ErrorAt(relative, node, "example match '" + example.match + "' is not in its text");
  file->examples.push_back(std::move(example));
  return {};
}

// A negative example is its text, or {text, published}.
Status LoadNegativeExample(const YAML::Node& node, RuleFile* file) {
  const std::string& relative = file->path;
  const YAML::Node text_node = node.IsMap() ? node["text"] : node;
  if (node.IsMap()) {
    if (Status s = CheckKeys(relative, node, {"text", "published"}, "a negative example"); !s.ok()) return s;
  }
  Result<std::string> text = Scalar(relative, text_node, "a negative example");
  if (!text.ok()) return text.status();
  Example example{relative, LineOf(node), false, text.value(), "", nullptr, ""};
  if (node.IsMap() && node["published"]) example.published = node["published"].as<std::string>();
  file->examples.push_back(std::move(example));
  return {};
}

Status LoadExamples(const YAML::Node& examples, RuleFile* file) {
  if (!examples) return {};
  if (Status s = CheckKeys(file->path, examples, {"positive", "negative"}, "examples"); !s.ok()) return s;
  for (const auto& node : examples["positive"])
    if (Status s = LoadPositiveExample(node, file); !s.ok()) return s;
  for (const auto& node : examples["negative"])
    if (Status s = LoadNegativeExample(node, file); !s.ok()) return s;
  return {};
}

// Relation examples: positive {text, relations: ["located_in: LUMI -> Finland"]}, and
// negative texts that give no relation.
Status LoadRelationExamples(const YAML::Node& examples, const RuleFile& file, std::vector<RelationExample>* out) {
  if (!examples) return {};
  if (Status s = CheckKeys(file.path, examples, {"positive", "negative"}, "examples"); !s.ok()) return s;
  for (const auto& node : examples["positive"]) {
    if (Status s = CheckKeys(file.path, node, {"text", "relations"}, "a positive example"); !s.ok()) return s;
    Result<std::string> text = Scalar(file.path, node["text"], "an example's text");
    if (!text.ok()) return text.status();
    if (!node["relations"] || !node["relations"].IsSequence() || node["relations"].size() == 0)
      return ErrorAt(file.path, node, "a positive example needs a list of relations");
    out->push_back({file.path, LineOf(node), text.value(), node["relations"].as<std::vector<std::string>>()});
  }
  for (const auto& node : examples["negative"]) {
    Result<std::string> text = Scalar(file.path, node, "a negative example");
    if (!text.ok()) return text.status();
    out->push_back({file.path, LineOf(node), text.value(), {}});
  }
  return {};
}

// A type or a list of types: "site", [site, org].
std::vector<std::string> Types(const YAML::Node& node) {
  if (node.IsSequence()) return node.as<std::vector<std::string>>();
  return {node.as<std::string>()};
}

// Compiles one of a frame's patterns: `anchor` "^" for text that must start with it, "$"
// for text that must end with it, "" for text it must match (all, or in part).
Result<std::unique_ptr<RE2>> FramePattern(const YAML::Node& node, const MacroTable& macros, const RuleFile& file,
                                          const RuleSetOptions& options, const std::string& owner, const std::string& key,
                                          std::string_view anchor) {
  const std::string what = owner + ": " + key;
  Result<std::string> expanded = ExpandedPattern(file.path, node, macros, owner, key);
  if (!expanded.ok()) return expanded.status();
  auto regex = std::make_unique<RE2>(anchor == "^"   ? "^(?:" + expanded.value() + ")"
                                      : anchor == "$" ? "(?:" + expanded.value() + ")$"
                                                      : expanded.value(),
                                      RegexOptions(options));
  if (!regex->ok()) return ErrorAt(file.path, node, what + ": RE2 rejects it: " + regex->error() + " (at '" + regex->error_arg() + "')");
  return regex;
}

Status ReadFrameFields(const YAML::Node& node, const RuleFile& file, RelationFrame* frame) {
  const std::string& relative = file.path;
  Result<std::string> id = Scalar(relative, node["id"], "a frame's id");
  if (!id.ok()) return id.status();
  frame->id = id.value();
  frame->file = &file;
  frame->line = LineOf(node);
  const std::string prefix = std::string(kRelationType) + "/" + file.lang + "/";
  if (!frame->id.starts_with(prefix)) return ErrorAt(relative, node["id"], "frame id '" + frame->id + "' must start with " + prefix);
  Result<std::string> relation = Scalar(relative, node["relation"], "frame " + frame->id + ": relation");
  if (!relation.ok()) return relation.status();
  frame->relation = relation.value();
  if (frame->relation != "located_in" && frame->relation != "role_at")
    return ErrorAt(relative, node["relation"], "frame " + frame->id + ": relation must be located_in or role_at");
  for (const char* key : {"from", "to", "gap"})
    if (!node[key]) return ErrorAt(relative, node, "frame " + frame->id + ": needs '" + key + "'");
  frame->from_types = Types(node["from"]);
  frame->to_types = Types(node["to"]);
  const std::string order = node["order"] ? node["order"].as<std::string>() : "from-to";
  if (order != "from-to" && order != "to-from")
    return ErrorAt(relative, node["order"], "frame " + frame->id + ": order must be from-to or to-from");
  frame->from_first = order == "from-to";
  if (node["nearest"]) frame->nearest = node["nearest"].as<bool>();  // a wrong type throws: a rule error
  if (node["max_gap"]) frame->max_gap = node["max_gap"].as<size_t>();
  if (node["from_has"]) frame->from_has = node["from_has"].as<std::string>();
  return {};
}

Result<RelationFrame> ParseFrame(const YAML::Node& node, const MacroTable& macros, const RuleFile& file,
                                 const RuleSetOptions& options) {
  if (Status s = CheckKeys(file.path, node,
                           {"id", "relation", "from", "to", "order", "gap", "after", "before", "to_rule", "from_has", "nearest", "max_gap", "list"},
                           "a frame");
      !s.ok())
    return s;
  RelationFrame frame;
  if (Status s = ReadFrameFields(node, file, &frame); !s.ok()) return s;
  struct Pattern {
    const char* key;
    std::unique_ptr<RE2>* regex;
    std::string_view anchor;
  };
  for (const Pattern& p : {Pattern{"gap", &frame.gap, ""}, Pattern{"after", &frame.after, "^"}, Pattern{"before", &frame.before, "$"},
                           Pattern{"to_rule", &frame.to_rule, ""}, Pattern{"list", &frame.list, ""}}) {
    if (!node[p.key]) continue;
    Result<std::unique_ptr<RE2>> regex = FramePattern(node[p.key], macros, file, options, "frame " + frame.id, p.key, p.anchor);
    if (!regex.ok()) return regex.status();
    *p.regex = std::move(regex.value());
  }
  if (frame.gap) frame.ComputeGapRange();
  return frame;
}

}  // namespace

RuleSet::RuleSet() : common_(std::make_unique<MacroTable>()) {}

namespace {

constexpr std::string_view kCleanMagic = "factwire rules loaded clean 1";

// The mark that the folder with this digest loaded clean with these options, in this
// version of factwire (whose checks another version may not share).
std::string CleanMarkPath(const std::string& cache_dir, const std::string& digest, const RuleSetOptions& options) {
  return CachePath(cache_dir,
                   Sha256Hex(std::string(kCleanMagic) + "\n" + FACTWIRE_VERSION + "\n" + digest + " " +
                             std::to_string(options.examples) + " " + std::to_string(options.max_regex_memory) + " " +
                             std::to_string(static_cast<bool>(options.check_rule))),
                   "clean");
}

}  // namespace

Result<std::unique_ptr<RuleSet>> RuleSet::Load(const std::string& dir, const RuleSetOptions& options) {
  std::unique_ptr<RuleSet> set(new RuleSet());
  set->dir_ = dir;
  set->options_ = options;
  std::error_code error;
  if (!fs::is_directory(dir, error)) return Status::RuleError(dir + ": rules folder not found");
  std::future<std::string> digest = std::async(std::launch::async, FolderSha256Hex, dir);
  if (Status s = set->LoadCommon(); !s.ok()) return s;
  Result<std::vector<std::string>> rule_files = RuleFilesIn(dir);
  if (!rule_files.ok()) return rule_files.status();
  for (const std::string& relative : rule_files.value()) {
    const fs::path path(relative);
    const std::string type = path.parent_path().filename().string();
    auto& language = set->languages_[path.stem().string()];
    if (!language) language = std::make_unique<Language>();
    language->name = path.stem().string();
    language->files.push_back(relative);
    language->has_facts |= type != kRelationType;
    if (type != kRelationType) set->types_.insert(type);
  }
  set->digest_ = digest.get();
  set->version_ = set->digest_.substr(0, 16);
  const std::string mark = options.cache_dir.empty() ? "" : CleanMarkPath(options.cache_dir, set->digest_, options);
  if (!mark.empty() && ReadCacheFile(mark, kCleanMagic).found()) return set;  // each language is read on first use
  std::vector<Language*> all;
  for (auto& [lang, language] : set->languages_) all.push_back(language.get());
  if (Status s = set->LoadLanguages(all); !s.ok()) return s;
  // The folder was hashed while it was read: only bytes that did not change are marked.
  if (!mark.empty() && FolderSha256Hex(dir) == set->digest_) WriteCacheFile(mark, kCleanMagic, "");
  return set;
}

Status RuleSet::LoadLanguages(const std::vector<Language*>& languages) {
  std::vector<std::string> paths;
  for (const Language* language : languages) paths.insert(paths.end(), language->files.begin(), language->files.end());
  std::sort(paths.begin(), paths.end());  // the order a file-by-file load meets errors in
  // Reading YAML and lexicons is most of a load: the files are read on every core.
  std::vector<LoadedFile> loaded(paths.size());
  ParallelFor(loaded.size(), [&](size_t i) { loaded[i] = LoadFile(paths[i], *common_); });
  std::lock_guard<std::mutex> lock(merge_mutex_);
  for (Language* language : languages) language->loaded = true;
  const size_t first_file = files_.size();
  const size_t first_rule = rules_.size();
  const std::set<std::string> ids_before = ids_;
  const Status merged = MergeLoaded(&loaded, first_file, first_rule);
  if (!merged.ok()) Forget(languages, first_file, first_rule, ids_before);
  return merged;
}

Status RuleSet::MergeLoaded(std::vector<LoadedFile>* loaded, size_t first_file, size_t first_rule) {
  for (LoadedFile& file : *loaded)
    if (Status s = MergeFile(&file); !s.ok()) return s;
  for (size_t i = first_file; i < files_.size(); ++i) {  // each file reaches its language's frames
    auto frames = relations_.find(files_[i]->lang);
    files_[i]->relations = frames == relations_.end() ? nullptr : frames->second.get();
  }
  if (Status s = Compile(first_rule); !s.ok()) return s;
  if (options_.check_rule)
    for (size_t i = first_rule; i < rules_.size(); ++i)
      if (Status s = options_.check_rule(rules_[i].get()); !s.ok()) return s;
  return {};
}

void RuleSet::Forget(const std::vector<Language*>& languages, size_t first_file, size_t first_rule,
                     const std::set<std::string>& ids_before) {
  for (size_t i = first_file; i < files_.size(); ++i)
    if (files_[i]->type == kRelationType) relations_.erase(files_[i]->lang);
  files_.resize(first_file);
  rules_.resize(first_rule);
  ids_ = ids_before;
  pending_.clear();
  for (Language* language : languages) {
    language->rules.clear();
    language->pending.clear();
    language->names = Gazetteer();
  }
}

Status RuleSet::EnsureLoaded(Language& language) const {
  std::call_once(language.load_once, [&] {
    if (language.loaded) return;
    // Read later than the rest, the files must still be those the folder's clean mark
    // was given for; a folder changed since the start is reported, not half trusted.
    if (FolderSha256Hex(dir_) != digest_) {
      language.load_status = Status::RuleError(dir_ + ": the rule folder changed after the start, so the rules for '" +
                                               language.name + "' are not read; start again to use the new rules");
      return;
    }
    // The first use of a language completes the load: the set is otherwise immutable.
    language.load_status = const_cast<RuleSet*>(this)->LoadLanguages({&language});
  });
  return language.load_status;
}

// Shared macros and abbreviations live in rules/common/.
Status RuleSet::LoadCommon() {
  std::error_code error;
  std::vector<fs::path> common_files;
  for (const auto& item : fs::directory_iterator(fs::path(dir_) / "common", error)) common_files.push_back(item.path());
  std::sort(common_files.begin(), common_files.end());
  for (const auto& path : common_files) {
    const std::string relative = fs::relative(path, dir_).string();
    if (path.extension() == ".tsv" && path.stem().string().rfind("abbreviations.", 0) == 0) {
      Lexicon list;
      if (Status s = list.AddSource(relative, dir_); !s.ok()) return s;
      auto& out = abbreviations_[path.stem().extension().string().substr(1)];
      for (const auto& entry : list.entries()) out.push_back(entry.surface);
      continue;
    }
    if (path.extension() != ".yaml") continue;
    Result<YAML::Node> root = ReadYaml(dir_, relative);
    if (!root.ok()) return root.status();
    if (Status s = CheckKeys(relative, root.value(), {"macros"}, "a common file"); !s.ok()) return s;
    for (const auto& item : root.value()["macros"]) {
      Result<std::string> pattern = Scalar(relative, item.second, "a common macro");
      if (!pattern.ok()) return pattern.status();
      common_->macros[item.first.as<std::string>()] = {pattern.value(), relative + ":" + std::to_string(LineOf(item.first))};
    }
  }
  return {};
}

RuleSet::LoadedFile RuleSet::LoadFile(const std::string& relative, const MacroTable& common) const {
  LoadedFile out;
  // yaml-cpp reports a value of the wrong shape ("file: {a: 1}") by throwing; it is a
  // rule error like any other, with its place.
  try {
    out.status = LoadFileInto(relative, common, &out);
  } catch (const YAML::Exception& e) {
    out.status = Status::RuleError(relative + ":" + std::to_string(e.mark.line + 1) + ": wrong kind of value: " + e.msg);
  }
  return out;
}

Status RuleSet::LoadFileInto(const std::string& relative, const MacroTable& common, LoadedFile* out) const {
  Result<YAML::Node> read = ReadYaml(dir_, relative, options_.examples);
  if (!read.ok()) return read.status();
  const YAML::Node& root = read.value();
  Result<std::unique_ptr<RuleFile>> made = NewRuleFile(relative, root);
  if (!made.ok()) return made.status();
  out->file = std::move(made.value());
  RuleFile* file = out->file.get();
  if (Status s = LoadLexicons(root, dir_, file); !s.ok()) return s;
  if (Status s = LoadWordSets(root, dir_, file); !s.ok()) return s;
  SetNumberSymbols(file);
  Result<MacroTable> macros = FileMacros(root, common, *file);
  if (!macros.ok()) return macros.status();
  return file->type == kRelationType ? LoadFrames(root, macros.value(), out) : LoadFactRules(root, macros.value(), out);
}

// A rule id is unique across files: those read before a file's first error are checked
// first, as a file-by-file load meets them first.
Status RuleSet::MergeFile(LoadedFile* loaded) {
  for (size_t i = 0; i < loaded->rules.size(); ++i)
    if (!ids_.insert(loaded->rules[i]->id).second)
      return Status::RuleError(loaded->file->path + ":" + std::to_string(loaded->id_lines[i]) + ": duplicate rule id '" +
                               loaded->rules[i]->id + "'");
  if (!loaded->status.ok()) return loaded->status;
  Language& language = *languages_.find(loaded->file->lang)->second;
  for (auto& rule : loaded->rules) {
    language.rules.push_back(rule.get());
    rules_.push_back(std::move(rule));
  }
  for (auto& regex : loaded->pending) pending_.push_back(std::move(regex));
  if (loaded->frames) relations_[loaded->file->lang] = std::move(loaded->frames);
  files_.push_back(std::move(loaded->file));
  return {};
}

Status RuleSet::LoadFactRules(const YAML::Node& root, const MacroTable& macros, LoadedFile* out) const {
  for (const auto& node : root["rules"])
    if (Status s = LoadPatternRule(node, macros, out); !s.ok()) return s;
  for (const auto& node : root["gazetteers"])
    if (Status s = LoadGazetteer(node, out); !s.ok()) return s;
  return LoadExamples(root["examples"], out->file.get());
}

Result<Rule*> RuleSet::AddRule(const YAML::Node& node, Rule::Kind kind, LoadedFile* out) const {
  const RuleFile* file = out->file.get();
  const std::string& relative = file->path;
  auto rule = std::make_unique<Rule>();
  rule->kind = kind;
  rule->file = file;
  rule->line = LineOf(node);
  Result<std::string> id = Scalar(relative, node["id"], "a rule's id");
  if (!id.ok()) return id.status();
  rule->id = id.value();
  if (!out->ids.insert(rule->id).second) return ErrorAt(relative, node["id"], "duplicate rule id '" + rule->id + "'");
  if (node["priority"]) rule->priority = node["priority"].as<int>();  // a wrong type throws: a rule error
  if (node["block"]) rule->block = node["block"].as<bool>();
  if (node["cue"]) rule->cue = node["cue"].as<bool>();
  if (rule->block && rule->cue) return ErrorAt(relative, node, "rule " + rule->id + ": a rule is a block or a cue, not both");
  out->rules.push_back(std::move(rule));
  out->id_lines.push_back(LineOf(node["id"]));
  return out->rules.back().get();
}

const char* RulePartName(RulePart part) {
  switch (part) {
    case RulePart::kPattern: return "the pattern";
    case RulePart::kNotFollowedBy: return "not_followed_by";
    case RulePart::kNotContaining: return "not_containing";
  }
  return "?";
}

Status RuleSet::LoadPatternRule(const YAML::Node& node, const MacroTable& macros, LoadedFile* out) const {
  const std::string& relative = out->file->path;
  if (Status s = CheckKeys(relative, node, {"id", "pattern", "priority", "block", "not_followed_by", "not_containing"}, "a rule");
      !s.ok())
    return s;
  Result<Rule*> rule = AddRule(node, Rule::Kind::kPattern, out);
  if (!rule.ok()) return rule.status();
  Rule* r = rule.value();
  Result<std::string> pattern = ExpandedPattern(relative, node["pattern"], macros, "rule " + r->id, "pattern");
  if (!pattern.ok()) return pattern.status();
  r->pattern = pattern.value();
  out->pending.push_back({r, RulePart::kPattern, r->pattern, LineOf(node["pattern"])});
  for (RulePart part : {RulePart::kNotFollowedBy, RulePart::kNotContaining}) {
    const char* key = RulePartName(part);
    if (!node[key]) continue;
    Result<std::string> context = ExpandedPattern(relative, node[key], macros, "rule " + r->id, key);
    if (!context.ok()) return context.status();
    out->pending.push_back({r, part, context.value(), LineOf(node[key])});
  }
  return {};
}

Status RuleSet::LoadGazetteer(const YAML::Node& node, LoadedFile* out) const {
  const RuleFile* file = out->file.get();
  const std::string& relative = file->path;
  if (Status s = CheckKeys(relative, node, {"id", "file", "lexicon", "match", "priority", "block", "cue", "extend"}, "a gazetteer");
      !s.ok())
    return s;
  Result<Rule*> rule = AddRule(node, Rule::Kind::kGazetteer, out);
  if (!rule.ok()) return rule.status();
  Rule* r = rule.value();
  if (node["extend"]) {
    if (node["extend"].as<std::string>() != "surname")
      return ErrorAt(relative, node["extend"], "gazetteer " + r->id + ": extend must be 'surname'");
    r->extends_to_surname = true;
  }
  Result<std::vector<LexiconEntry>> from_file = std::vector<LexiconEntry>();
  const std::vector<LexiconEntry>* names = nullptr;
  if (node["file"]) {
    from_file = Lexicon::ReadEntries(node["file"].as<std::string>(), dir_);
    if (!from_file.ok())
      return ErrorAt(relative, node["file"], "gazetteer " + r->id + ": " + from_file.status().message());
    names = &from_file.value();
  } else if (node["lexicon"]) {
    auto it = file->lexicons.find(node["lexicon"].as<std::string>());
    if (it == file->lexicons.end())
      return ErrorAt(relative, node["lexicon"], "gazetteer " + r->id + ": no lexicon named '" + node["lexicon"].as<std::string>() + "'");
    names = &it->second.entries();
  } else {
    return ErrorAt(relative, node, "gazetteer " + r->id + ": needs 'file' or 'lexicon'");
  }
  const std::string match = node["match"] ? node["match"].as<std::string>() : "surface";
  if (match != "surface" && match != "value")
    return ErrorAt(relative, node["match"], "gazetteer " + r->id + ": match must be 'surface' or 'value'");
  for (const auto& entry : *names) {
    Result<Guard> guard = ParseGuard(entry.tags);
    if (!guard.ok()) return ErrorAt(relative, node, "gazetteer " + r->id + ": '" + entry.surface + "': " + guard.status().message());
    if (match == "surface") r->names.push_back({entry.surface, entry.value, guard.value()});
    else r->names.push_back({entry.value, entry.surface, guard.value()});
  }
  return {};
}

Status RuleSet::LoadFrames(const YAML::Node& root, const MacroTable& macros, LoadedFile* out) const {
  const RuleFile& file = *out->file;
  auto frames = std::make_unique<RelationFrames>();
  frames->lang = file.lang;
  for (const auto& node : root["frames"]) {
    Result<RelationFrame> frame = ParseFrame(node, macros, file, options_);
    if (!frame.ok()) return frame.status();
    for (const RelationFrame& other : frames->frames)
      if (other.id == frame.value().id && other.relation != frame.value().relation)
        return ErrorAt(file.path, node["id"], "frame " + other.id + ": its forms must share one relation");
    frames->frames.push_back(std::move(frame.value()));
  }
  if (frames->frames.empty()) return ErrorAt(file.path, root, "a relation file needs frames");
  if (Status s = LoadRelationExamples(root["examples"], file, &frames->examples); !s.ok()) return s;
  out->frames = std::move(frames);
  return {};
}

const RuleFile* RuleSet::File(std::string_view type, std::string_view lang) const {
  auto language = languages_.find(lang);
  if (language == languages_.end() || !EnsureLoaded(*language->second).ok()) return nullptr;
  std::lock_guard<std::mutex> lock(merge_mutex_);
  for (const auto& file : files_)
    if (file->type == type && file->lang == lang) return file.get();
  return nullptr;
}

const RelationFrames* RuleSet::Relations(std::string_view lang) const {
  auto language = languages_.find(lang);
  if (language == languages_.end()) return nullptr;
  (void)EnsureLoaded(*language->second);  // a language that failed to load has no frames
  std::lock_guard<std::mutex> lock(merge_mutex_);
  auto it = relations_.find(lang);
  return it == relations_.end() ? nullptr : it->second.get();
}


namespace {

// Named captures of each pattern, by pattern: what parsing yields beyond "it parses".
using Captures = std::vector<std::map<std::string, int>>;

constexpr std::string_view kCheckedMagic = "factwire checked patterns 1";

// The cache file naming exactly these patterns and options. A pattern found in it parsed
// (every one did, or no file is written); should another RE2 refuse it, Prepare reports
// the rule when it compiles it, with its file and line.
std::string CheckedPatternsPath(const std::string& dir, const std::vector<std::string_view>& patterns,
                                const RE2::Options& options) {
  std::string all = std::string(kCheckedMagic) + "\n" + std::to_string(options.encoding()) + " " +
                    std::to_string(options.case_sensitive()) + " " + std::to_string(options.longest_match()) + "\n";
  for (std::string_view pattern : patterns) (all += pattern) += '\0';
  return CachePath(dir, Sha256Hex(all), "re2check");
}

// One line per pattern: "name index" pairs. False when the body is not that.
bool ParseCaptures(std::string_view body, size_t count, Captures* out) {
  std::istringstream lines{std::string(body)};
  Captures captures;
  for (std::string line; captures.size() < count && std::getline(lines, line);) {
    std::istringstream fields(line);
    auto& groups = captures.emplace_back();
    std::string name;
    int index = 0;
    while (fields >> name) {
      if (!(fields >> index) || index <= 0 || !groups.emplace(name, index).second) return false;
    }
  }
  if (captures.size() != count || lines.peek() != EOF) return false;
  *out = std::move(captures);
  return true;
}

std::string FormatCaptures(const Captures& captures) {
  std::string body;
  for (const auto& groups : captures) {
    std::string line;
    for (const auto& [name, index] : groups) line += (line.empty() ? "" : " ") + name + " " + std::to_string(index);
    body += line + "\n";
  }
  return body;
}

}  // namespace

Status RuleSet::Compile(size_t first_rule) {
  std::map<std::string_view, std::vector<const Rule*>> gazetteers;  // by language, in rule order
  for (size_t i = first_rule; i < rules_.size(); ++i)
    if (rules_[i]->kind == Rule::Kind::kGazetteer) gazetteers[rules_[i]->file->lang].push_back(rules_[i].get());
  // Each language's gazetteer index is one task beside the parsing, the largest first.
  std::vector<std::pair<Gazetteer*, const std::vector<const Rule*>*>> indexes;
  for (const auto& [lang, rules] : gazetteers) indexes.emplace_back(&languages_.find(lang)->second->names, &rules);
  auto names = [](const std::vector<const Rule*>* rules) {
    size_t count = 0;
    for (const Rule* rule : *rules) count += rule->names.size();
    return count;
  };
  std::sort(indexes.begin(), indexes.end(), [&](const auto& a, const auto& b) { return names(a.second) > names(b.second); });

  // Parse every pattern now, so that a broken one is reported at load with its place,
  // and read its named captures; a budget too small for any program stops RE2 short of
  // compiling (ErrorPatternTooLarge), which Prepare does later, per language. Parsing is
  // half a load, so patterns that parsed before are read from the cache instead.
  RE2::Options parse_only = RegexOptions(options_);
  parse_only.set_max_mem(3);
  std::vector<std::string_view> patterns;
  for (const PendingRegex& regex : pending_) patterns.push_back(regex.pattern);
  const std::string cache_file =
      options_.cache_dir.empty() ? "" : CheckedPatternsPath(options_.cache_dir, patterns, parse_only);
  Captures captures;
  bool cached = false;
  if (!cache_file.empty()) {
    const CachedBody body = ReadCacheFile(cache_file, kCheckedMagic);
    cached = body.found() && ParseCaptures(body.body(), pending_.size(), &captures);
    if (body.found() && !cached) load_notes_.push_back("checked patterns: corrupt, made again: " + cache_file);
    else if (!body.note().empty()) load_notes_.push_back("checked patterns: " + body.note());
  }
  std::vector<std::unique_ptr<RE2>> parsed(cached ? 0 : pending_.size());
  ParallelFor(indexes.size() + parsed.size(), [&](size_t i) {
    if (i >= indexes.size()) {
      parsed[i - indexes.size()] = std::make_unique<RE2>(pending_[i - indexes.size()].pattern, parse_only);
      return;
    }
    indexes[i].first->Reserve(names(indexes[i].second));
    for (const Rule* rule : *indexes[i].second)
      for (const auto& name : rule->names) indexes[i].first->Add(name.surface, name.key, name.guard, rule);
  });
  if (!cached) {
    for (size_t i = 0; i < pending_.size(); ++i) {  // in file order, so the first error is reported
      const Rule* r = pending_[i].rule;
      if (parsed[i]->error_code() != RE2::NoError && parsed[i]->error_code() != RE2::ErrorPatternTooLarge)
        return Status::RuleError(r->file->path + ":" + std::to_string(pending_[i].line) + ": rule " + r->id +
                                 ": RE2 rejects " + RulePartName(pending_[i].part) + ": " + parsed[i]->error() + " (at '" +
                                 parsed[i]->error_arg() + "')");
      captures.push_back(parsed[i]->NamedCapturingGroups());
    }
    if (!cache_file.empty()) WriteCacheFile(cache_file, kCheckedMagic, FormatCaptures(captures));
  }
  for (size_t i = 0; i < pending_.size(); ++i) {
    if (pending_[i].part != RulePart::kPattern) continue;
    Rule* r = pending_[i].rule;
    for (const auto& [name, index] : captures[i]) r->groups[name] = index;
    if (auto span = r->groups.find("span"); span != r->groups.end()) r->span_group = span->second;
  }
  for (PendingRegex& regex : pending_) languages_.find(regex.rule->file->lang)->second->pending.push_back(std::move(regex));
  pending_.clear();
  return {};
}


}  // namespace factwire
