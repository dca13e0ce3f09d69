#pragma once
// Errors that end a command. Each carries the process exit code it maps to, so
// the CLI never has to guess: 2 = bad usage or unusable input (named in the
// message), 1 = the job ran and failed its own checks.
#include <stdexcept>
#include <string>

namespace marquee {

class Error : public std::runtime_error {
 public:
  Error(int exit_code, const std::string& message)
      : std::runtime_error(message), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }

 private:
  int exit_code_;
};

// Unusable input or parameters: missing file, bad archive, missing columns.
class InputError : public Error {
 public:
  explicit InputError(const std::string& message) : Error(2, message) {}
};

}  // namespace marquee
