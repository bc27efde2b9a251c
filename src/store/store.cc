#include "store/store.h"

#include <openssl/evp.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace factwire {

// Back ends, each in its own file.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, const StoreOptions& options);
Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& uri, const StoreOptions& options);

Result<std::unique_ptr<Store>> Store::Open(const std::string& uri, const StoreOptions& options) {
  if (uri.starts_with("sqlite:")) return OpenSqliteStore(uri.substr(7), options);
  if (uri.starts_with("postgresql://") || uri.starts_with("postgres://")) return OpenPostgresStore(uri, options);
  for (std::string_view extension : {".db", ".sqlite", ".sqlite3"})
    if (uri.ends_with(extension)) return OpenSqliteStore(uri, options);
  return Status::Usage("--db '" + uri + "': expected sqlite:PATH, a path ending in .db, .sqlite or .sqlite3, or "
                       "postgresql://...");
}

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 15]);
  }
  return out;
}

std::string RulesVersion(const std::string& rules_dir) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  std::error_code error;
  for (const auto& item : fs::recursive_directory_iterator(rules_dir, error))
    if (item.is_regular_file()) files.push_back(item.path());
  std::sort(files.begin(), files.end());
  std::string all;
  for (const fs::path& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    all += fs::relative(file, rules_dir, error).string() + '\0' + content.str() + '\0';
  }
  return Sha256Hex(all).substr(0, 16);
}

TypedValue TypedColumns(const Fact& fact) {
  TypedValue out;
  const nlohmann::json& v = fact.value;
  auto text = [&](const char* key) { return v.contains(key) && v[key].is_string() ? v[key].get<std::string>() : ""; };
  if (v.contains("amount") && v["amount"].is_number()) out.amount = v["amount"].get<double>();
  out.currency = text("currency");
  out.iso = text("iso");
  out.grain = text("grain");
  // A site's country is its iso2 column too: "every site with its country" is one query.
  out.iso2 = fact.type == "site" ? text("country") : text("iso2");
  out.name = text("name");
  out.role = text("role");
  return out;
}

}  // namespace factwire
