#include "literal/value.hpp"

namespace marquee::literal {

const Value* Value::find(std::string_view key) const {
  const Dict* dict = as_dict();
  if (dict == nullptr) return nullptr;
  // The dataset's dicts hold 2 to 4 keys: a linear scan beats any index.
  // Scanning from the back makes a repeated key give its last value, as a
  // Python dict would; the parser keeps repeats rather than paying a
  // quadratic duplicate check on hostile input.
  for (auto entry = dict->rbegin(); entry != dict->rend(); ++entry) {
    const std::string* name = entry->first.as_string();
    if (name != nullptr && *name == key) return &entry->second;
  }
  return nullptr;
}

}  // namespace marquee::literal
