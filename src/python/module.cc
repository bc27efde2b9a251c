// factwire._factwire: the library behind `import factwire` (python/factwire/__init__.py
// wraps it). A thin client of include/factwire/: Pipeline::Extract per article, records
// as the JSONL lines `extract` prints (the Python side parses them, so the shape is the
// CLI's by construction), ArticleReader for `text`.
//
// The GIL is released while C++ works; extract_batch extracts on its own threads and
// keeps input order. Errors become factwire.Error with the CLI's message.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/digest.h"
#include "emit/emitter.h"
#include "factwire/io.h"
#include "factwire/pipeline.h"
#include "read/reader.h"

namespace py = pybind11;

namespace factwire {
namespace {

// Raised as factwire.Error (registered below).
struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The fields of one article as Python passes them; None is empty.
struct ArticleFields {
  std::string text;
  std::optional<std::string> id, published, lang, title, url;
};

Article ToArticle(ArticleFields fields) {
  if (fields.published && !fields.published->empty() && !IsIsoDate(*fields.published))
    throw py::value_error("published '" + *fields.published + "' is not a date YYYY-MM-DD");
  Article article;
  article.source = "python";
  // An article that names itself nowhere is known by its text, as in the service.
  article.id = fields.id.value_or(std::string("sha256:").append(Sha256Hex(fields.text).substr(0, 16)));
  article.published = fields.published.value_or("");
  article.lang = fields.lang.value_or("");
  article.title = fields.title.value_or("");
  article.url = fields.url.value_or("");
  article.text = std::move(fields.text);
  return article;
}

class PythonPipeline {
 public:
  PythonPipeline(std::optional<std::string> rules, std::optional<std::vector<std::string>> types) {
    PipelineOptions options;
    options.rules_dir = rules.value_or("");
    if (types) options.types = {types->begin(), types->end()};
    Result<std::unique_ptr<Pipeline>> pipeline = [&] {
      py::gil_scoped_release released;
      return Pipeline::Open(options);
    }();
    if (!pipeline.ok()) throw Error(pipeline.status().message());
    pipeline_ = std::move(pipeline.value());
    ReadOptions read;
    read.rules_dir = pipeline_->rules_dir();
    Result<std::unique_ptr<ArticleReader>> reader = ArticleReader::Open(read);
    if (!reader.ok()) throw Error(reader.status().message());
    reader_ = std::move(reader.value());
  }

  std::string Extract(ArticleFields fields) const {
    const Article article = ToArticle(std::move(fields));
    py::gil_scoped_release released;
    return RecordJsonLine(pipeline_->Extract(article));
  }

  // The records of `batch`, in its order, extracted on up to `threads` threads (0: one
  // per core).
  std::vector<std::string> ExtractBatch(std::vector<ArticleFields> batch, int threads) const {
    std::vector<Article> articles;
    articles.reserve(batch.size());
    for (ArticleFields& fields : batch) articles.push_back(ToArticle(std::move(fields)));
    std::vector<std::string> lines(articles.size());
    std::exception_ptr failure;  // the first thrown on any thread, rethrown here with the GIL
    {
      py::gil_scoped_release released;
      const size_t workers = std::min<size_t>(
          articles.size(), threads > 0 ? static_cast<size_t>(threads) : std::max(1u, std::thread::hardware_concurrency()));
      std::atomic<size_t> next = 0;
      std::mutex failure_mutex;
      auto work = [&] {
        try {
          for (size_t i; (i = next++) < articles.size();) lines[i] = RecordJsonLine(pipeline_->Extract(articles[i]));
        } catch (...) {
          std::lock_guard<std::mutex> lock(failure_mutex);
          if (!failure) failure = std::current_exception();
          next = articles.size();  // the others stop too
        }
      };
      std::vector<std::thread> pool;
      for (size_t w = 1; w < workers; ++w) pool.emplace_back(work);
      work();
      for (std::thread& thread : pool) thread.join();
    }
    if (failure) std::rethrow_exception(failure);
    return lines;
  }

  // An article read from the bytes of a page or a text, as `factwire text` prints it.
  std::string Text(const py::bytes& data, bool html, const std::string& name) const {
    std::string bytes = data;
    Result<Article> article = [&] {
      py::gil_scoped_release released;
      return reader_->Read(std::move(bytes), html ? ArticleReader::Format::kHtml : ArticleReader::Format::kText, name);
    }();
    if (!article.ok()) throw py::value_error(article.status().message());
    if (article->id.empty()) article->id = std::string("sha256:").append(Sha256Hex(article->text).substr(0, 16));
    article->source = name;
    return RenderArticleJsonl(article.value());
  }

  const std::string& rules_version() const { return pipeline_->rules_version(); }
  const std::string& rules_dir() const { return pipeline_->rules_dir(); }

 private:
  std::unique_ptr<Pipeline> pipeline_;
  std::unique_ptr<ArticleReader> reader_;
};

}  // namespace
}  // namespace factwire

namespace pybind11::detail {
// ArticleFields from a Python tuple (text, id, published, lang, title, url).
template <>
struct type_caster<factwire::ArticleFields> {
  PYBIND11_TYPE_CASTER(factwire::ArticleFields, const_name("ArticleFields"));
  bool load(handle source, bool) {
    if (!isinstance<tuple>(source)) return false;
    const tuple fields = reinterpret_borrow<tuple>(source);
    if (fields.size() != 6) return false;
    for (size_t i = 0; i < 6; ++i)  // str or None: bytes would pass invalid UTF-8 through
      if (!isinstance<str>(fields[i]) && (i == 0 || !fields[i].is_none())) return false;
    value.text = fields[0].cast<std::string>();
    std::optional<std::string>* optional[] = {&value.id, &value.published, &value.lang, &value.title, &value.url};
    for (size_t i = 0; i < 5; ++i)
      if (!fields[i + 1].is_none()) *optional[i] = fields[i + 1].cast<std::string>();
    return true;
  }
};
}  // namespace pybind11::detail

PYBIND11_MODULE(_factwire, m) {
  using factwire::PythonPipeline;
  m.doc() = "factwire's C++ core; use the factwire package, which wraps it.";
  py::register_exception<factwire::Error>(m, "Error", PyExc_ValueError);
  m.attr("__version__") = factwire::Version();
  py::class_<PythonPipeline>(m, "Pipeline")
      .def(py::init<std::optional<std::string>, std::optional<std::vector<std::string>>>(), py::arg("rules"),
           py::arg("types"))
      .def("extract", &PythonPipeline::Extract, py::arg("fields"))
      .def("extract_batch", &PythonPipeline::ExtractBatch, py::arg("batch"), py::arg("threads"))
      .def("text", &PythonPipeline::Text, py::arg("data"), py::arg("html"), py::arg("name"))
      .def_property_readonly("rules_version", &PythonPipeline::rules_version)
      .def_property_readonly("rules_dir", &PythonPipeline::rules_dir);
}
