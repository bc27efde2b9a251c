#include "read/reader.h"

#include "base/utf8.h"
#include "pipeline/extractor.h"
#include "read/archive.h"
#include "read/byte_stream.h"
#include "read/charset.h"
#include "read/gzip.h"
#include "read/html.h"
#include "read/ordered_sink.h"
#include "read/warc.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

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
  } catch (...) {
    return Status::InvalidInput((where.empty() ? "" : where + ": ") + "cannot read: an exception of unknown type");
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
  // Strict: a malformed or cut-off sequence is an error, not a guess.
  Result<std::string> out = ConvertToUtf8(std::string_view(bytes).substr(bom.size), bom.encoding, /*strict=*/true);
  if (!out.ok())
    return Status::InvalidInput(std::string("cannot be decoded as ") + bom.encoding + ", as its byte order mark says");
  *note = std::string("decoded from ") + bom.encoding + " (byte order mark)";
  return out;
}

namespace {

// An input file or archive member being read.
struct Entry {
  std::string name;     // in sources and messages: the path as given, "!member" inside archives
  std::string id_name;  // in ids of articles without one
  std::string format;   // the wrappers so far ("gzip/", "tar/") for ReadCounts
  bool from_stdin = false;
  bool named = false;   // named on the command line (not found in a folder or archive)
  int depth = 0;        // of archives and compression around it
  // The id name of the file as stored, compression suffix kept: members of a .tar.gz
  // are named "x.tar.gz/MEMBER". Empty: id_name.
  std::string archive_id;
  uint64_t first_line = 1;  // JSONL: the number of the stream's first line (a shard's piece starts mid-file)
};

constexpr int kMaxNesting = 4;  // archives inside archives: deeper is a bomb, not news
constexpr size_t kSniffBytes = 4096;

std::string Extension(std::string_view name) {
  const size_t slash = name.find_last_of('/');
  const size_t dot = name.find_last_of('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return "";
  std::string ext(name.substr(dot + 1));
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

bool IsCompressionExtension(std::string_view ext) {
  return ext == "gz" || ext == "bz2" || ext == "xz" || ext == "zst" || ext == "tgz";
}

// What a folder or archive member is read for, by its name; the rest are counted.
bool IsSupportedName(std::string_view name) {
  static const std::string_view kSupported[] = {"", "txt", "text", "jsonl", "ndjson", "html", "htm", "xhtml",
                                                "warc", "gz", "bz2", "xz", "zst", "tar", "tgz", "zip"};
  const std::string ext = Extension(name);
  return std::find(std::begin(kSupported), std::end(kSupported), ext) != std::end(kSupported);
}

std::string WithoutCompression(const std::string& name) {
  const std::string ext = Extension(name);
  if (ext == "tgz") return name.substr(0, name.size() - 3) + "tar";
  return IsCompressionExtension(ext) ? name.substr(0, name.size() - ext.size() - 1) : name;
}

bool IsJsonLinesName(std::string_view name) {
  const std::string ext = Extension(name);
  return ext == "jsonl" || ext == "ndjson";
}

bool IsHtmlName(std::string_view name) {
  const std::string ext = Extension(name);
  return ext == "html" || ext == "htm" || ext == "xhtml";
}

bool IsUtf16Or32(std::string_view head) {
  return head.starts_with("\xFF\xFE") || head.starts_with("\xFE\xFF") || head.starts_with(std::string_view("\0\0\xFE\xFF", 4));
}

// Bytes no text holds: NUL outside a UTF-16 or UTF-32 text.
bool LooksBinary(std::string_view head) { return !IsUtf16Or32(head) && head.find('\0') != std::string_view::npos; }

// A text file's article: its byte order mark read, its front matter parsed.
Result<Article> FromText(std::string content, const std::string& name) {
  Article article;
  article.source = name;
  std::string note;
  Result<std::string> decoded = DecodeByteOrderMark(std::move(content), &note);
  if (!decoded.ok()) return decoded.status().At(name);
  if (!note.empty()) article.warnings.push_back(note);
  const Status status = Guarded("", [&]() { return ParseFrontMatter(std::move(decoded.value()), &article); });
  if (!status.ok()) return status.At(name);
  return article;
}

// An HTML page's article: its main text and metadata. Reads nothing but its arguments
// and the immutable reader, so it runs on any thread.
Result<Article> FromHtml(std::string content, const std::string& charset, const std::string& name,
                         const HtmlReader& reader) {
  if (LooksBinary(std::string_view(content).substr(0, kSniffBytes)))
    return Status::InvalidInput(name + ": binary content (NUL bytes) where HTML was expected");
  std::string note;
  const std::string declared = charset.empty() ? DeclaredHtmlCharset(content) : charset;
  Result<std::string> utf8 = ToUtf8(std::move(content), declared, &note);
  if (!utf8.ok()) return utf8.status().At(name);
  Result<HtmlPage> read = Guarded(name, [&]() { return reader.Read(utf8.value()); });
  if (!read.ok()) return read.status().At(name);
  HtmlPage& page = read.value();
  Article article;
  article.source = name;
  if (!note.empty()) article.warnings.push_back(note);
  if (page.text.empty()) article.warnings.push_back("no article text found in the page");
  article.text = std::move(page.text);
  article.title = std::move(page.title);
  article.url = std::move(page.url);
  article.published = std::move(page.published);
  article.lang = std::move(page.lang);
  return article;
}

// A first line that is a JSON object with "text": JSONL whatever the file is called.
bool LooksLikeJsonLines(std::string_view head) {
  const size_t first = head.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || head[first] != '{') return false;
  const size_t newline = head.find('\n', first);
  if (newline == std::string_view::npos) return head.find("\"text\"") != std::string_view::npos;  // a line longer than the look-ahead
  const nlohmann::json object = nlohmann::json::parse(head.substr(first, newline - first), nullptr, false);
  return object.is_object() && object.contains("text");
}

// Whether a stream that is none of the binary formats is read as JSONL: by its name,
// else (stdin, or a file without an extension) by its first line.
bool ReadsAsJsonLines(std::string_view head, const std::string& id_name, bool from_stdin) {
  if (IsHtmlName(id_name)) return false;
  return IsJsonLinesName(id_name) || (from_stdin && !LooksLikeHtml(head)) ||
         (Extension(id_name).empty() && LooksLikeJsonLines(head));
}

int ReaderThreads(const ReadOptions& options) {
  return options.threads > 0 ? options.threads : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

// Reads every input, sniffing each stream for its format, and calls the sink per item.
class InputReader {
 public:
  InputReader(const ReadOptions& options, const ArticleSink& sink, ReadCounts* counts, std::function<void()> idle)
      : options_(options),
        sink_(sink),
        counts_(counts),
        idle_(std::move(idle)),
        out_([this](Result<Article> item, const std::string& key) { Emit(std::move(item), key); }, ReaderThreads(options)) {}

  // Everything read so far delivered.
  void Finish() { out_.Drain(); }

  void ReadPath(const std::string& input) {
    if (input == "-") {
      // While stdin is quiet, pages parsed meanwhile go out, then the caller's idle work.
      ByteStream in(Counted(FileDescriptorProducer(0, options_.stop, [this]() {
        out_.DeliverReady();
        if (idle_) idle_();
      })));
      ReadStream(in, {"<stdin>", "<stdin>", "", true, true, 0, ""});
      return;
    }
    std::vector<InputFile> files;
    std::vector<std::string> unsupported;
    const Status listed = ListInput(input, &files, &unsupported);
    for (const std::string& name : unsupported) Unsupported(name);
    if (!listed.ok()) Fail(listed);
    for (const InputFile& file : files) {
      if (stopped()) return;
      ReadFile(file.path, file.id_name, file.named);
    }
  }

  // A piece of a shard plan: the bytes of a file it names, read as the whole file would
  // be read there (ids, line numbers and record offsets as in the whole file).
  void ReadPiece(const PlannedFile& file, const InputPiece& piece) {
    const int fd = ::open(file.absolute_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Fail(Status::IoError(file.path + ": cannot open: " + std::strerror(errno)));
    const ScopedFd closer(fd);
    if (Status status = CheckPlannedFile(file, fd); !status.ok()) return Fail(status);
    ByteStream in(Counted(FileRangeProducer(fd, piece.begin, piece.end)), piece.begin);
    Entry entry{file.path, file.id_name, "", false, file.named, 0, ""};
    entry.first_line = piece.first_line;
    if (file.layout == FileLayout::kJsonLines) return ReadJsonLines(in, entry);
    if (file.layout == FileLayout::kWarc) return ReadWarcStream(in, nullptr, entry, "warc/");
    ReadStream(in, entry);  // whole files, and .warc.gz pieces (whole members)
  }

 private:
  bool stopped() const { return options_.stop && options_.stop->load(); }

  void Fail(Status status) { out_.Put(std::move(status)); }

  // On the reading thread, in input order: an article is counted under its format.
  void Emit(Result<Article> item, const std::string& format) {
    if (item.ok()) ++counts_->articles_by_format[format];
    sink_(std::move(item));
  }

  void Skip(const std::string& reason) { ++counts_->skipped[reason]; }

  void Deliver(Article article, const Entry& entry, const std::string& format) {
    article.warnings.insert(article.warnings.begin(), notes_.begin(), notes_.end());
    FinishArticle(options_, &article);
    out_.Put(std::move(article), entry.format + format);
  }

  // An HTML page, parsed on a worker: `finish` completes the article there (ids, what a
  // WARC record adds), then it goes out in its place in the input.
  void DeliverHtml(std::string content, std::string charset, const Entry& entry,
                   std::function<void(Article*)> finish) {
    Result<const HtmlReader*> reader = Html();  // loaded here, on the reading thread
    if (!reader.ok()) return Fail(reader.status());
    out_.Put(
        [this, content = std::move(content), charset = std::move(charset), entry, notes = notes_,
         finish = std::move(finish), reader = reader.value()]() mutable -> Result<Article> {
          return Guarded(entry.name, [&]() -> Result<Article> {
            Result<Article> article = FromHtml(std::move(content), charset, entry.name, *reader);
            if (!article.ok()) return article;
            finish(&article.value());
            article->warnings.insert(article->warnings.begin(), notes.begin(), notes.end());
            FinishArticle(options_, &article.value());
            return article;
          });
        },
        entry.format + "html");
  }

  // Counts the bytes a file producer gives, for the progress line.
  ByteStream::Producer Counted(ByteStream::Producer producer) {
    return [this, producer = std::move(producer)](char* buffer, size_t size) -> Result<size_t> {
      Result<size_t> got = producer(buffer, size);
      if (got.ok()) counts_->bytes_read += got.value();
      return got;
    };
  }

  void Unsupported(const std::string& name) {
    Skip("unsupported file");
    if (counts_->unsupported_files.size() < 10) counts_->unsupported_files.push_back(name);
  }

  void ReadFile(const std::string& name, const std::string& id_name, bool named) {
    const int fd = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      Fail(Status::IoError(name + ": cannot open: " + std::strerror(errno)));
      return;
    }
    const ScopedFd closer(fd);
    ByteStream in(Counted(FileDescriptorProducer(fd)));
    if (struct stat info{}; ::fstat(fd, &info) == 0 && S_ISREG(info.st_mode)) in.set_expected_end(info.st_size);
    ReadStream(in, {name, id_name, "", false, named, 0, ""});
  }

  // Sniffs the stream's format from its first bytes and reads it as that.
  void ReadStream(ByteStream& in, const Entry& entry) {
    // A pipe is sniffed on its first line (or first 1 KB): enough to tell the formats
    // apart, without waiting for more input than one JSONL line.
    Result<std::string_view> peeked = entry.from_stdin ? in.PeekAvailable() : in.Peek(kSniffBytes);
    while (entry.from_stdin && peeked.ok() && peeked.value().size() < 1024 &&
           peeked.value().find('\n') == std::string_view::npos) {
      const size_t had = peeked.value().size();
      peeked = in.Peek(had + 1);
      if (peeked.ok() && peeked.value().size() == had) break;
    }
    if (!peeked.ok()) {
      Fail(peeked.status().At(entry.name));
      return;
    }
    const std::string head(peeked.value());
    if (IsGzip(head)) return ReadGzip(in, entry);
    if (const Container container = SniffContainer(head); container != Container::kNone)
      return ReadArchive(in, entry, container);
    if (IsWarc(head)) return ReadWarcStream(in, nullptr, entry, "warc/");
    if (IsUtf16Or32(head)) return ReadDecoded(in, entry);
    const bool html_name = IsHtmlName(entry.id_name);
    if (LooksBinary(head)) {
      // A file that says it is text but is not is an error; an unknown one is passed over.
      if (entry.named || html_name || IsJsonLinesName(entry.id_name) || Extension(entry.id_name) == "txt")
        Fail(Status::InvalidInput(entry.name + ": binary content (NUL bytes), not text, HTML, JSONL or WARC"));
      else
        Unsupported(entry.name);
      return;
    }
    if (ReadsAsJsonLines(head, entry.id_name, entry.from_stdin)) return ReadJsonLines(in, entry);
    ReadWhole(in, entry, html_name || LooksLikeHtml(head));
  }

  // UTF-16 or UTF-32 by its byte order mark: decoded whole (it cannot be cut into lines
  // as bytes), then read as the UTF-8 it is.
  void ReadDecoded(ByteStream& in, const Entry& entry) {
    std::string bytes;
    Result<size_t> got = in.Read(options_.max_article_bytes + 1, &bytes);
    if (!got.ok()) return Fail(got.status().At(entry.name));
    if (bytes.size() > options_.max_article_bytes)
      return Fail(Status::InvalidInput(entry.name + ": a UTF-16 or UTF-32 file over the limit of " +
                                       std::to_string(options_.max_article_bytes) + " bytes (--max-bytes); skipped"));
    std::string note;
    Result<std::string> decoded = DecodeByteOrderMark(std::move(bytes), &note);
    if (!decoded.ok()) return Fail(decoded.status().At(entry.name));
    ByteStream utf8(MemoryProducer(decoded.value()));
    notes_.push_back(note);
    ReadStream(utf8, entry);
    notes_.pop_back();
  }

  // The first member that reads says what the stream holds: WARC (one record per member,
  // read member by member) or anything else (all members as one stream). A damaged or
  // empty first member is reported or passed over.
  void ReadGzip(ByteStream& in, const Entry& entry) {
    GzipReader gzip(&in, /*stop_at_member_end=*/true);
    ByteStream inner(gzip.producer());
    for (;;) {
      Result<std::string_view> head = inner.Peek(8);
      if (head.ok() && !head.value().empty()) {
        if (IsWarc(head.value())) return ReadWarcStream(inner, &gzip, entry, "warc.gz/");
        break;
      }
      if (!head.ok()) Fail(head.status().At(entry.name));
      Result<bool> next = gzip.NextMember();
      if (!next.ok()) return Fail(next.status().At(entry.name));
      if (!next.value()) return;
      inner.Resume();
    }
    gzip.set_stop_at_member_end(false);
    inner.Continue();
    Nested(inner, entry, WithoutCompression(entry.id_name), "gzip/");
  }

  // A stream inside `outer` (decompressed): named in messages as the file, in ids and
  // for its format by `id_name`.
  void Nested(ByteStream& in, const Entry& outer, std::string id_name, const std::string& wrapper) {
    if (outer.depth >= kMaxNesting) {
      Fail(Status::InvalidInput(outer.name + ": archives nested more than " + std::to_string(kMaxNesting) + " deep"));
      return;
    }
    ReadStream(in, {outer.name, std::move(id_name), outer.format + wrapper, outer.from_stdin, outer.named, outer.depth + 1,
                    outer.archive_id.empty() ? outer.id_name : outer.archive_id});
  }

  void ReadArchive(ByteStream& in, const Entry& entry, Container container) {
    const std::string wrapper = std::string(ContainerName(container)) + "/";
    const Status status = ForEachArchiveEntry(in, [&](const std::string& path, ByteStream& member) {
      if (stopped()) return;
      if (path == "data" && container != Container::kTar && container != Container::kZip) {  // one compressed file
        Nested(member, entry, WithoutCompression(entry.id_name), wrapper);
        return;
      }
      if (!IsSupportedName(path)) {
        Unsupported(entry.name + "!" + path);
        return;
      }
      const std::string& archive_id = entry.archive_id.empty() ? entry.id_name : entry.archive_id;
      Entry inner{entry.name + "!" + path, archive_id + "/" + path, entry.format + wrapper, false, false, entry.depth + 1, ""};
      if (entry.depth >= kMaxNesting) {
        Fail(Status::InvalidInput(entry.name + ": archives nested more than " + std::to_string(kMaxNesting) + " deep"));
        return;
      }
      ReadStream(member, inner);
    }, [&](const Status& damage) { Fail(damage.At(entry.name)); });
    if (!status.ok()) Fail(status.At(entry.name));
  }

  void ReadWarcStream(ByteStream& in, GzipReader* members, const Entry& entry, const std::string& wrapper) {
    WarcCallbacks callbacks;
    callbacks.skip = [&](const std::string& reason) { Skip(reason); };
    callbacks.problem = [&](const std::string& where, const Status& status) {
      Fail(status.At(entry.name + ": record at byte " + where));
    };
    callbacks.page = [&](WarcPage page) {
      const std::string where = entry.name + "@" + page.where;
      const bool html = page.media_type == "text/html" || page.media_type == "application/xhtml+xml" ||
                        (page.media_type.empty() && LooksLikeHtml(page.body));
      if (!html && page.media_type != "text/plain") {
        Skip("not HTML or text (" + page.media_type + ")");
        return;
      }
      Entry record{where, page.target_uri.empty() ? where : page.target_uri, entry.format + wrapper, false, false, entry.depth, ""};
      auto finish = [uri = page.target_uri, day = page.day, id = record.id_name](Article* article) {
        if (article->url.empty()) article->url = uri;
        if (article->published.empty()) article->published = day;
        FillId(id, article);
      };
      if (html) return DeliverHtml(std::move(page.body), std::move(page.charset), record, finish);
      Result<Article> article = FromText(std::move(page.body), record.name);
      if (!article.ok()) return Fail(article.status());
      finish(&article.value());
      Deliver(std::move(article.value()), record, "text");
    };
    ReadWarc(in, members, options_.max_article_bytes, callbacks);
  }

  void ReadJsonLines(ByteStream& in, const Entry& entry) {
    std::string line;
    bool too_long = false;
    for (uint64_t number = entry.first_line; !stopped(); ++number) {
      Result<bool> got = in.ReadLine(&line, options_.max_article_bytes, &too_long);
      if (!got.ok()) {
        Fail(got.status().At(entry.name + ":" + std::to_string(number)));
        return;
      }
      if (!got.value()) return;
      if (number == 1 && line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
      const std::string where = entry.name + ":" + std::to_string(number);
      if (line.find_first_not_of(" \t\r") == std::string::npos) {
        if (options_.blank_lines_are_items) Fail(Status::InvalidInput(where + ": blank line"));
        continue;
      }
      if (too_long) {
        Fail(Status::InvalidInput(where + ": line is over the limit of " + std::to_string(options_.max_article_bytes) +
                                  " bytes"));
        continue;
      }
      Result<Article> article = Guarded(where, [&]() { return ParseJsonLine(line, where, options_); });
      if (!article.ok()) {
        Fail(article.status());
        continue;
      }
      if (article->id.empty()) {
        const std::string id = entry.id_name + ":" + std::to_string(number);
        article->warnings.push_back("no 'id' or 'url'; using " + id);
        article->id = id;
      }
      article->warnings.insert(article->warnings.begin(), notes_.begin(), notes_.end());
      out_.Put(std::move(article.value()), entry.format + "jsonl");
    }
  }

  // A text or HTML file: one article, read whole up to the size limit.
  void ReadWhole(ByteStream& in, const Entry& entry, bool html) {
    std::string content;
    Result<size_t> got = in.Read(options_.max_article_bytes + 1, &content);
    if (!got.ok()) {
      Fail(got.status().At(entry.name));
      return;
    }
    if (content.size() > options_.max_article_bytes) {
      // Counted to the end, not held: the message gives the size.
      Result<size_t> rest = in.Skip(UINT64_MAX);
      const std::string size = std::to_string(content.size() + (rest.ok() ? rest.value() : 0));
      Fail(Status::InvalidInput(entry.name + ": " + size + " bytes, over the limit of " +
                                std::to_string(options_.max_article_bytes) + " (--max-bytes); skipped"));
      return;
    }
    auto finish = [id = entry.id_name](Article* article) { FillId(id, article); };
    if (html) return DeliverHtml(std::move(content), "", entry, finish);
    Result<Article> article = FromText(std::move(content), entry.name);
    if (!article.ok()) return Fail(article.status());
    finish(&article.value());
    Deliver(std::move(article.value()), entry, "text");
  }

  // The HTML reader, loaded on the first page: its hints are rule data.
  Result<const HtmlReader*> Html() {
    if (!html_ && html_error_.ok()) {
      Result<std::unique_ptr<HtmlReader>> loaded =
          HtmlReader::Load(options_.rules_dir.empty() ? DefaultRulesDir() : options_.rules_dir);
      if (loaded.ok()) html_ = std::move(loaded.value());
      else html_error_ = loaded.status();
    }
    if (!html_) return html_error_;
    return html_.get();
  }

  const ReadOptions& options_;
  const ArticleSink& sink_;
  ReadCounts* counts_;
  std::function<void()> idle_;
  std::unique_ptr<HtmlReader> html_;
  Status html_error_;
  std::vector<std::string> notes_;  // warnings for every article of the stream being read (its decoding)
  OrderedSink out_;  // last: drained before the members its deliveries use go
};

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

Status ListInput(const std::string& input, std::vector<InputFile>* files, std::vector<std::string>* unsupported) {
  const fs::path path(input);
  std::error_code error;
  if (!fs::is_directory(path, error)) {
    if (!fs::exists(path, error)) return Status::IoError(input + ": no such file or folder");
    files->push_back({input, IdName(path, {}), true});
    return {};
  }
  std::vector<fs::path> found;
  for (auto it = fs::recursive_directory_iterator(path, error); !error && it != fs::recursive_directory_iterator();
       it.increment(error)) {
    if (!it->is_regular_file()) continue;
    if (IsSupportedName(it->path().filename().string())) found.push_back(it->path());
    else unsupported->push_back(it->path().string());
  }
  std::sort(found.begin(), found.end());
  for (const fs::path& file : found) files->push_back({file.string(), IdName(file, path), false});
  if (error) return Status::IoError(input + ": cannot list: " + error.message());
  return {};
}

Result<FileLayout> SniffFileLayout(int fd, const std::string& id_name) {
  ByteStream in(FileDescriptorProducer(fd));
  Result<std::string_view> peeked = in.Peek(kSniffBytes);
  if (!peeked.ok()) return peeked.status();
  const std::string head(peeked.value());
  if (IsGzip(head)) {
    GzipReader gzip(&in, /*stop_at_member_end=*/true);
    ByteStream inner(gzip.producer());
    Result<std::string_view> first = inner.Peek(8);
    return first.ok() && IsWarc(first.value()) ? FileLayout::kWarcGzip : FileLayout::kWhole;
  }
  if (SniffContainer(head) != Container::kNone) return FileLayout::kWhole;
  if (IsWarc(head)) return FileLayout::kWarc;
  if (IsUtf16Or32(head) || LooksBinary(head)) return FileLayout::kWhole;
  return ReadsAsJsonLines(head, id_name, false) ? FileLayout::kJsonLines : FileLayout::kWhole;
}

int64_t ModifiedNanoseconds(const struct stat& status) {
  return int64_t{status.st_mtim.tv_sec} * 1000000000 + status.st_mtim.tv_nsec;
}

void ReadShard(const ShardPlan& plan, size_t shard, const ReadOptions& options, const ArticleSink& sink,
               ReadCounts* counts) {
  ReadCounts local;
  InputReader reader(options, sink, counts ? counts : &local, nullptr);
  const size_t first = shard == PathSource::kAllShards ? 0 : shard;
  const size_t last = shard == PathSource::kAllShards ? plan.shards.size() : shard + 1;
  for (size_t index = first; index < last; ++index) {
    for (const InputPiece& piece : plan.shards.at(index)) {
      if (options.stop && options.stop->load()) break;
      reader.ReadPiece(plan.files.at(piece.file), piece);
    }
  }
  reader.Finish();
}

void ReadInputs(const std::vector<std::string>& inputs, const ReadOptions& options, const ArticleSink& sink,
                ReadCounts* counts, const std::function<void()>& idle) {
  ReadCounts local;
  InputReader reader(options, sink, counts ? counts : &local, idle);
  for (const auto& input : inputs) {
    if (options.stop && options.stop->load()) break;
    reader.ReadPath(input);
  }
  reader.Finish();
}

}  // namespace factwire

namespace factwire {

PathSource::PathSource(std::vector<std::string> inputs, const ReadOptions& options)
    : inputs_(std::move(inputs)), options_(options) {
  std::vector<InputFile> files;
  std::vector<std::string> unsupported;
  for (const std::string& input : inputs_)
    if (input != "-") ListInput(input, &files, &unsupported);  // a missing input is reported when read
  for (const InputFile& file : files) {
    std::error_code error;
    const uintmax_t size = fs::file_size(file.path, error);
    if (!error) counts_.bytes_total += size;
  }
}

PathSource::PathSource(const ShardPlan& plan, size_t shard, const ReadOptions& options)
    : plan_(&plan), shard_(shard), options_(options) {
  counts_.bytes_total = plan.ShardBytes(shard);
}

void PathSource::ForEach(const std::function<bool(Result<Article>)>& each) { ForEach(each, nullptr); }

void PathSource::ForEach(const std::function<bool(Result<Article>)>& each, const std::function<void()>& idle) {
  // ReadInputs pushes every item; once `each` declines, reading stops at the next item.
  std::atomic<bool> declined = false;
  std::atomic<bool> stop_either = false;
  ReadOptions options = options_;
  const std::atomic<bool>* outer_stop = options_.stop;
  options.stop = &stop_either;
  const ArticleSink sink = [&](Result<Article> article) {
    if (declined) return;
    if (!each(std::move(article))) declined = true;
    stop_either = declined || (outer_stop && outer_stop->load());
  };
  if (plan_) return ReadShard(*plan_, shard_, options, sink, &counts_);
  ReadInputs(inputs_, options, sink, &counts_, [&]() {
    stop_either = declined || (outer_stop && outer_stop->load());
    if (idle && !stop_either) idle();
  });
}

std::unique_ptr<PathSource> NewPathSource(std::vector<std::string> inputs, const ReadOptions& options) {
  return std::make_unique<PathSource>(std::move(inputs), options);
}

Result<std::unique_ptr<ArticleReader>> ArticleReader::Open(const ReadOptions& options) {
  Result<std::unique_ptr<HtmlReader>> html =
      HtmlReader::Load(options.rules_dir.empty() ? DefaultRulesDir() : options.rules_dir);
  if (!html.ok()) return html.status();
  return std::unique_ptr<ArticleReader>(new ArticleReader(options, std::move(html.value())));
}

ArticleReader::ArticleReader(const ReadOptions& options, std::unique_ptr<HtmlReader> html)
    : options_(options), html_(std::move(html)) {}

ArticleReader::~ArticleReader() = default;

Result<Article> ArticleReader::Read(std::string bytes, Format format, const std::string& name,
                                    const std::string& charset) const {
  if (bytes.size() > options_.max_article_bytes)
    return Status::InvalidInput(name + ": " + std::to_string(bytes.size()) + " bytes, over the limit of " +
                                std::to_string(options_.max_article_bytes));
  Result<Article> article = Status::InvalidInput(name + ": unknown format");
  switch (format) {
    case Format::kJson:
      return Guarded(name, [&]() { return ParseJsonLine(bytes, name, options_); });
    case Format::kHtml:
      article = FromHtml(std::move(bytes), charset, name, *html_);
      break;
    case Format::kText: {
      if (LooksBinary(std::string_view(bytes).substr(0, kSniffBytes)))
        return Status::InvalidInput(name + ": binary content (NUL bytes) where text was expected");
      std::string note;
      Result<std::string> decoded = charset.empty() ? DecodeByteOrderMark(std::move(bytes), &note)
                                                    : ToUtf8(std::move(bytes), charset, &note);
      if (!decoded.ok()) return decoded.status().At(name);
      article = Article{};
      article->source = name;
      article->text = std::move(decoded.value());
      if (!note.empty()) article->warnings.push_back(note);
      break;
    }
  }
  if (article.ok()) {
    FillId("", &article.value());
    FinishArticle(options_, &article.value());
  }
  return article;
}

}  // namespace factwire
