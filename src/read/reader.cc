#include "read/reader.h"

#include "base/utf8.h"

#include <unicode/ucnv.h>
#include <unicode/ustring.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

namespace factwire {
namespace fs = std::filesystem;
namespace {

// Fills defaults and checks the metadata every reader shares.
void FinishArticle(const ReadOptions& options, Article* article) {
  if (!article->published.empty() && !IsIsoDate(article->published)) {
    article->warnings.push_back("published '" + article->published +
                                "' is not YYYY-MM-DD; ignored");
    article->published.clear();
  }
  if (article->published.empty()) article->published = options.default_published;
  if (article->lang.empty()) article->lang = options.default_lang;
}

// An article without an id of its own is known by its URL, else by `fallback`.
void FillId(std::string fallback, Article* article) {
  if (!article->id.empty()) return;
  article->id = article->url.empty() ? std::move(fallback) : article->url;
}

// How an input file is named in ids: relative to the folder named as input, or its file
// name when named directly, so that ids do not depend on the working directory.
std::string IdName(const fs::path& path, const fs::path& folder) {
  return folder.empty() ? path.filename().string() : path.lexically_relative(folder).string();
}

std::string OptionalString(const nlohmann::json& object, const char* key, std::vector<std::string>* warnings) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  warnings->push_back(std::string("field '") + key + "' is not a string; ignored");
  return "";
}

// Runs `parse`, turning anything a library throws into that item's error (prefixed with
// `where` unless empty): one bad item never ends the run.
template <typename Parse>
auto Guarded(const std::string& where, Parse parse) -> decltype(parse()) {
  try {
    return parse();
  } catch (const std::exception& e) {
    return Status::InvalidInput((where.empty() ? "" : where + ": ") + "cannot read: " + e.what());
  }
}

// The Unicode encoding a byte order mark at the start of `bytes` names, and its length;
// UTF-32LE before UTF-16LE, whose mark begins the same way.
struct ByteOrderMark {
  const char* encoding = nullptr;  // nullptr: no mark
  size_t size = 0;
};
ByteOrderMark SniffByteOrderMark(std::string_view bytes) {
  static const struct {
    std::string_view mark;
    const char* encoding;
  } kMarks[] = {{{"\xFF\xFE\x00\x00", 4}, "UTF-32LE"}, {{"\x00\x00\xFE\xFF", 4}, "UTF-32BE"},
                {"\xEF\xBB\xBF", "UTF-8"},              {"\xFF\xFE", "UTF-16LE"},
                {"\xFE\xFF", "UTF-16BE"}};
  for (const auto& [mark, encoding] : kMarks)
    if (bytes.starts_with(mark)) return {encoding, mark.size()};
  return {};
}

}  // namespace

Result<std::string> DecodeByteOrderMark(std::string bytes, std::string* note) {
  const ByteOrderMark bom = SniffByteOrderMark(bytes);
  if (!bom.encoding) return bytes;
  if (std::string_view(bom.encoding) == "UTF-8") return bytes.substr(bom.size);
  const std::string_view body = std::string_view(bytes).substr(bom.size);
  auto failed = [&](UErrorCode status) {
    return Status::InvalidInput(std::string("cannot be decoded as ") + bom.encoding + ", as its byte order mark says: " +
                                u_errorName(status));
  };
  // A converter that stops at a malformed or cut-off sequence, instead of guessing.
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UConverter, void (*)(UConverter*)> converter(ucnv_open(bom.encoding, &status), ucnv_close);
  if (U_SUCCESS(status))
    ucnv_setToUCallBack(converter.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  std::u16string utf16(body.size() + 1, u'\0');  // never more UTF-16 units than bytes
  const int32_t units = U_SUCCESS(status) ? ucnv_toUChars(converter.get(), utf16.data(), static_cast<int32_t>(utf16.size()),
                                                          body.data(), static_cast<int32_t>(body.size()), &status)
                                          : 0;
  if (U_FAILURE(status)) return failed(status);
  std::string out(static_cast<size_t>(units) * 3, '\0');  // at most 3 UTF-8 bytes per UTF-16 unit
  int32_t written = 0;
  u_strToUTF8(out.data(), static_cast<int32_t>(out.size()), &written, utf16.data(), units, &status);
  if (U_FAILURE(status)) return failed(status);
  out.resize(static_cast<size_t>(written));
  *note = std::string("decoded from ") + bom.encoding + " (byte order mark)";
  return out;
}

namespace {

// `name` goes into sources and messages, `id_name` into the ids of lines without one.
void ReadJsonLines(std::istream& in, const std::string& name, const std::string& id_name, const ReadOptions& options,
                   const ArticleSink& sink) {
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = name + ":" + std::to_string(number);
    if (line.size() > options.max_article_bytes) {
      sink(Status::InvalidInput(where + ": line is " + std::to_string(line.size()) +
                                " bytes, over the limit of " +
                                std::to_string(options.max_article_bytes)));
      continue;
    }
    Result<Article> article = Guarded(where, [&]() { return ParseJsonLine(line, where, options); });
    if (article.ok() && article->id.empty()) {
      const std::string id = id_name + ":" + std::to_string(number);
      article->warnings.push_back("no 'id' or 'url'; using " + id);
      article->id = id;
    }
    sink(std::move(article));
  }
}

// A .jsonl file, named in sources and messages by its path as given, in ids by `id_name`;
// one that cannot be opened is reported, not passed over.
// A file in UTF-16 or UTF-32 (by its byte order mark) is decoded whole first: it cannot
// be cut into lines as bytes.
void ReadJsonFile(const fs::path& path, const std::string& id_name, const ReadOptions& options, const ArticleSink& sink) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    sink(Status::IoError(path.string() + ": cannot open"));
    return;
  }
  char head[4] = {};
  in.read(head, sizeof head);
  const ByteOrderMark bom = SniffByteOrderMark(std::string_view(head, static_cast<size_t>(in.gcount())));
  in.clear();
  in.seekg(0);
  if (!bom.encoding || std::string_view(bom.encoding) == "UTF-8") {
    ReadJsonLines(in, path.string(), id_name, options, sink);
    return;
  }
  std::ostringstream whole;
  whole << in.rdbuf();
  std::string note;
  Result<std::string> decoded = DecodeByteOrderMark(std::move(whole).str(), &note);
  if (!decoded.ok()) {
    sink(decoded.status().At(path.string()));
    return;
  }
  std::istringstream lines(std::move(decoded.value()));
  ReadJsonLines(lines, path.string(), id_name, options, sink);
}

