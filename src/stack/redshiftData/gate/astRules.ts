import { DialectError } from '../errors';
import { checkNodePlacement } from './nodePlacement';
import { REDSHIFT_FUNCTIONS, SYNTAX_FUNCTIONS, unsupportedFunctionReason } from './redshiftFunctions';
import {
  ALTER_TABLE,
  REFUSED_NODES,
  REFUSED_STATEMENTS,
  STATEMENTS,
  TRANSACTIONS_REFUSED,
  UNSUPPORTED_TYPES,
} from './unsupported';

/**
 * The checks on PostgreSQL's parse tree (libpg-query's JSON) that tell Redshift SQL from PostgreSQL-only SQL.
 * Sources: docs.aws.amazon.com/redshift/latest/dg/c_unsupported-postgresql-features.html, …-datatypes.html,
 * …-functions.html and the statement synopses (r_SELECT_synopsis, r_INSERT_30, r_CREATE_TABLE_NEW).
 */

type Node = Record<string, unknown>;

/** PostgreSQL's window frame option bits (nodes/parsenodes.h). */
const FRAME_NONDEFAULT = 0x1;
const FRAME_RANGE = 0x2;
const FRAME_GROUPS = 0x8;
const ACCESS_EXCLUSIVE_LOCK = 8;

/** Checks one top-level statement node; throws `DialectError` naming the first construct Redshift lacks. */
export function checkStatement(stmt: Node): void {
  const [kind] = Object.keys(stmt);
  if (!kind) throw new DialectError('an empty statement');
  if (!STATEMENTS.has(kind)) {
    throw new DialectError(REFUSED_STATEMENTS[kind] ?? `${kind.replace(/Stmt$/, '')} statements`);
  }
  walk(stmt);
  checkNodePlacement(stmt);
}

/**
 * Fields whose node type the JSON leaves implicit: a node in a `Node` union is wrapped in its type name
 * (`{"RangeVar": {…}}`), a field declared with one node type holds it bare (`"relation": {…}`).
 */
const BARE_FIELDS: Record<string, string> = {
  relation: 'RangeVar',
  typeName: 'TypeName',
  into: 'IntoClause',
  over: 'WindowDef',
};

function walk(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item);
    return;
  }
  if (!value || typeof value !== 'object') return;
  for (const [key, inner] of Object.entries(value as Node)) {
    if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
      const kind = /^[A-Z]/.test(key) ? key : BARE_FIELDS[key];
      if (kind) checkNode(kind, inner as Node);
    }
    walk(inner);
  }
}

