#include "store/libpq.hpp"

#include <dlfcn.h>

#include <string>

#include "store/connection.hpp"

namespace marquee::store {
namespace {

LibPq load() {
  // RTLD_LOCAL: libpq's own dependencies stay out of the global namespace.
  void* library = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    const char* error = dlerror();
    throw DatabaseError(std::string("PostgreSQL needs libpq (Debian package libpq5): ") +
                        (error != nullptr ? error : "libpq.so.5 not found"));
  }
  LibPq functions;
#define MARQUEE_LIBPQ_RESOLVE(name)                                                                    \
  functions.name = reinterpret_cast<decltype(&::name)>(dlsym(library, #name));                        \
  if (functions.name == nullptr) throw DatabaseError("libpq.so.5 lacks " #name ": libpq too old");
  MARQUEE_LIBPQ_FUNCTIONS(MARQUEE_LIBPQ_RESOLVE)
#undef MARQUEE_LIBPQ_RESOLVE
  return functions;  // the library stays loaded for the life of the process
}

}  // namespace

const LibPq& pq() {
  // A static whose initialization throws is initialized again by the next
  // call: a failed load is retried, and each caller gets the error.
  static const LibPq functions = load();
  return functions;
}

}  // namespace marquee::store
