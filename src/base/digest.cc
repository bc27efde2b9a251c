#include "base/digest.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <vector>
#include <cstring>

namespace factwire {
namespace {

std::string Hex(const unsigned char* bytes, unsigned int length) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[bytes[i] >> 4]);
    out.push_back(kHex[bytes[i] & 15]);
  }
  return out;
}

}  // namespace

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  return Hex(digest, length);
}

struct Sha256::Context {
  EVP_MD_CTX* evp = EVP_MD_CTX_new();
};

Sha256::Sha256() : context_(new Context) { EVP_DigestInit_ex(context_->evp, EVP_sha256(), nullptr); }

Sha256::~Sha256() {
  EVP_MD_CTX_free(context_->evp);
  delete context_;
}

void Sha256::Update(std::string_view bytes) { EVP_DigestUpdate(context_->evp, bytes.data(), bytes.size()); }

Status Sha256::UpdateFromFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IoError(path + ": cannot open: " + std::strerror(errno));
  char block[1 << 16];
  ssize_t got;
  while ((got = ::read(fd, block, sizeof block)) > 0 || (got < 0 && errno == EINTR))
    if (got > 0) Update(std::string_view(block, static_cast<size_t>(got)));
  const int read_errno = errno;
  ::close(fd);
  if (got < 0) return Status::IoError(path + ": read failed: " + std::strerror(read_errno));
  return {};
}

std::string Sha256::FinishHex() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(context_->evp, digest, &length);
  return Hex(digest, length);
}

Result<std::string> FileSha256Hex(const std::string& path) {
  Sha256 digest;
  if (Status s = digest.UpdateFromFile(path); !s.ok()) return s;
  return digest.FinishHex();
}

std::string FolderSha256Hex(const std::string& dir) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  std::error_code error;
  // A folder that cannot be listed counts as empty, and one that cannot be entered is
  // passed over: this names the files it can read, and never throws.
  for (fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, error), end;
       !error && it != end; it.increment(error))
    if (it->is_regular_file(error)) files.push_back(it->path());
  std::sort(files.begin(), files.end());
  // Hashed as they are read, not gathered first (that was a tenth of a start's work).
  Sha256 digest;
  for (const fs::path& file : files) {
    digest.Update(fs::relative(file, dir, error).string());
    digest.Update(std::string_view("\0", 1));
    (void)digest.UpdateFromFile(file.string());
    digest.Update(std::string_view("\0", 1));
  }
  return digest.FinishHex();
}

std::string HmacSha256Hex(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), digest, &length);
  return Hex(digest, length);
}

}  // namespace factwire
