// `marquee split INPUT --parts N --out DIR`: cut a big CSV into N part files
// at record boundaries, header in each, for sharded transforms
// (csv/splitter.hpp, docs/SCALE.md).
#include <iostream>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "csv/splitter.hpp"

namespace marquee::cli {

struct SplitArgs {
  std::string input;
  std::size_t parts = 2;
  std::string out;
};

void add_split_command(CLI::App& app, Commands& commands) {
  auto args = std::make_shared<SplitArgs>();
  auto* cmd = app.add_subcommand(
      "split", "Cut a CSV file into N parts at record boundaries, each with the header (for sharded etl)");
  cmd->add_option("input", args->input, "The CSV file (movies_metadata.csv format)")->required();
  cmd->add_option("--parts", args->parts, "Number of part files")->check(CLI::Range(1, 999))->required();
  cmd->add_option("--out", args->out, "Directory for part-001.csv ...")->required();
  commands.add(cmd, [args] {
    const auto parts = csv::split_csv(args->input, args->parts, args->out);
    for (const auto& p : parts)
      std::cout << fmt::format("{}\t{} bytes\t{} records\tfrom line {}\n", p.path.string(), p.bytes, p.records,
                               p.first_line);
    return 0;
  });
}

}  // namespace marquee::cli
