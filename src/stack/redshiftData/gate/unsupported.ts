/**
 * What Redshift runs and what it lacks, by PostgreSQL parse-tree name, for the rules in `astRules.ts`.
 * Sources: docs.aws.amazon.com/redshift/latest/dg/c_unsupported-postgresql-features.html, …-datatypes.html,
 * r_ALTER_TABLE.html and the statement synopses.
 */

/** Statements Redshift runs, by parse-tree node; anything else is refused by its SQL name. */
export const STATEMENTS = new Set([
  'SelectStmt',
  'InsertStmt',
  'UpdateStmt',
  'DeleteStmt',
  'MergeStmt',
  'CreateStmt',
  'CreateTableAsStmt',
  'CreateSchemaStmt',
  'DropStmt',
  'AlterTableStmt',
  'RenameStmt',
  'TransactionStmt',
  'LockStmt',
  'TruncateStmt',
  'VariableSetStmt',
  'VariableShowStmt',
  'ViewStmt',
  'GrantStmt',
  'ExplainStmt',
  'VacuumStmt',
  'CommentStmt',
  'CallStmt',
]);

export const REFUSED_STATEMENTS: Record<string, string> = {
  IndexStmt: 'CREATE INDEX (Redshift has no indexes)',
  CreateSeqStmt: 'CREATE SEQUENCE (use IDENTITY columns)',
  CreateTrigStmt: 'CREATE TRIGGER',
  CreateExtensionStmt: 'CREATE EXTENSION',
  CopyStmt: 'COPY FROM STDIN or a server file',
  AlterObjectSchemaStmt: 'ALTER … SET SCHEMA',
  CreateDomainStmt: 'CREATE DOMAIN',
  CreateEnumStmt: 'enum types',
  CompositeTypeStmt: 'composite types',
  CreateRangeStmt: 'range types',
  ListenStmt: 'LISTEN',
  NotifyStmt: 'NOTIFY',
  RuleStmt: 'CREATE RULE',
  CreateTableSpaceStmt: 'tablespaces',
  ClusterStmt: 'CLUSTER',
  ReindexStmt: 'REINDEX',
  DoStmt: 'DO blocks',
};

/** ALTER TABLE actions Redshift documents (r_ALTER_TABLE); partition attach/detach are refused as partitioning. */
export const ALTER_TABLE = new Set([
  'AT_AddColumn',
  'AT_DropColumn',
  'AT_AddConstraint',
  'AT_DropConstraint',
  'AT_AlterColumnType',
  'AT_ChangeOwner',
]);

/** PostgreSQL types Redshift lacks (c_unsupported-postgresql-datatypes), by the parser's internal name. */
export const UNSUPPORTED_TYPES: Record<string, string> = {
  json: 'JSON (use SUPER)',
  jsonb: 'JSONB (use SUPER)',
  bytea: 'BYTEA (use VARBYTE)',
  uuid: 'UUID',
  xml: 'XML',
  money: 'MONEY',
  inet: 'network address types',
  cidr: 'network address types',
  macaddr: 'network address types',
  macaddr8: 'network address types',
  bit: 'BIT',
  varbit: 'BIT VARYING',
  serial: 'SERIAL',
  bigserial: 'BIGSERIAL',
  smallserial: 'SMALLSERIAL',
  serial4: 'SERIAL',
  serial8: 'BIGSERIAL',
  point: 'geometric types',
  line: 'geometric types',
  lseg: 'geometric types',
  box: 'geometric types',
  path: 'geometric types',
  polygon: 'geometric types',
  circle: 'geometric types',
  tsvector: 'text search types',
  tsquery: 'text search types',
  hstore: 'HSTORE',
  int4range: 'range types',
  int8range: 'range types',
  numrange: 'range types',
  tsrange: 'range types',
  tstzrange: 'range types',
  daterange: 'range types',
  txid_snapshot: 'TXID_SNAPSHOT',
  name: 'the name type',
  oid: 'OID types',
  regclass: 'OID types',
  regproc: 'OID types',
  regtype: 'OID types',
  char: 'the "char" type',
};

/** Node kinds refused wherever they appear. */
export const REFUSED_NODES: Record<string, string> = {
  A_ArrayExpr: 'ARRAY[] constructors',
  CollateClause: 'COLLATE',
  RangeTableSample: 'TABLESAMPLE',
  RangeTableFunc: 'XMLTABLE',
  XmlExpr: 'XML functions',
  XmlSerialize: 'XML functions',
  JsonObjectConstructor: 'JSON constructors',
  JsonArrayConstructor: 'JSON constructors',
  JsonIsPredicate: 'IS JSON',
};

export const TRANSACTIONS_REFUSED: Record<string, string> = {
  TRANS_STMT_SAVEPOINT: 'SAVEPOINT',
  TRANS_STMT_RELEASE: 'RELEASE SAVEPOINT',
  TRANS_STMT_ROLLBACK_TO: 'ROLLBACK TO SAVEPOINT',
  TRANS_STMT_PREPARE: 'PREPARE TRANSACTION',
  TRANS_STMT_COMMIT_PREPARED: 'COMMIT PREPARED',
  TRANS_STMT_ROLLBACK_PREPARED: 'ROLLBACK PREPARED',
};
