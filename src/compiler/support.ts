// KQL that parses but that the module does not evaluate: such a rule is loaded as skipped with the
// reason (never run with another meaning). Syntax errors are left to the compiler, which reports them
// with the file, line and column.
import { parseKql } from '../kql/parser.js';
import { visitKql } from '../kql/walk.js';

export function kqlSkipReason(query: string): string | undefined {
  let ast;
  try {
    ast = parseKql(query);
  } catch {
    return undefined;
  }
  let found: string | undefined;
  visitKql(ast, (node, context) => {
    if (found) return 'skip';
    if ((node.kind === 'is' || node.kind === 'range') && (!node.field || node.field.pattern) && context.nestedPath.length > 0) {
      found = `field-less values and wildcard field names inside a nested query are not supported by the kql-edge module (line ${node.pos.line}, column ${node.pos.column} of the query)`;
    }
  });
  return found;
}
