#pragma once
// libpq, loaded when PostgreSQL is first used rather than at every start.
//
// Why: libpq brings some twenty shared libraries with it (Kerberos, LDAP,
// GnuTLS, SASL...). Linked normally, the dynamic loader maps and relocates
// them all before main(), which cost about 3 ms of every command's start:
// most of `marquee --help`, and 7% of an ETL of the real sample, neither of
// which touches PostgreSQL. Only the functions Marquee calls are looked up.
//
// Use: pq().PQexec(conn, sql) where the libpq API is PQexec(conn, sql); the
// types and constants still come from <libpq-fe.h>.
#include <libpq-fe.h>

namespace marquee::store {

#define MARQUEE_LIBPQ_FUNCTIONS(X)                                                                 \
  X(PQconnectdb) X(PQstatus) X(PQfinish) X(PQerrorMessage) X(PQexec) X(PQexecParams)             \
  X(PQresultStatus) X(PQresultErrorMessage) X(PQclear) X(PQntuples) X(PQnfields) X(PQfname)       \
  X(PQftype) X(PQgetvalue) X(PQgetlength) X(PQgetisnull) X(PQputCopyData) X(PQputCopyEnd)         \
  X(PQgetResult) X(PQnotifies) X(PQfreemem) X(PQconsumeInput) X(PQsocket) X(PQtransactionStatus) \
  X(PQsetNoticeProcessor) X(PQcmdTuples)

struct LibPq {
#define MARQUEE_LIBPQ_POINTER(name) decltype(&::name) name = nullptr;
  MARQUEE_LIBPQ_FUNCTIONS(MARQUEE_LIBPQ_POINTER)
#undef MARQUEE_LIBPQ_POINTER
};

// Loads libpq (libpq.so.5) on the first call. Throws DatabaseError saying
// which package provides it when it cannot be loaded.
const LibPq& pq();

}  // namespace marquee::store
