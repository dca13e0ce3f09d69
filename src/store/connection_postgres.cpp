// The production backend over libpq (the C client: Debian 12 ships libpqxx
// 6.4, and COPY plus text results are all Marquee needs).
#include "store/libpq.hpp"

#include <fmt/format.h>

#include "store/connection.hpp"
#include "store/value_text.hpp"

namespace marquee::store::detail {
namespace {

constexpr Oid kBoolOid = 16;

struct ResultDeleter {
  void operator()(PGresult* r) const { pq().PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

std::string trimmed(const char* message) {
  std::string s = message ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

void append_copy_text(std::string& out, std::string_view text) {
  for (const char c : text) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\0': out += "\xEF\xBF\xBD"; break;
      default: out += c;
    }
  }
}

// COPY ... FROM STDIN in text format, buffered in chunks.
class CopyLoader : public table::TableWriter {
 public:
  CopyLoader(PGconn* conn, const table::Schema& schema, std::string_view target_table,
             std::string_view run_id, std::string target)
      : conn_(conn), schema_(schema), target_(std::move(target)) {
    append_copy_text(run_id_, run_id);
    std::string columns = "run_id";
    for (const auto& c : schema_.columns) columns += ", " + quote_identifier(c.name);
    const std::string sql =
        fmt::format("COPY {} ({}) FROM STDIN", quote_identifier(target_table), columns);
    PgResult r(pq().PQexec(conn_, sql.c_str()));
    if (pq().PQresultStatus(r.get()) != PGRES_COPY_IN) {
      throw DatabaseError(fmt::format("postgresql {}: cannot start COPY into {}: {}", target_,
                                      target_table, trimmed(pq().PQerrorMessage(conn_))));
    }
    active_ = true;
  }
  ~CopyLoader() override {
    // Abandoned (an exception elsewhere): end the COPY so the session stays
    // usable; the caller rolls the transaction back.
    if (active_) {
      pq().PQputCopyEnd(conn_, "load abandoned");
      while (PGresult* r = pq().PQgetResult(conn_)) pq().PQclear(r);
    }
  }

  void write_row(std::span<const table::Cell> row) override {
    table::check_row(schema_, row);
    buffer_ += run_id_;
    for (std::size_t i = 0; i < row.size(); ++i) {
      buffer_ += '\t';
      append_cell(row[i], schema_.columns[i].type);
    }
    buffer_ += '\n';
    ++rows_;
    if (buffer_.size() >= (1u << 20)) flush();
  }

  void finish() override {
    if (!active_) return;
    flush();
    active_ = false;
    if (pq().PQputCopyEnd(conn_, nullptr) != 1) fail("ending COPY");
    std::string error;
    std::string copied;
    while (PGresult* r = pq().PQgetResult(conn_)) {
      if (pq().PQresultStatus(r) != PGRES_COMMAND_OK && error.empty()) error = trimmed(pq().PQresultErrorMessage(r));
      if (pq().PQresultStatus(r) == PGRES_COMMAND_OK) copied = pq().PQcmdTuples(r);
      pq().PQclear(r);
    }
    if (!error.empty()) {
      throw DatabaseError(fmt::format("postgresql {}: loading {}: {}", target_, schema_.name, error));
    }
    // The server's own count ("COPY n"): the rows it stored, not only sent.
    if (copied != std::to_string(rows_)) {
      throw DatabaseError(fmt::format("postgresql {}: loading {}: sent {} rows, the server stored {}", target_,
                                      schema_.name, rows_, copied));
    }
  }
  std::uint64_t rows_written() const override { return rows_; }
  const table::Schema& schema() const override { return schema_; }

 private:
  void append_cell(const table::Cell& cell, table::Type type) {
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, table::Null>) {
            buffer_ += "\\N";
          } else if constexpr (std::is_same_v<T, std::int32_t>) {
            buffer_ += type == table::Type::Date ? date_text(v) : std::to_string(v);
          } else if constexpr (std::is_same_v<T, std::int64_t>) {
            buffer_ += std::to_string(v);
          } else if constexpr (std::is_same_v<T, double>) {
            buffer_ += double_text(v);
          } else if constexpr (std::is_same_v<T, bool>) {
            buffer_ += v ? 't' : 'f';
          } else {
            append_copy_text(buffer_, v);
          }
        },
        cell);
  }
  void flush() {
    if (buffer_.empty()) return;
    if (pq().PQputCopyData(conn_, buffer_.data(), static_cast<int>(buffer_.size())) != 1) fail("sending COPY data");
    buffer_.clear();
  }
  [[noreturn]] void fail(const char* what) {
    throw DatabaseError(fmt::format("postgresql {}: {} for {}: {}", target_, what, schema_.name,
                                    trimmed(pq().PQerrorMessage(conn_))));
  }

