#pragma once
// Names the calling thread (as top, perf and gdb show it) and says whether
// it does background work.
//
// Why priorities: a pipeline on few cores has serial stages (one reader,
// stages that must see records in order) and parallel ones (validation,
// compression). The scheduler shares a core fairly among runnable threads,
// so with more threads than cores a serial stage gets only its share and the
// parallel ones then wait for its output. Background threads run at a lower
// priority (nice +10, which any thread may take for itself): they use every
// cycle the serial stages leave, and never hold them up.
#include <string_view>

namespace marquee {

enum class ThreadPriority { Normal, Background };

// `name` is cut to the 15 bytes Linux keeps. Failures are ignored: names and
// priorities change only how fast the work is done, never what it does.
void set_thread_role(std::string_view name, ThreadPriority priority = ThreadPriority::Normal);

}  // namespace marquee
