import { DialectError, NotImplementedError } from '../errors';
import { isWord, stringValue, type Token } from '../gate/tokens';

/**
 * Redshift's `COPY table [(columns)] FROM 's3://…' <authorization> [options]`, parsed from PostgreSQL's tokens
 * (docs.aws.amazon.com/redshift/latest/dg/r_COPY.html and the copy-parameters-* pages). Options the stand-in
 * implements are honoured; other documented options fail the statement as not implemented, anything else as
 * not a COPY option, so a load never silently differs from what Redshift would do.
 */
export interface CopyCommand {
  /** Schema-qualified or plain, as written (lower-cased unless quoted). */
  readonly table: string;
  readonly columns?: readonly string[];
  readonly bucket: string;
  /** A key prefix (every object under it loads), or the manifest's key with `manifest`. */
  readonly key: string;
  readonly manifest: boolean;
  readonly iamRole: string;
  readonly region?: string;
  readonly delimiter: string;
  readonly quote: string;
  readonly gzip: boolean;
  /** A field equal to this loads as NULL (`\N` unless NULL AS says otherwise). */
  readonly nullAs: string;
  readonly emptyAsNull: boolean;
  readonly blanksAsNull: boolean;
  readonly ignoreHeader: number;
}

/** Documented COPY options this stand-in does not implement: refused by name. */
const DOCUMENTED = new Set([
  'ACCEPTANYDATE',
  'ACCEPTINVCHARS',
  'ACCESS_KEY_ID',
  'AVRO',
  'BZIP2',
  'COMPROWS',
  'CREDENTIALS',
  'ENCODING',
  'ENCRYPTED',
  'ESCAPE',
  'EXPLICIT_IDS',
  'FILLRECORD',
  'FIXEDWIDTH',
  'IGNOREALLERRORS',
  'IGNOREBLANKLINES',
  'JSON',
  'LZOP',
  'MASTER_SYMMETRIC_KEY',
  'MAXERROR',
  'NOLOAD',
  'ORC',
  'PARQUET',
  'READRATIO',
  'REMOVEQUOTES',
  'ROUNDEC',
  'SECRET_ACCESS_KEY',
  'SESSION_TOKEN',
  'SHAPEFILE',
  'SSH',
  'TRIMBLANKS',
  'TRUNCATECOLUMNS',
  'ZSTD',
  'SERIALIZETOJSON',
]);

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[A-Za-z0-9+=,.@_/-]+$/;

export function isCopy(tokens: readonly Token[]): boolean {
  return isWord(tokens[0], 'COPY');
}

