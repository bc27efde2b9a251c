// The README's "Library" example: one article through include/factwire/, its facts
// printed one a line. Built and run by ctest (library_example), so it stays true.
#include <iostream>

#include "factwire/pipeline.h"

int main() {
  factwire::Result<std::unique_ptr<factwire::Pipeline>> pipeline = factwire::Pipeline::Open();
  if (!pipeline.ok()) {
    std::cerr << pipeline.status().message() << "\n";  // names the rule file and line
    return 2;
  }
  factwire::Article article;
  article.id = "example";
  article.text = "EuroHPC will invest €1.5bn in the BSC AI Factory in Spain by 2026.";
  article.published = "2025-03-14";
  article.lang = "en";
  const factwire::Record record = pipeline.value()->Extract(article);
  for (const factwire::Fact& fact : record.facts)
    std::cout << fact.type << " [" << fact.start << "," << fact.end << ") " << fact.text << "  " << fact.rule << "\n";
  return record.facts.empty() ? 1 : 0;
}
