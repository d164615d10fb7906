// kql-edge vector-config: a complete Vector configuration for `kql-edge serve` (YAML on stdout).
import type { Command } from 'commander';
import { parseSize } from '../options.js';
import { vectorConfig, VECTOR_DEFAULTS, type VectorConfigOptions } from '../../server/vector-config.js';
import type { CliIO } from '../io.js';

export { vectorConfig };

export function registerVectorConfig(program: Command, io: CliIO): void {
  program
    .command('vector-config')
    .description('print a Vector config: audit log -> http sink -> kql-edge serve -> http_server source -> sinks')
    .option('--audit-log <path>', 'the API server audit log', VECTOR_DEFAULTS.auditLog)
    .option('--kql-edge <host:port>', 'where kql-edge serve listens (--listen)', VECTOR_DEFAULTS.kqlEdgeListen)
    .option('--return <host:port>', "where Vector's http_server source listens (kql-edge --forward)", VECTOR_DEFAULTS.returnListen)
    .option('--data-dir <dir>', "Vector's data_dir", VECTOR_DEFAULTS.dataDir)
    .option('--records-path <template>', 'file sink path for all records', VECTOR_DEFAULTS.recordsPath)
    .option('--max-body <size>', "kql-edge serve's --max-body (the sink's batches stay below it)", parseSize, VECTOR_DEFAULTS.maxBodyBytes)
    .action((flags: { auditLog: string; kqlEdge: string; return: string; dataDir: string; recordsPath: string; maxBody: number }) => {
      const options: VectorConfigOptions = {
        auditLog: flags.auditLog,
        kqlEdgeListen: flags.kqlEdge,
        returnListen: flags.return,
        dataDir: flags.dataDir,
        recordsPath: flags.recordsPath,
        maxBodyBytes: flags.maxBody,
      };
      return io.out(vectorConfig(options));
    });
}
