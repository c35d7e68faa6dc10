/**
 * Preloaded (`node --import`) by `npm start` into every process it runs. If the
 * supervisor dies without stopping its children (kill -9), a child notices being
 * re-parented and stops itself as on SIGTERM, instead of holding its port.
 */
const parent = process.ppid;
const timer = setInterval(() => {
  if (process.ppid === parent) return;
  clearInterval(timer);
  process.stderr.write(`the supervising process (${parent}) is gone; stopping\n`);
  process.kill(process.pid, 'SIGTERM');
}, 1_000);
timer.unref();
