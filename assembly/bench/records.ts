// The records the interpreter-proxy modules run over. This default is empty; the benchmark serves a
// generated version from memory (records as one data segment, NUL-terminated, plus an index).
/** Base of the records. */
export const RECORDS: usize = 0;
/** Per record: u32 offset from RECORDS, u32 length (without the NUL). */
export const RECORD_INDEX: usize = 0;
export const RECORD_COUNT: i32 = 0;
/** How many times bench_run goes over all records. */
export const PASSES: i32 = 1;
/** Host time given with every record, ms. */
export const HOST_TIME_MS: i64 = 0;
