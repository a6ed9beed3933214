/** One CSV field: its text after unquoting, and whether it was quoted (an unquoted field can be the NULL string). */
export interface CsvField {
  readonly value: string;
  readonly quoted: boolean;
}

/**
 * A streaming CSV reader with Redshift's CSV rules: `delimiter` between fields, `quote` around fields that hold
 * delimiters, quotes or newlines, a doubled quote inside one. Text may arrive in any chunks; records come out
 * whole, each with the line it started on.
 */
export class CsvRecordReader {
  private fields: CsvField[] = [];
  private value = '';
  private quoted = false;
  private inQuotes = false;
  /** A quote seen inside quotes: either the closing quote or the first of a doubled pair. */
  private quotePending = false;
  private line = 1;
  private recordLine = 1;

  constructor(
    private readonly delimiter: string,
    private readonly quote: string,
  ) {}

  /** Reads a chunk; calls `onRecord` for each record completed in it. */
  push(text: string, onRecord: (fields: CsvField[], line: number) => void): void {
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (this.inQuotes) {
        if (this.quotePending) {
          this.quotePending = false;
          if (c === this.quote) {
            this.value += c;
            continue;
          }
          this.inQuotes = false;
        } else if (c === this.quote) {
          this.quotePending = true;
          continue;
        } else {
          if (c === '\n') this.line++;
          this.value += c;
          continue;
        }
      }
      if (c === this.delimiter) this.endField();
      else if (c === '\n') {
        this.endField();
        this.endRecord(onRecord);
        this.line++;
      } else if (c === '\r' && text[i + 1] === '\n') continue;
      else if (c === this.quote && this.value === '' && !this.quoted) {
        this.inQuotes = true;
        this.quoted = true;
      } else this.value += c;
    }
  }

  /** Ends the input; a last record without a newline still counts. Throws on an unclosed quote. */
  end(onRecord: (fields: CsvField[], line: number) => void): void {
    if (this.inQuotes && !this.quotePending)
      throw new Error(`line ${this.recordLine}: a quoted field is not closed`);
    this.inQuotes = false;
    if (this.fields.length > 0 || this.value !== '' || this.quoted) {
      this.endField();
      this.endRecord(onRecord);
    }
  }

  private endField(): void {
    this.fields.push({ value: this.value, quoted: this.quoted });
    this.value = '';
    this.quoted = false;
  }

  private endRecord(onRecord: (fields: CsvField[], line: number) => void): void {
    const fields = this.fields;
    this.fields = [];
    onRecord(fields, this.recordLine);
    this.recordLine = this.line + 1;
  }
}
