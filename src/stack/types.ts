/** The parts of the local stack, in the order they are shown. */
export type StackPartName = 'temporal' | 'dynamodb' | 'ses' | 's3' | 'warehouse' | 'rds';

/** What `stack status` reports for one part. Never contains a password. */
export interface StackPartStatus {
  readonly name: StackPartName;
  /** Something answers at `endpoint`. */
  readonly running: boolean;
  /** libreport started it (a live process from our pid file); `stack down` stops only these. */
  readonly managed: boolean;
  /** Where clients connect: host:port, an http URL, or a connection string without its password. */
  readonly endpoint: string;
  /** A page for people: the Temporal UI, or the SES stand-in's mail viewer. */
  readonly uiUrl?: string;
  /** The DynamoDB search table the job reads. */
  readonly table?: string;
  readonly pid?: number;
  readonly logFile?: string;
  /** Why it is not running, or what it is when it is not ours to run (e.g. Redshift). */
  readonly note?: string;
}

export interface StackStatus {
  readonly env: 'local' | 'aws';
  readonly dataDir: string;
  readonly parts: readonly StackPartStatus[];
}

/** Progress lines for people ("starting dynalite…"); the CLI writes them to stderr. */
export type StackLog = (line: string) => void;
