import { parseSync } from 'libpg-query';
import { isCopy, parseCopy, type CopyCommand } from '../copy/copyCommand';
import { DialectError, NotImplementedError } from '../errors';
import { checkStatement } from './astRules';
import { isCreateTable, stripTableAttributes, type TableAttributes } from './tableAttributes';
import { isWord, SqlEdit, tokenize, type Token } from './tokens';

/**
 * The Redshift dialect gate: every statement the endpoint runs passes here first. Redshift-only syntax the
 * adapter uses is recognised and taken out (table attributes) or handled by the endpoint itself (COPY from S3);
 * what is left must parse with PostgreSQL's real parser and pass the parse-tree rules in `astRules`.
 * What it cannot check: Redshift's semantics beyond the parse tree (implicit casts, VARCHAR byte lengths,
 * leader-node/compute-node placement), and functions are checked by name only, not by argument types.
 */
export type GatedStatement =
  | {
      readonly kind: 'sql';
      readonly sql: string;
      /** The parse-tree node of the statement: SelectStmt, CreateStmt, … */
      readonly statement: string;
      /** What the statement leaves behind in its session, when anything. */
      readonly sessionEffect?: SessionEffect;
      readonly attributes?: TableAttributes;
    }
  | { readonly kind: 'copy'; readonly copy: CopyCommand };

/** Gates one statement (parameters already `$n`); throws `DialectError` with the construct Redshift lacks. */
export function gateStatement(sql: string): GatedStatement {
  let tokens: Token[];
  try {
    tokens = tokenize(sql);
  } catch (error) {
    throw syntaxError(error);
  }
  if (tokens.length === 0) throw new DialectError('an empty statement', 'the statement holds no SQL');
  if (isCopy(tokens)) return { kind: 'copy', copy: parseCopy(tokens) };
  if (isAppend(tokens)) throw new NotImplementedError('ALTER TABLE … APPEND FROM');

  const edit = new SqlEdit(sql);
  const attributes = isCreateTable(tokens) ? stripTableAttributes(tokens, edit) : undefined;
  const text = edit.toString();
  let parsed: { stmts?: { stmt: Record<string, unknown> }[] };
  try {
    parsed = parseSync(text) as typeof parsed;
  } catch (error) {
    throw syntaxError(error);
  }
  const statements = parsed.stmts ?? [];
  if (statements.length !== 1) {
    throw new DialectError(
      'several statements in one ExecuteStatement',
      'ExecuteStatement runs one SQL statement; send several with BatchExecuteStatement',
    );
  }
  const stmt = statements[0]!.stmt;
  checkStatement(stmt);
  const effect = sessionEffect(stmt);
  return {
    kind: 'sql',
    sql: text,
    statement: Object.keys(stmt)[0]!,
    ...(effect ? { sessionEffect: effect } : {}),
    ...(attributes ? { attributes } : {}),
  };
}

/**
 * `begin`: opens a transaction block; `end`: closes it; `state`: leaves something only this connection sees
 * (a temporary table, a session setting); `commits`: Redshift commits the open transaction after it
 * (TRUNCATE, r_TRUNCATE.html), which PostgreSQL does not. The endpoint keeps an idle session's connection only
 * when needed.
 */
export type SessionEffect = 'begin' | 'end' | 'state' | 'commits';

function sessionEffect(stmt: Record<string, unknown>): SessionEffect | undefined {
  const [kind] = Object.keys(stmt);
  const node = stmt[kind!] as Record<string, unknown>;
  if (kind === 'TransactionStmt') {
    if (node.kind === 'TRANS_STMT_BEGIN' || node.kind === 'TRANS_STMT_START') return 'begin';
    if (node.kind === 'TRANS_STMT_COMMIT' || node.kind === 'TRANS_STMT_ROLLBACK') return 'end';
    return undefined;
  }
  if (kind === 'TruncateStmt') return 'commits';
  if (kind === 'VariableSetStmt') return node.is_local ? undefined : 'state';
  const relation = (
    kind === 'CreateTableAsStmt' ? (node.into as Record<string, unknown>)?.rel : node.relation
  ) as Record<string, unknown> | undefined;
  if ((kind === 'CreateStmt' || kind === 'CreateTableAsStmt') && relation?.relpersistence === 't')
    return 'state';
  return undefined;
}

function isAppend(tokens: readonly Token[]): boolean {
  return (
    isWord(tokens[0], 'ALTER') &&
    isWord(tokens[1], 'TABLE') &&
    tokens.some((t, i) => isWord(t, 'APPEND') && isWord(tokens[i + 1], 'FROM'))
  );
}

function syntaxError(error: unknown): DialectError {
  const message = error instanceof Error ? error.message : String(error);
  return new DialectError('syntax', message);
}
