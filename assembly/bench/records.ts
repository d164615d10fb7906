// The records the interpreter-proxy modules run over. This default is empty; the benchmark serves a
// generated version from memory (records as one data segment, NUL-terminated, plus an index).
/** Base of the records. */
export const RECORDS: usize = 0;
/** Per record: u32 offset from RECORDS, u32 length (without the NUL). */
export const RECORD_INDEX: usize = 0;
export const RECORD_COUNT: i32 = 0;
/** Host time given with every record, ms. */
export const HOST_TIME_MS: i64 = 0;
/**
 * [magic u32, BIAS + passes u32, BIAS + collect u32]: how many times bench_run goes over all
 * records (1..255), and whether it calls __collect() before each record (1) like the filter does,
 * or not (0). Kept in memory, not constants, so the benchmark can patch one built module into
 * variants without compiling again; no zero byte, so the optimiser keeps the cell in one piece.
 */
export const BENCH_CONFIG: usize = memory.data<u32>([0x7e57c0de, 0x01010101, 0x01010101]);
export const CONFIG_BIAS: u32 = 0x01010100;
