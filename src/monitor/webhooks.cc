#include "monitor/webhooks.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>

#include "base/digest.h"

namespace factwire {
namespace {

constexpr std::string_view kScheme = "http://";
constexpr size_t kBatch = 32;  // rows read from the outbox at a time

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// "http://host:port" and "/path" of a checked URL.
std::pair<std::string, std::string> SplitUrl(const std::string& url) {
  const size_t path = url.find('/', kScheme.size());
  if (path == std::string::npos) return {url, "/"};
  return {url.substr(0, path), url.substr(path)};
}

}  // namespace

Status CheckWebhookUrl(const std::string& url) {
  if (url.starts_with("https://"))
    return Status::Usage("--webhook '" + url + "': https is not built in; give an http:// URL (a TLS proxy in front of the receiver, say)");
  const bool has_host = url.starts_with(kScheme) && url.size() > kScheme.size() && url[kScheme.size()] != '/';
  if (!has_host || url.find_first_of(" \t\r\n") != std::string::npos)
    return Status::Usage("--webhook '" + url + "': expected http://HOST[:PORT][/PATH]");
  if (!httplib::Client(SplitUrl(url).first).is_valid())
    return Status::Usage("--webhook '" + url + "': not a host and port factwire can reach");
  return {};
}

std::string WebhookSignature(const std::string& secret, const std::string& body) {
  return "sha256=" + HmacSha256Hex(secret, body);
}

WebhookSender::WebhookSender(Store* store, std::mutex* mutex, const WebhookOptions& options)
    : store_(store), store_mutex_(mutex), options_(options), thread_([this] { Work(); }) {}

WebhookSender::~WebhookSender() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void WebhookSender::Wake() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

std::string WebhookSender::Post(const Store::Delivery& delivery) const {
  const auto [host, path] = SplitUrl(delivery.url);
  httplib::Client client(host);
  const auto timeout = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::duration<double>(options_.timeout_seconds));
  client.set_connection_timeout(timeout);
  client.set_read_timeout(timeout);
  client.set_write_timeout(timeout);
  std::string body = delivery.json;
  if (!body.empty() && body.back() == '\n') body.pop_back();
  const httplib::Headers headers = {{"X-Factwire-Signature-256", WebhookSignature(options_.secret, body)},
                                    {"X-Factwire-Alert-Id", delivery.alert_id},
                                    {"X-Factwire-Attempt", std::to_string(delivery.attempts + 1)},
                                    {"User-Agent", "factwire"}};
  const httplib::Result answer = client.Post(path, headers, body, "application/json");
  if (!answer) return "no answer (" + httplib::to_string(answer.error()) + ")";
  if (answer->status < 200 || answer->status > 299) return "HTTP status " + std::to_string(answer->status);
  return "";
}

void WebhookSender::Work() {
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopping_) return;
      woken_ = false;
    }
    bool unmarked = false;
    Result<std::vector<Store::Delivery>> due = [&] {
      std::lock_guard<std::mutex> lock(*store_mutex_);
      return store_->DueDeliveries(NowMs(), kBatch);
    }();
    if (!due.ok()) std::cerr << "factwire: webhooks: reading the outbox failed: " << due.status().message() << "\n";
    for (const Store::Delivery& delivery : due.ok() ? due.value() : std::vector<Store::Delivery>{}) {
      const std::string error = Post(delivery);
      const int64_t attempt = delivery.attempts + 1;
      const double wait = std::min(options_.max_retry_seconds, options_.first_retry_seconds * std::pow(2.0, double(attempt - 1)));
      std::lock_guard<std::mutex> lock(*store_mutex_);
      const Status marked = error.empty() ? store_->Delivered(delivery)
                                          : store_->DeliveryFailed(delivery, NowMs() + int64_t(wait * 1000), error);
      if (!error.empty())
        std::cerr << "factwire: webhook " << delivery.url << ": alert " << delivery.alert_id << ": attempt " << attempt
                  << " failed: " << error << "; next in " << wait << " s\n";
      if (!marked.ok()) {
        std::cerr << "factwire: webhooks: " << marked.message() << "\n";
        unmarked = true;
      }
      std::lock_guard<std::mutex> own(mutex_);
      if (stopping_) return;
    }
    // The outbox cannot be read or updated: a row left due would be sent again at once.
    if (!due.ok() || unmarked) Pause(std::max(1.0, options_.first_retry_seconds));
    else if (due->size() < kBatch) Sleep();
  }
}

void WebhookSender::Pause(double seconds) {
  std::unique_lock<std::mutex> lock(mutex_);
  wake_.wait_for(lock, std::chrono::duration<double>(seconds), [&] { return stopping_; });
}

void WebhookSender::Sleep() {
  Result<std::optional<int64_t>> next = [&] {
    std::lock_guard<std::mutex> lock(*store_mutex_);
    return store_->NextDeliveryMs();
  }();
  // Without a due row, look again now and then: another process may share the outbox.
  int64_t wait_ms = 60'000;
  if (!next.ok()) wait_ms = 1'000;
  else if (next.value()) wait_ms = std::clamp<int64_t>(*next.value() - NowMs(), 0, wait_ms);
  std::unique_lock<std::mutex> lock(mutex_);
  wake_.wait_for(lock, std::chrono::milliseconds(wait_ms), [&] { return stopping_ || woken_; });
}

}  // namespace factwire
