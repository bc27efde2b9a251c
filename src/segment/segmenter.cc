#include "segment/segmenter.h"

#include <unicode/brkiter.h>
#include <unicode/filteredbrk.h>
#include <unicode/utext.h>

#include <algorithm>

namespace factwire {

Segmenter::Segmenter(std::unique_ptr<icu::BreakIterator> iterator) : iterator_(std::move(iterator)) {}
Segmenter::~Segmenter() = default;

Result<std::unique_ptr<Segmenter>> Segmenter::Create(const SegmenterOptions& options) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Locale locale(options.locale.c_str());
  std::unique_ptr<icu::BreakIterator> base(icu::BreakIterator::createSentenceInstance(locale, status));
  if (U_FAILURE(status)) return Status::IoError(std::string("ICU sentence breaks: ") + u_errorName(status));
  std::unique_ptr<icu::FilteredBreakIteratorBuilder> builder(
      icu::FilteredBreakIteratorBuilder::createInstance(locale, status));
  if (U_FAILURE(status)) return Status::IoError(std::string("ICU break filter: ") + u_errorName(status));
  for (const auto& abbreviation : options.abbreviations)
    builder->suppressBreakAfter(icu::UnicodeString::fromUTF8(abbreviation), status);
  std::unique_ptr<icu::BreakIterator> filtered(builder->wrapIteratorWithFilter(base.release(), status));
  if (U_FAILURE(status)) return Status::IoError(std::string("ICU break filter: ") + u_errorName(status));
  return std::unique_ptr<Segmenter>(new Segmenter(std::move(filtered)));
}

std::unique_ptr<Segmenter> Segmenter::Clone() const {
  return std::unique_ptr<Segmenter>(new Segmenter(std::unique_ptr<icu::BreakIterator>(iterator_->clone())));
}

std::vector<Span> Segmenter::Sentences(std::string_view text) {
  std::vector<Span> spans;
  UErrorCode status = U_ZERO_ERROR;
  UText* utext = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status);
  if (U_FAILURE(status)) return {{0, static_cast<uint32_t>(text.size())}};
  iterator_->setText(utext, status);
  // For UTF-8 UText, ICU's native indexes are byte offsets.
  int32_t begin = iterator_->first();
  for (int32_t end = iterator_->next(); end != icu::BreakIterator::DONE; end = iterator_->next()) {
    spans.push_back({static_cast<uint32_t>(begin), static_cast<uint32_t>(end)});
    begin = end;
  }
  utext_close(utext);
  if (spans.empty()) spans.push_back({0, static_cast<uint32_t>(text.size())});
  return spans;
}

size_t SpanIndexOf(const std::vector<Span>& spans, uint32_t offset) {
  auto it = std::upper_bound(spans.begin(), spans.end(), offset,
                             [](uint32_t value, const Span& span) { return value < span.end; });
  return it == spans.end() ? spans.size() - 1 : static_cast<size_t>(it - spans.begin());
}

}  // namespace factwire
