#pragma once
#include <memory>
#include <string>
#include <string_view>

namespace marquee {

// Incremental SHA-256 over OpenSSL's EVP interface.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(const void* data, std::size_t size);
  void update(std::string_view s) { update(s.data(), s.size()); }
  // Lower-case hex digest; the object cannot be updated afterwards.
  std::string hex_digest();

  static std::string of(std::string_view data);
  // Hashes a whole file; throws marquee::InputError naming the path on failure.
  static std::string of_file(const std::string& path);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace marquee
