// Webhook delivery: a thread that empties the database's outbox (store/store.h) by
// POSTing each alert to its URL, signed, and retries a failure with a growing wait.
//
// Input:  outbox rows (Store::PutAlert writes them with their alert).
// Output: POST URL, body the alert's JSON line, with the headers
//           X-Factwire-Signature-256: sha256=HEX  (HMAC-SHA256 of the body under the secret)
//           X-Factwire-Alert-Id: ID                (the same on every attempt: deduplicate by it)
//           X-Factwire-Attempt: N                  (1 for the first)
//         A 2xx answer marks the row delivered; anything else (no connection, a timeout,
//         another status) schedules the next attempt first_retry_seconds * 2^(N-1) later,
//         at most max_retry_seconds, and says so on stderr.
// Invariants: a row leaves the outbox only after a 2xx, so each alert reaches each URL
//         at least once, also across restarts; rows due at once go out oldest first.
// Thread-safety: Wake may be called from any thread; the store is used under `mutex`.
#ifndef FACTWIRE_MONITOR_WEBHOOKS_H_
#define FACTWIRE_MONITOR_WEBHOOKS_H_

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "factwire/status.h"
#include "monitor/monitor.h"
#include "store/store.h"

namespace factwire {

// kUsage unless `url` is http://HOST[:PORT][/PATH].
Status CheckWebhookUrl(const std::string& url);
// The X-Factwire-Signature-256 value of `body`.
std::string WebhookSignature(const std::string& secret, const std::string& body);

class WebhookSender {
 public:
  // Starts the thread; `store` and `mutex` must outlive the sender.
  WebhookSender(Store* store, std::mutex* mutex, const WebhookOptions& options);
  ~WebhookSender();  // stops the thread after the delivery in flight
  WebhookSender(const WebhookSender&) = delete;  // owns a thread
  WebhookSender& operator=(const WebhookSender&) = delete;

  // Something entered the outbox: look now rather than at the next due time.
  void Wake();

 private:
  void Work();
  // Posts one delivery; empty when the receiver answered 2xx, else what went wrong.
  std::string Post(const Store::Delivery& delivery) const;
  // Waits until the next row is due, Wake or the sender stops.
  void Sleep();
  // Waits `seconds` or until the sender stops, whatever Wake says.
  void Pause(double seconds);

  Store* store_;
  std::mutex* store_mutex_;
  WebhookOptions options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool woken_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace factwire

#endif  // FACTWIRE_MONITOR_WEBHOOKS_H_
