#include "job/manifest.hpp"

#include <charconv>

#include <boost/json.hpp>

#include "marquee/version.hpp"

namespace marquee::job {
namespace {

namespace bj = boost::json;

void pretty(std::string& out, const bj::value& v, int indent) {
  const std::string pad(static_cast<std::size_t>(indent + 2), ' ');
  const std::string close_pad(static_cast<std::size_t>(indent), ' ');
  if (v.is_object() && !v.as_object().empty()) {
    out += "{\n";
    bool first = true;
    for (const auto& [key, value] : v.as_object()) {
      if (!first) out += ",\n";
      first = false;
      out += pad + bj::serialize(bj::value(key)) + ": ";
      pretty(out, value, indent + 2);
    }
    out += "\n" + close_pad + "}";
  } else if (v.is_array() && !v.as_array().empty()) {
    out += "[\n";
    bool first = true;
    for (const auto& value : v.as_array()) {
      if (!first) out += ",\n";
      first = false;
      out += pad;
      pretty(out, value, indent + 2);
    }
    out += "\n" + close_pad + "]";
  } else if (v.is_double()) {
    // Boost.JSON writes 0.01 as 1E-2; the shortest round-trip form reads better.
    char buf[32];
    out.append(buf, std::to_chars(buf, buf + sizeof buf, v.as_double()).ptr);
  } else {
    out += bj::serialize(v);
  }
}

}  // namespace

std::string pretty_json(const boost::json::value& value) {
  std::string out;
  pretty(out, value, 0);
  out += '\n';
  return out;
}

std::string to_json(const Manifest& m) {
  bj::object root;
  root["marquee_version"] = kVersion;
  root["schema_version"] = kSchemaVersion;
  root["status"] = m.succeeded ? "succeeded" : "failed";
  if (!m.succeeded) root["failure"] = m.failure;
  root["input"] = {{"name", m.input_name}, {"size", m.input_size}, {"sha256", m.input_sha256}};
  root["format"] = m.format;
  root["max_reject_ratio"] = m.max_reject_ratio;
  root["counts"] = {{"records_read", m.counts.records_read},
                    {"movies_kept", m.counts.movies_kept},
                    {"rejected", m.counts.rejected},
                    {"repaired", m.counts.repaired},
                    {"duplicates", m.counts.duplicates},
                    {"warnings", m.counts.warnings}};
  if (m.ratings) root["ratings"] = *m.ratings;
  bj::object diagnostics;
  for (const auto& [key, n] : m.diagnostics) diagnostics[key] = n;
  root["diagnostics"] = std::move(diagnostics);
  bj::object tables;
  for (const TableEntry& t : m.tables) tables[t.name] = {{"file", t.file}, {"rows", t.rows}};
  root["tables"] = std::move(tables);
  bj::object timings;
  for (const auto& [name, ms] : m.timings_ms) timings[name] = ms;
  root["timings_ms"] = std::move(timings);
  return pretty_json(root);
}

}  // namespace marquee::job
