#include "cli/environment.hpp"

#include <cstdlib>
#include <string>
#include <vector>

#include "common/error.hpp"

namespace marquee::cli {
namespace {

struct EnvironmentOption {
  CLI::App* command;
  CLI::Option* option;
  std::string variable;
  bool applied = false;
};

std::vector<EnvironmentOption>& registry() {
  static std::vector<EnvironmentOption> options;
  return options;
}

// How an error names a value that came from the variable.
std::string source_name(const EnvironmentOption& e) {
  return e.variable + " (the environment variable for " + e.option->get_name() + ")";
}

}  // namespace

void environment_option(CLI::App* command, CLI::Option* option, std::string variable) {
  option->description(option->get_description() + " (env: " + variable + ")");
  registry().push_back({command, option, std::move(variable)});
}

void apply_environment_options() {
  for (EnvironmentOption& e : registry()) {
    if (!e.command->parsed() || e.option->count() > 0) continue;
    const char* value = std::getenv(e.variable.c_str());
    if (value == nullptr || *value == '\0') continue;
    try {
      e.option->add_result(value);
      e.option->run_callback();
      e.applied = true;
    } catch (const CLI::ParseError& error) {
      // CLI11's message starts with the option's name; the user set the variable.
      std::string message = error.what();
      const std::string name = e.option->get_name();
      if (message.starts_with(name + ":")) message.erase(0, name.size() + 1);
      throw InputError(source_name(e) + ":" + message);
    }
  }
}

std::string name_value_source(std::string message, const std::string& option_name) {
  const bool names_it = message.starts_with(option_name) &&
                        (message.size() == option_name.size() || message[option_name.size()] == ' ' ||
                         message[option_name.size()] == ':');
  if (!names_it) return message;
  for (const EnvironmentOption& e : registry()) {
    if (e.applied && e.option->get_name() == option_name) {
      return message.replace(0, option_name.size(), source_name(e));
    }
  }
  return message;
}

}  // namespace marquee::cli
