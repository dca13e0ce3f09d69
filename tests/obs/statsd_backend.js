// A StatsD backend for the tests: on every flush, adds what the daemon
// aggregated (counters summed, every timer value, last gauge) to running
// totals and writes them to the JSON file named by config.marqueeTotalsFile,
// so a test reads exactly what the real daemon received and parsed.
const fs = require("fs");

exports.init = function (startupTime, config, events) {
  const totals = { counters: {}, timers: {}, gauges: {}, bad_lines_seen: 0 };
  events.on("flush", function (timestamp, metrics) {
    for (const [name, value] of Object.entries(metrics.counters)) {
      if (name.startsWith("statsd.")) {
        if (name === "statsd.bad_lines_seen") totals.bad_lines_seen += value;
        continue;
      }
      totals.counters[name] = (totals.counters[name] || 0) + value;
    }
    for (const [name, values] of Object.entries(metrics.timers)) {
      if (values.length) totals.timers[name] = (totals.timers[name] || []).concat(values);
    }
    for (const [name, value] of Object.entries(metrics.gauges)) {
      if (!name.startsWith("statsd.")) totals.gauges[name] = value;
    }
    const tmp = config.marqueeTotalsFile + ".tmp";
    fs.writeFileSync(tmp, JSON.stringify(totals));
    fs.renameSync(tmp, config.marqueeTotalsFile);
  });
  return true;
};
