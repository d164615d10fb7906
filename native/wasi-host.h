/*
 * Interface between the module-independent WASI host (wasi-host.c) and the
 * small glue file generated per module (src/engines/native-glue.ts).
 *
 * wasm2c is always run with module name "module", so the translated module's
 * header is "module.h" and its instance type is Z_module_instance_t. What
 * still differs between modules (which import modules `instantiate` takes,
 * whether memory and `_start` are exported, which `() -> i32` functions can
 * be called) is answered by the glue functions below.
 */
#ifndef KQL_EDGE_WASI_HOST_H
#define KQL_EDGE_WASI_HOST_H

#include "module.h"

/* Host state behind the `wasi_snapshot_preview1` import module. */
struct Z_wasi_snapshot_preview1_instance_t;
/* Host state behind the `env` import module (AssemblyScript's abort/seed). */
struct Z_env_instance_t;

typedef u32 (*glue_i32_export_fn)(Z_module_instance_t*);

/* Guest argv[0]: the wasm file's base name, so both engines agree. */
extern const char glue_program_name[];

/* Calls Z_module_instantiate with the import instances it takes. */
void glue_instantiate(Z_module_instance_t* instance,
                      struct Z_wasi_snapshot_preview1_instance_t* wasi,
                      struct Z_env_instance_t* env);

/* The exported linear memory, or NULL when the module exports none. The
 * pointer is valid before instantiation (it points into `instance`). */
wasm_rt_memory_t* glue_memory(Z_module_instance_t* instance);

/* Runs the exported `_start`; returns 0 when the module has none. */
int glue_run_start(Z_module_instance_t* instance);

/* The exported `() -> i32` function with that name, or NULL. */
glue_i32_export_fn glue_find_i32_export(const char* name);

/* Space-separated names of the `() -> i32` exports, for error messages. */
extern const char glue_i32_export_names[];

/* Implemented by the host, for the glue's fallback imports: traps after the
 * caller has written its own message, so the host adds no "wasm trap" line. */
WASM_RT_NO_RETURN void host_trap_after_message(void);

#endif