void ReadTextFile(const fs::path& path, const fs::path& folder, const ReadOptions& options, const ArticleSink& sink) {
  const std::string name = path.string();
  std::error_code error;
  const auto size = fs::file_size(path, error);
  if (error) {
    sink(Status::IoError(name + ": cannot read: " + error.message()));
    return;
  }
  if (size > options.max_article_bytes) {
    sink(Status::InvalidInput(name + ": file is " + std::to_string(size) +
                              " bytes, over the limit of " +
                              std::to_string(options.max_article_bytes)));
    return;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    sink(Status::IoError(name + ": cannot open"));
    return;
  }
  std::string content(size, '\0');
  in.read(content.data(), static_cast<std::streamsize>(size));
  content.resize(static_cast<size_t>(in.gcount()));
  Article article;
  article.source = name;
  std::string decoded_note;
  Result<std::string> decoded = DecodeByteOrderMark(std::move(content), &decoded_note);
  if (!decoded.ok()) {
    sink(decoded.status().At(name));
    return;
  }
  if (!decoded_note.empty()) article.warnings.push_back(decoded_note);
  const Status status = Guarded("", [&]() { return ParseFrontMatter(std::move(decoded.value()), &article); });
  if (!status.ok()) {
    sink(status.At(name));
    return;
  }
  FillId(IdName(path, folder), &article);
  FinishArticle(options, &article);
  sink(std::move(article));
}

bool IsJsonLines(const fs::path& path) { return path.extension() == ".jsonl"; }

void ReadFolder(const fs::path& folder, const ReadOptions& options, const ArticleSink& sink) {
  std::vector<fs::path> files;
  std::error_code error;
  for (auto it = fs::recursive_directory_iterator(folder, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    const auto& path = it->path();
    if (it->is_regular_file() && (path.extension() == ".txt" || IsJsonLines(path)))
      files.push_back(path);
  }
  if (error) sink(Status::IoError(folder.string() + ": cannot list: " + error.message()));
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    if (IsJsonLines(path)) {
      ReadJsonFile(path, IdName(path, folder), options, sink);
    } else {
      ReadTextFile(path, folder, options, sink);
    }
  }
}

}  // namespace

bool IsIsoDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  int parts[3] = {0, 0, 0};
  for (int k = 0, start = 0; k < 3; ++k) {
    const int length = k == 0 ? 4 : 2;
    for (int i = start; i < start + length; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      parts[k] = parts[k] * 10 + (s[i] - '0');
    }
    start += length + 1;
  }
  return std::chrono::year_month_day{std::chrono::year{parts[0]}, std::chrono::month{static_cast<unsigned>(parts[1])},
                                     std::chrono::day{static_cast<unsigned>(parts[2])}}
      .ok();
}