function checkNode(kind: string, node: Node): void {
  const refused = REFUSED_NODES[kind];
  if (refused) throw new DialectError(refused);
  switch (kind) {
    case 'CreateStmt':
      if (node.partspec) throw new DialectError('declarative partitioning (PARTITION BY)');
      if (node.partbound) throw new DialectError('declarative partitioning (PARTITION OF)');
      if (Array.isArray(node.inhRelations) && node.inhRelations.length)
        throw new DialectError('table inheritance (INHERITS)');
      if (node.tablespacename) throw new DialectError('tablespaces');
      checkOnCommit(node.oncommit);
      return;
    case 'IntoClause':
      checkOnCommit(node.onCommit);
      return;
    case 'RangeVar':
      if (node.relpersistence === 'u') throw new DialectError('UNLOGGED tables');
      return;
    case 'Constraint':
      if (node.contype === 'CONSTR_CHECK') throw new DialectError('CHECK constraints');
      if (node.contype === 'CONSTR_EXCLUSION') throw new DialectError('EXCLUDE constraints');
      if (node.contype === 'CONSTR_GENERATED') throw new DialectError('generated columns');
      return;
    case 'InsertStmt':
    case 'UpdateStmt':
    case 'DeleteStmt':
      if (node.onConflictClause)
        throw new DialectError(
          'ON CONFLICT',
          'ON CONFLICT is not supported by Amazon Redshift (use MERGE, or DELETE then INSERT)',
        );
      // PostgreSQL 18 wraps the list in a returningClause; older parse trees carry returningList.
      if (node.returningClause || (Array.isArray(node.returningList) && node.returningList.length)) {
        throw new DialectError('RETURNING');
      }
      return;
    case 'SelectStmt':
      if (Array.isArray(node.lockingClause) && node.lockingClause.length)
        throw new DialectError('row locks (SELECT … FOR UPDATE/SHARE)');
      if (
        Array.isArray(node.distinctClause) &&
        node.distinctClause.some((e) => e && Object.keys(e as Node).length > 0)
      ) {
        throw new DialectError('DISTINCT ON');
      }
      return;
    case 'RangeSubselect':
      if (node.lateral) throw new DialectError('LATERAL');
      if (
        (node.subquery as Node | undefined)?.SelectStmt &&
        ((node.subquery as Node).SelectStmt as Node).valuesLists
      ) {
        throw new DialectError('VALUES lists used as a table');
      }
      return;
    case 'RangeFunction':
      throw new DialectError(node.lateral ? 'LATERAL' : 'functions in FROM (table functions)');
    case 'FuncCall':
      checkFunction(node);
      return;
    case 'WindowDef':
      checkFrame(node);
      return;
    case 'A_Expr':
      if (node.kind === 'AEXPR_DISTINCT' || node.kind === 'AEXPR_NOT_DISTINCT')
        throw new DialectError('IS DISTINCT FROM');
      return;
    case 'A_Indirection':
      if (Array.isArray(node.indirection) && node.indirection.some((i) => (i as Node).A_Indices))
        throw new DialectError('array subscripts');
      return;
    case 'RowExpr':
      if (node.row_format === 'COERCE_EXPLICIT_CALL') throw new DialectError('ROW() constructors');
      return;
    case 'TypeName':
      checkType(node);
      return;
    case 'TransactionStmt': {
      const refusedKind = TRANSACTIONS_REFUSED[String(node.kind)];
      if (refusedKind) throw new DialectError(`savepoints and two-phase commit (${refusedKind})`);
      return;
    }
    case 'LockStmt':
      if (node.mode !== undefined && node.mode !== ACCESS_EXCLUSIVE_LOCK)
        throw new DialectError(
          'LOCK … IN <mode> MODE',
          'LOCK … IN <mode> MODE is not supported by Amazon Redshift: LOCK takes no mode',
        );
      if (node.nowait) throw new DialectError('LOCK … NOWAIT');
      return;
    case 'AlterTableCmd':
      if (node.subtype === 'AT_AttachPartition' || node.subtype === 'AT_DetachPartition')
        throw new DialectError('declarative partitioning (ATTACH/DETACH PARTITION)');
      if (!ALTER_TABLE.has(String(node.subtype)))
        throw new DialectError(`ALTER TABLE ${String(node.subtype).replace(/^AT_/, '')}`);
      return;
    case 'SQLValueFunction':
      if (/CURRENT_TIMESTAMP|LOCALTIME|CURRENT_TIME$/.test(String(node.op))) {
        throw new DialectError(
          String(node.op).replace('SVFOP_', ''),
          `${String(node.op).replace('SVFOP_', '')} is a deprecated leader-node-only function on Amazon Redshift (use GETDATE() or SYSDATE)`,
        );
      }
      return;
  }
}

function checkOnCommit(onCommit: unknown): void {
  if (onCommit !== undefined && onCommit !== 'ONCOMMIT_NOOP')
    throw new DialectError('ON COMMIT for temporary tables');
}

function checkFunction(node: Node): void {
  const names = (node.funcname as Node[]).map((n) => String((n.String as Node).sval));
  const name = names[names.length - 1]!.toLowerCase();
  if (node.agg_filter) throw new DialectError('aggregate FILTER (WHERE …)');
  if (node.agg_within_group && !['listagg', 'percentile_cont', 'percentile_disc', 'median'].includes(name)) {
    throw new DialectError(`WITHIN GROUP for ${name}`);
  }
  const schema = names.length > 1 ? names[0]!.toLowerCase() : undefined;
  const known =
    REDSHIFT_FUNCTIONS.has(name) ||
    (SYNTAX_FUNCTIONS.has(name) && (schema === undefined || schema === 'pg_catalog'));
  if (known) return;
  const family = unsupportedFunctionReason(name);
  throw new DialectError(
    `function ${name}`,
    family
      ? `function ${name} is not supported by Amazon Redshift (${family})`
      : `function ${name} is not in Amazon Redshift's documented function list`,
  );
}

function checkFrame(node: Node): void {
  const options = Number(node.frameOptions ?? 0);
  if (options & FRAME_NONDEFAULT && options & (FRAME_RANGE | FRAME_GROUPS)) {
    throw new DialectError('RANGE/GROUPS window frames', 'window frames are ROWS only on Amazon Redshift');
  }
}

function checkType(node: Node): void {
  if (Array.isArray(node.arrayBounds) && node.arrayBounds.length) throw new DialectError('array types');
  const names = (node.names as Node[]).map((n) => String((n.String as Node).sval).toLowerCase());
  const name = names[names.length - 1]!;
  // CHAR(n) is bpchar; the bare pg_catalog."char" is PostgreSQL's one-byte internal type.
  if (name === 'char' && names.length === 1) return;
  const refused = UNSUPPORTED_TYPES[name];
  if (refused)
    throw new DialectError(
      refused,
      `${refused} ${refused.endsWith('s') ? 'are' : 'is'} not supported by Amazon Redshift`,
    );
}
