#pragma once
// Options that an environment variable may set (MARQUEE_ROLLUP_MEMORY,
// MARQUEE_STATSD, MARQUEE_EVENTS, MARQUEE_ARCHIVE).
//
// Not CLI11's envname: CLI11 2.1 fills such an option on every subcommand
// that declares it, whichever one runs, and runs those options' callbacks.
// So one bad MARQUEE_ROLLUP_MEMORY stopped every command (`marquee serve`
// and `marquee runs` included) with a message naming the option, which the
// user never typed; and where subcommands share a variable (--statsd,
// --events), a later subcommand's copy of the environment's value overwrote
// what the command line gave. These are applied after parsing, only to the
// subcommand that runs and only when its command line does not give them,
// and a bad value's message names the variable.
#include <string>

#include <CLI/CLI.hpp>

namespace marquee::cli {

// `option` of `command` takes the value of `variable` when the command line
// does not give it. Adds "(env: VARIABLE)" to the option's help.
void environment_option(CLI::App* command, CLI::Option* option, std::string variable);

// For the commands that were parsed. Throws InputError naming the variable
// when its value is not one the option accepts.
void apply_environment_options();

// `message` (an error about an option's value that starts with the option's
// name, as "--statsd 'x': ...") naming the variable instead when the running
// command took that value from it.
std::string name_value_source(std::string message, const std::string& option_name);

}  // namespace marquee::cli
