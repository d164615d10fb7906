// The rule program built into the module. This file is the empty default of the generic evaluator
// (which takes its program from the host through kqe_load_program); `kql-edge build` compiles the
// module with a generated version of this file that holds the program's bytes.
export const EMBEDDED_PROGRAM: usize = 0;
export const EMBEDDED_PROGRAM_LENGTH: u32 = 0;
