#pragma once
// Each group of subcommands lives in a file of its own and registers itself
// here: it adds its CLI11 subcommands and says what to run when one is chosen.
// main() only parses, dispatches and maps errors to exit codes.
#include <functional>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

namespace marquee::cli {

using Runner = std::function<int()>;  // returns the process exit code

class Commands {
 public:
  void add(CLI::App* subcommand, Runner run) { list_.emplace_back(subcommand, std::move(run)); }
  const std::vector<std::pair<CLI::App*, Runner>>& list() const { return list_; }

 private:
  std::vector<std::pair<CLI::App*, Runner>> list_;
};

void add_etl_commands(CLI::App& app, Commands& commands);       // etl, generate
void add_storage_commands(CLI::App& app, Commands& commands);   // run, load, migrate, runs, publish
void add_api_commands(CLI::App& app, Commands& commands);       // serve, token

}  // namespace marquee::cli