  PGconn* conn_;
  table::Schema schema_;
  std::string target_;
  std::string run_id_;
  std::string buffer_;
  std::uint64_t rows_ = 0;
  bool active_ = false;
};

class PostgresConnection : public Connection {
 public:
  explicit PostgresConnection(const std::string& url) : target_(redact_url(url)) {
    conn_ = pq().PQconnectdb(url.c_str());
    if (pq().PQstatus(conn_) != CONNECTION_OK) {
      const std::string message = trimmed(pq().PQerrorMessage(conn_));
      pq().PQfinish(conn_);
      throw DatabaseError(fmt::format("cannot connect to PostgreSQL {}: {}", target_, message));
    }
    // Fixed session settings so results read the same everywhere: ISO dates,
    // shortest exact doubles, UTF-8, and no notices on stderr.
    pq().PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
    execute("SET client_encoding = 'UTF8'; SET DateStyle = 'ISO, YMD'; SET extra_float_digits = 1; "
            "SET TimeZone = 'UTC'");
  }
  ~PostgresConnection() override { pq().PQfinish(conn_); }

  std::string_view dialect() const override { return "postgresql"; }
  std::string target() const override { return target_; }

  void execute(std::string_view sql) override {
    const std::string text(sql);
    PgResult r(pq().PQexec(conn_, text.c_str()));
    check(r.get(), text);
  }

  Result query(std::string_view sql, std::span<const Param> params) override {
    std::vector<std::string> storage(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (std::size_t i = 0; i < params.size(); ++i) {
      std::visit(
          [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>) {
              return;
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
              storage[i] = std::to_string(v);
            } else if constexpr (std::is_same_v<T, double>) {
              storage[i] = double_text(v);
            } else {
              storage[i] = v;
            }
            values[i] = storage[i].c_str();
          },
          params[i]);
    }
    const std::string text(sql);
    PgResult r(pq().PQexecParams(conn_, text.c_str(), static_cast<int>(params.size()), nullptr,
                            values.data(), nullptr, nullptr, 0));
    check(r.get(), text);
    return to_result(r.get());
  }

  void begin() override { execute("BEGIN"); }
  void commit() override { execute("COMMIT"); }
  void rollback() override {
    if (pq().PQtransactionStatus(conn_) != PQTRANS_IDLE) execute("ROLLBACK");
  }
  void set_lock_timeout(std::chrono::milliseconds timeout) override {
    execute(fmt::format("SET lock_timeout = {}", timeout.count()));
  }

  std::unique_ptr<table::TableWriter> bulk_loader(const table::Schema& schema,
                                                  std::string_view target_table,
                                                  std::string_view run_id) override {
    return std::make_unique<CopyLoader>(conn_, schema, target_table, run_id, target_);
  }

 private:
  void check(PGresult* r, const std::string& sql) {
    const auto status = pq().PQresultStatus(r);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
    std::string message = trimmed(r ? pq().PQresultErrorMessage(r) : pq().PQerrorMessage(conn_));
    if (message.empty()) message = trimmed(pq().PQerrorMessage(conn_));
    std::string_view first_line = sql;
    first_line = first_line.substr(0, std::min(first_line.find('\n'), std::size_t{120}));
    throw DatabaseError(fmt::format("postgresql {}: {} (in: {})", target_, message, first_line));
  }

  static Result to_result(PGresult* r) {
    Result result;
    const int columns = pq().PQnfields(r);
    const int rows = pq().PQntuples(r);
    for (int c = 0; c < columns; ++c) result.columns.emplace_back(pq().PQfname(r, c));
    result.rows.reserve(static_cast<std::size_t>(rows));
    for (int i = 0; i < rows; ++i) {
      auto& row = result.rows.emplace_back();
      row.reserve(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        if (pq().PQgetisnull(r, i, c)) {
          row.emplace_back(std::nullopt);
        } else if (pq().PQftype(r, c) == kBoolOid) {
          row.emplace_back(pq().PQgetvalue(r, i, c)[0] == 't' ? "true" : "false");
        } else {
          row.emplace_back(std::string(pq().PQgetvalue(r, i, c), static_cast<std::size_t>(pq().PQgetlength(r, i, c))));
        }
      }
    }
    return result;
  }

  std::string target_;
  PGconn* conn_ = nullptr;
};

}  // namespace

std::unique_ptr<Connection> connect_postgres(const std::string& url) {
  return std::make_unique<PostgresConnection>(url);
}

}  // namespace marquee::store::detail
