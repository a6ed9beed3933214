/** The part of mjml v5's API we call. mjml ships no type declarations. */
declare module 'mjml' {
  interface MjmlError {
    readonly line: number;
    readonly message: string;
    readonly tagName: string;
    readonly formattedMessage: string;
  }
  interface MjmlOptions {
    readonly validationLevel?: 'strict' | 'soft' | 'skip';
    readonly fonts?: Readonly<Record<string, string>>;
    readonly keepComments?: boolean;
    readonly ignoreIncludes?: boolean;
    readonly minify?: boolean;
    readonly beautify?: boolean;
  }
  interface MjmlResult {
    readonly html: string;
    readonly errors: readonly MjmlError[];
  }
  function mjml2html(source: string, options?: MjmlOptions): Promise<MjmlResult> | MjmlResult;
  export = mjml2html;
}
