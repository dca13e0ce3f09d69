#pragma once
// Text forms shared by both connections, so SQLite and PostgreSQL give
// byte-identical results and loads (see connection.hpp). Internal to src/store.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "store/connection.hpp"
#include "table/cell.hpp"

namespace marquee::store::detail {

// Shortest text that reads back to exactly `value` ("0.1", "1e+20", "nan").
std::string double_text(double value);
// 'YYYY-MM-DD' for days since 1970-01-01.
std::string date_text(std::int32_t days);
// `text` with every U+0000 replaced by U+FFFD.
std::string without_nul(std::string_view text);
// The URL with any password replaced by "***", for messages.
std::string redact_url(std::string_view url);
// SQL identifier quoting: "name" with inner quotes doubled.
std::string quote_identifier(std::string_view name);

std::unique_ptr<Connection> connect_sqlite(const std::string& path);
// A session on a new SQLite file that SQLite itself builds: no journal, no
// syncs, exclusive, 16 KiB pages. Run files are written by sqlite_file/
// instead; this builds what its tests and benchmark compare them with.
std::unique_ptr<Connection> create_sqlite_run_file(const std::string& path);
std::unique_ptr<Connection> connect_postgres(const std::string& url);

}  // namespace marquee::store::detail
