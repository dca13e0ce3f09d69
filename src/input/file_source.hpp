#pragma once
// Internal to src/input: the plain-file source behind open_input().
#include <memory>
#include <string>

#include "input/byte_source.hpp"

namespace marquee::input {

// Opens `path` for reading as-is; its name() is the path.
// Throws marquee::InputError naming the path when it cannot be opened.
std::unique_ptr<ByteSource> open_file_source(const std::string& path);

}  // namespace marquee::input
