#pragma once
// Options that an environment variable may set (MARQUEE_ROLLUP_MEMORY).
//
// Not CLI11's envname for options that validate their value: CLI11 2.1 fills
// such an option on every subcommand that declares it, whichever one runs,
// so one bad value stopped every command (`marquee serve` and `marquee runs`
// included) with a message naming the option, which the user never typed.
// These are applied after parsing, only to the subcommand that runs, and a
// bad value's message names the variable.
#include <string>

#include <CLI/CLI.hpp>

namespace marquee::cli {

// `option` of `command` takes the value of `variable` when the command line
// does not give it. Adds "(env: VARIABLE)" to the option's help.
void environment_option(CLI::App* command, CLI::Option* option, std::string variable);

// For the commands that were parsed. Throws InputError naming the variable
// when its value is not one the option accepts.
void apply_environment_options();

}  // namespace marquee::cli