Result<Article> ParseJsonLine(const std::string& line, const std::string& where,
                              const ReadOptions& options) {
  nlohmann::json object;
  std::string repaired_warning;
  std::string repaired;
  if (!IsValidUtf8(line)) {  // JSON must be UTF-8; repair rather than lose the article
    Utf8Repair repair = RepairUtf8(line);
    repaired_warning = "invalid UTF-8: " + std::to_string(repair.invalid_count) +
                       " sequence(s) in the JSONL line replaced by U+FFFD";
    repaired = std::move(repair.text);
  }
  try {
    object = nlohmann::json::parse(repaired.empty() ? line : repaired);
  } catch (const nlohmann::json::exception& e) {  // a syntax error, or a number no double holds
    return Status::InvalidInput(where + ": malformed JSON: " + e.what());
  }
  if (!object.is_object()) return Status::InvalidInput(where + ": expected a JSON object");
  auto text = object.find("text");
  if (text == object.end() || !text->is_string())
    return Status::InvalidInput(where + ": missing string field 'text'");
  Article article;
  article.text = text->get<std::string>();
  article.source = where;
  if (!repaired_warning.empty()) article.warnings.push_back(repaired_warning);
  auto id = object.find("id");
  if (id != object.end() && id->is_string()) {
    article.id = id->get<std::string>();
  } else if (id != object.end() && id->is_number_integer()) {
    article.id = id->dump();
  }
  article.title = OptionalString(object, "title", &article.warnings);
  article.url = OptionalString(object, "url", &article.warnings);
  FillId("", &article);  // the caller names an article with neither
  article.published = OptionalString(object, "published", &article.warnings);
  article.lang = OptionalString(object, "lang", &article.warnings);
  FinishArticle(options, &article);
  return article;
}

Status ParseFrontMatter(std::string content, Article* article) {
  // "---" lines fence the front matter, with Unix or Windows line ends.
  const std::string_view newline = content.compare(0, 5, "---\r\n") == 0 ? "\r\n" : "\n";
  const std::string fence = "---" + std::string(newline);
  if (content.compare(0, fence.size(), fence) != 0) {
    article->text = std::move(content);
    return {};
  }
  const std::string closing = std::string(newline) + fence;
  const size_t close = content.find(closing, fence.size() - newline.size());
  if (close == std::string::npos) return Status::InvalidInput("front matter has no closing '---' line");
  const std::string header = content.substr(fence.size(), close + newline.size() - fence.size());
  YAML::Node node;
  try {
    node = YAML::Load(header);
  } catch (const YAML::Exception& e) {
    return Status::InvalidInput("front matter line " + std::to_string(e.mark.line + 2) + ": " + e.msg);
  }
  if (!node.IsMap() && !node.IsNull()) return Status::InvalidInput("front matter is not 'key: value' lines");
  auto field = [&](const char* key, std::string* out) {
    if (node[key] && node[key].IsScalar()) *out = node[key].as<std::string>();
  };
  field("id", &article->id);
  field("title", &article->title);
  field("url", &article->url);
  field("published", &article->published);
  field("lang", &article->lang);
  article->text = content.substr(close + closing.size());
  return {};
}

void ReadInputs(const std::vector<std::string>& inputs, const ReadOptions& options,
                const ArticleSink& sink) {
  for (const auto& input : inputs) {
    if (input == "-") {
      ReadJsonLines(std::cin, "<stdin>", "<stdin>", options, sink);
      continue;
    }
    const fs::path path(input);
    std::error_code error;
    if (fs::is_directory(path, error)) {
      ReadFolder(path, options, sink);
    } else if (!fs::exists(path, error)) {
      sink(Status::IoError(input + ": no such file or folder"));
    } else if (IsJsonLines(path)) {
      ReadJsonFile(path, IdName(path, {}), options, sink);
    } else {
      ReadTextFile(path, {}, options, sink);
    }
  }
}

}  // namespace factwire

namespace factwire {
namespace {

class PathSource : public Source {
 public:
  PathSource(std::vector<std::string> inputs, const ReadOptions& options)
      : inputs_(std::move(inputs)), options_(options) {}
  void ForEach(const std::function<bool(Result<Article>)>& each) override {
    // ReadInputs pushes every item; once `each` declines, the rest are passed over.
    bool more = true;
    ReadInputs(inputs_, options_, [&](Result<Article> article) {
      if (more) more = each(std::move(article));
    });
  }

 private:
  std::vector<std::string> inputs_;
  ReadOptions options_;
};

}  // namespace

std::unique_ptr<Source> NewPathSource(std::vector<std::string> inputs, const ReadOptions& options) {
  return std::make_unique<PathSource>(std::move(inputs), options);
}

}  // namespace factwire
