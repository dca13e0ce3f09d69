#pragma once
// `marquee load` trusts nothing in a run directory: before any file is
// checked or loaded, the manifest's own fields are validated -- types, the
// schema version this Marquee reads, known keys and tables, the count
// identity, and that the run id is the directory's name. Each failure is an
// InputError (exit 2) naming the manifest and the field.
#include <filesystem>

#include <boost/json/object.hpp>

namespace marquee::job {

void check_manifest_fields(const boost::json::object& root, const std::filesystem::path& dir,
                           const std::filesystem::path& manifest_path);

}  // namespace marquee::job
