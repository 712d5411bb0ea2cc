import { countQueries } from './query-counter';

// Preloaded (`node -r`) into the worker that bench/certificates.ts spawns, to count the worker's statements from
// inside it: the server has no per-statement count without pg_stat_statements in shared_preload_libraries, and a
// benchmark should not reconfigure the server. Answers the benchmark over the IPC channel it was started with.
const queries = countQueries();
process.on('message', (message) => {
  if (message === 'queries') process.send?.({ queries: queries.count });
});
