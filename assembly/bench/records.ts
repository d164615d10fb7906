// What the interpreter-proxy modules run: records and rule programs built in as data. This default
// is empty; the benchmark serves a generated version from memory.
/** Base of the records. */
export const RECORDS: usize = 0;
/** Per record: u32 offset from RECORDS, u32 length (without the NUL that follows each record). */
export const RECORD_INDEX: usize = 0;
export const RECORD_COUNT: i32 = 0;
/** Base of the rule programs (the evaluator proxy installs one of them). */
export const PROGRAMS: usize = 0;
/** Per program: u32 offset from PROGRAMS, u32 length. */
export const PROGRAM_INDEX: usize = 0;
export const PROGRAM_COUNT: i32 = 0;
/** Host time given with every record, ms. */
export const HOST_TIME_MS: i64 = 0;
/**
 * [magic, BIAS + passes, BIAS + collect, BIAS + program, BIAS + stride] (u32 each): how many times
 * bench_run goes over the records (1..254); whether it calls __collect() before each record (1)
 * like the filter does, or not (0); which built-in program the evaluator proxy installs; every
 * how many records it takes one (1 = all: slow modules are measured on a sample). Kept in memory,
 * not constants, so the benchmark can patch one built module into variants without compiling
 * again; no zero byte, so the optimiser keeps the cell in one piece.
 */
export const BENCH_CONFIG: usize = memory.data<u32>([0x7e57c0de, 0x01010102, 0x01010102, 0x01010101, 0x01010102]);
export const CONFIG_BIAS: u32 = 0x01010101;
