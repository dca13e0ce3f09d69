#pragma once
// Internal to src/input: streams one member of a zip archive (libzip), never
// extracting it to disk.
#include <memory>
#include <string>

#include <zip.h>

#include "input/byte_source.hpp"

namespace marquee::input {

// Opens the member of archive `path` whose base name is exactly `member`, at
// any depth (the shallowest one wins, then the first in the directory).
// Throws marquee::InputError naming the path (and member) when the archive is
// unreadable or corrupt, or has no such member.
std::unique_ptr<ByteSource> open_zip_source(const std::string& path, const std::string& member);

// The same for an archive already opened (e.g. from a zip_source_t over S3);
// takes ownership of `archive`. `path` names it in messages.
std::unique_ptr<ByteSource> open_zip_archive(zip_t* archive, const std::string& path, const std::string& member);

}  // namespace marquee::input
