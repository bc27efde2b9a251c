#include "segment/segmenter.h"

#include <unicode/brkiter.h>
#include <unicode/utext.h>

#include <algorithm>

namespace factwire {

Segmenter::Segmenter(std::unique_ptr<icu::BreakIterator> iterator, std::unordered_set<std::string> abbreviations)
    : iterator_(std::move(iterator)), abbreviations_(std::move(abbreviations)) {}
Segmenter::~Segmenter() = default;

Result<std::unique_ptr<Segmenter>> Segmenter::Create(const SegmenterOptions& options) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> iterator(
      icu::BreakIterator::createSentenceInstance(icu::Locale(options.locale.c_str()), status));
  if (U_FAILURE(status)) return Status::IoError(std::string("ICU sentence breaks: ") + u_errorName(status));
  return std::unique_ptr<Segmenter>(new Segmenter(
      std::move(iterator), {options.abbreviations.begin(), options.abbreviations.end()}));
}

// True when the last word before `end` (skipping trailing spaces) is an abbreviation.
bool Segmenter::EndsWithAbbreviation(std::string_view text, uint32_t end) const {
  size_t stop = end;
  while (stop > 0 && (text[stop - 1] == ' ' || text[stop - 1] == '\t')) --stop;
  if (stop == 0 || text[stop - 1] != '.') return false;
  size_t start = stop;
  while (start > 0 && text[start - 1] != ' ' && text[start - 1] != '\n' && text[start - 1] != '\t' &&
         text[start - 1] != '(' && text[start - 1] != '"')
    --start;
  const std::string_view word = text.substr(start, stop - start);
  // Initials ("C.C.", "J.") end no sentence either.
  bool initials = word.size() >= 2 && word.size() % 2 == 0;
  for (size_t i = 0; initials && i < word.size(); i += 2)
    initials = word[i] >= 'A' && word[i] <= 'Z' && word[i + 1] == '.';
  return initials || abbreviations_.count(std::string(word)) > 0;
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
    if (static_cast<size_t>(end) < text.size() && EndsWithAbbreviation(text, static_cast<uint32_t>(end))) continue;
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
