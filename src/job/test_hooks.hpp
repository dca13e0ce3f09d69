#pragma once
// TEST HOOK, for the crash-safety tests only (tests/store/crash.sh): when the
// environment variable MARQUEE_TEST_PAUSE_AT names a point, the job prints
//   marquee: test pause at <point> (pid <pid>)
// to stderr and sleeps there (MARQUEE_TEST_PAUSE_SECONDS, default 60) so the
// test can kill -9 it at a known place. Points of `marquee run` (load and
// publish: of `marquee load --publish` too):
//   transform   while reading and validating the input
//   parquet     while writing the Parquet files (the first table is complete)
//   load        inside the load transaction (the first table is loaded)
//   publish     after the load committed, before the publish transaction
// Unset (always, in production) it costs one getenv per point.
#include <string_view>

namespace marquee::job {

void pause_point(std::string_view point);

}  // namespace marquee::job
