import { DialectError } from '../errors';

/**
 * Redshift runs some functions on the leader node only and some on the compute nodes only
 * (c_SQL_functions_leader_node_only.html, c_SQL_functions_compute_node_only.html): a leader-node function
 * fails in a query that reads a user or system table (STL/STV/SVL/SVV), a compute-node function fails in a
 * query that reads none. PostgreSQL runs both anywhere, so the gate checks where each would run.
 */

type Node = Record<string, unknown>;

const LEADER_ONLY = new Set([
  'current_schema',
  'current_schemas',
  'has_database_privilege',
  'has_schema_privilege',
  'has_table_privilege',
]);
const COMPUTE_ONLY = new Set(['listagg', 'median', 'percentile_cont', 'percentile_disc']);
/** Catalog schemas the leader node answers from itself. */
const LEADER_SCHEMAS = new Set(['pg_catalog', 'information_schema']);

export function checkNodePlacement(stmt: Node): void {
  const functions = new Set<string>();
  const ctes = new Set<string>();
  const tables: { schema?: string; name: string }[] = [];
  const visit = (value: unknown, key?: string): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const node = value as Node;
    if (key === 'FuncCall') {
      const names = (node.funcname as Node[]).map((n) => String((n.String as Node).sval).toLowerCase());
      functions.add(names[names.length - 1]!);
    }
    if (key === 'CommonTableExpr' && typeof node.ctename === 'string') ctes.add(node.ctename);
    if ((key === 'RangeVar' || key === 'relation') && typeof node.relname === 'string') {
      tables.push({
        schema: typeof node.schemaname === 'string' ? node.schemaname : undefined,
        name: node.relname,
      });
    }
    for (const [inner, child] of Object.entries(node)) visit(child, inner);
  };
  visit(stmt);
  // A WITH query's name is not a table; unqualified pg_* names are the catalog's.
  const readsTables = tables.some(({ schema, name }) =>
    schema ? !LEADER_SCHEMAS.has(schema) : !ctes.has(name) && !name.startsWith('pg_'),
  );
  for (const name of functions) {
    if (readsTables && LEADER_ONLY.has(name)) {
      throw new DialectError(
        `function ${name} on a table`,
        `function ${name} runs on the leader node only and cannot be used in a query that reads tables`,
      );
    }
    if (!readsTables && COMPUTE_ONLY.has(name)) {
      throw new DialectError(
        `function ${name} without a table`,
        `One or more of the used functions must be applied on at least one user created table (${name})`,
      );
    }
  }
}