export function parseCopy(tokens: readonly Token[]): CopyCommand {
  let i = 1;
  const table = qualifiedName();
  let columns: string[] | undefined;
  if (tokens[i]?.text === '(') {
    columns = [];
    for (i++; tokens[i] && tokens[i]!.text !== ')'; i++) {
      if (tokens[i]!.text !== ',') columns.push(name(tokens[i]!));
    }
    i++;
  }
  if (!isWord(tokens[i], 'FROM')) throw new DialectError('COPY', 'COPY needs FROM and a data source');
  const source = tokens[++i];
  if (isWord(source, 'STDIN'))
    throw new DialectError(
      'COPY FROM STDIN',
      "COPY FROM STDIN is not supported by Amazon Redshift: stage the rows in S3 and COPY FROM 's3://…'",
    );
  if (!source || source.type !== 'SCONST')
    throw new DialectError('COPY', 'COPY FROM needs a quoted data source');
  const url = stringValue(source);
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.*)$/.exec(url);
  if (!match) {
    if (/^(emr|ssh|dynamodb):\/\//i.test(url))
      throw new NotImplementedError(`COPY FROM '${url.split(':')[0]}://…'`);
    throw new DialectError(
      'COPY from a file',
      `COPY reads from Amazon S3, EMR, SSH or DynamoDB, not from '${url}'`,
    );
  }
  i++;

  const options: Partial<Record<keyof CopyCommand, unknown>> = {};
  const seen = new Set<string>();
  while (i < tokens.length) {
    const option = tokens[i++]!;
    if (option.text === ';') break;
    const word = option.upper;
    if (seen.has(word)) throw new DialectError('COPY', `COPY option ${word} is given twice`);
    seen.add(word);
    switch (word) {
      case 'IAM_ROLE': {
        const role = tokens[i++];
        if (isWord(role, 'DEFAULT')) options.iamRole = 'default';
        else if (role?.type === 'SCONST' && ROLE_ARN.test(stringValue(role)))
          options.iamRole = stringValue(role);
        else throw new DialectError('IAM_ROLE', 'IAM_ROLE needs an IAM role ARN in quotes, or DEFAULT');
        break;
      }
      case 'REGION':
        options.region = literal();
        break;
      case 'FORMAT':
        if (isWord(tokens[i], 'AS')) i++;
        if (!isWord(tokens[i], 'CSV'))
          throw new NotImplementedError(`COPY FORMAT ${tokens[i]?.text ?? ''}`.trim(), 'only CSV is');
        i++;
        options.delimiter ??= ',';
        seen.add('CSV');
        csvQuote();
        break;
      case 'CSV':
        options.delimiter ??= ',';
        csvQuote();
        break;
      case 'DELIMITER': {
        const delimiter = literal();
        if (delimiter.length !== 1)
          throw new DialectError('DELIMITER', 'DELIMITER must be a single ASCII character');
        options.delimiter = delimiter;
        break;
      }
      case 'GZIP':
        options.gzip = true;
        break;
      case 'NULL':
        options.nullAs = unescapeNull(literal());
        break;
      case 'EMPTYASNULL':
        options.emptyAsNull = true;
        break;
      case 'BLANKSASNULL':
        options.blanksAsNull = true;
        break;
      case 'IGNOREHEADER': {
        if (isWord(tokens[i], 'AS')) i++;
        const n = tokens[i++];
        if (n?.type !== 'ICONST')
          throw new DialectError('IGNOREHEADER', 'IGNOREHEADER needs a number of lines');
        options.ignoreHeader = Number(n.text);
        break;
      }
      case 'DATEFORMAT':
      case 'TIMEFORMAT': {
        // PostgreSQL's input functions read the ISO forms 'auto' recognises; other patterns are not emulated.
        const format = literal();
        const defaults = word === 'DATEFORMAT' ? ['auto', 'YYYY-MM-DD'] : ['auto', 'YYYY-MM-DD HH:MI:SS'];
        if (!defaults.includes(format))
          throw new NotImplementedError(
            `${word} '${format}'`,
            `only ${defaults.map((f) => `'${f}'`).join(' and ')} are`,
          );
        break;
      }
      case 'COMPUPDATE':
      case 'STATUPDATE':
        // Compression analysis and statistics have no effect on the result; accepted with their documented values.
        if (isWord(tokens[i], 'ON', 'OFF', 'TRUE', 'FALSE', 'PRESET')) i++;
        break;
      case 'MANIFEST':
        options.manifest = true;
        break;
      default:
        if (DOCUMENTED.has(word)) throw new NotImplementedError(`COPY option ${word}`);
        throw new DialectError(`COPY option ${option.text}`, `${option.text} is not a Redshift COPY option`);
    }
  }
  if (options.iamRole === undefined)
    throw new NotImplementedError('COPY without IAM_ROLE', 'the stand-in authorises COPY by IAM_ROLE only');
  if (options.delimiter === undefined)
    throw new NotImplementedError('COPY of pipe-delimited text', 'only CSV (FORMAT AS CSV) is');
  return {
    table,
    columns,
    bucket: match[1]!,
    key: match[2]!,
    manifest: options.manifest === true,
    iamRole: options.iamRole as string,
    region: options.region as string | undefined,
    delimiter: options.delimiter as string,
    quote: (options.quote as string | undefined) ?? '"',
    gzip: options.gzip === true,
    nullAs: (options.nullAs as string | undefined) ?? '\\N',
    emptyAsNull: options.emptyAsNull === true,
    blanksAsNull: options.blanksAsNull === true,
    ignoreHeader: (options.ignoreHeader as number | undefined) ?? 0,
  };

  function literal(): string {
    if (isWord(tokens[i], 'AS')) i++;
    const t = tokens[i++];
    if (!t || t.type !== 'SCONST')
      throw new DialectError('COPY', `COPY option ${tokens[i - 2]?.text ?? ''} needs a quoted value`);
    return stringValue(t);
  }

  function csvQuote(): void {
    if (!isWord(tokens[i], 'QUOTE')) return;
    i++;
    const quote = literal();
    if (quote.length !== 1) throw new DialectError('QUOTE', 'QUOTE must be a single character');
    options.quote = quote;
  }

  function qualifiedName(): string {
    let value = name(tokens[i++]);
    if (tokens[i]?.text === '.') {
      i++;
      value += `.${name(tokens[i++])}`;
    }
    return value;
  }
}

function name(token: Token | undefined): string {
  if (!token || !(isWord(token) || token.type === 'IDENT'))
    throw new DialectError('COPY', `expected a name, found ${token?.text ?? 'the end'}`);
  return token.text.startsWith('"') ? token.text : token.text.toLowerCase();
}

/** Redshift reads NULL AS '\0' (or '\000') as the NUL character; other text is taken as written. */
function unescapeNull(value: string): string {
  return value === '\\0' || value === '\\000' ? '\u0000' : value;
}
