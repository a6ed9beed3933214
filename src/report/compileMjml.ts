import mjml2html from 'mjml';
import { TemplateError } from '../errors';

export { TemplateError };

/**
 * Compiles an MJML document to HTML. Strict validation turns any markup that slipped into the
 * document (an unescaped `<mj-...>` in user text, say) into an error instead of a broken email.
 */
export async function compileMjml(source: string): Promise<string> {
  let result;
  try {
    // mjml v5 returns a Promise; earlier versions returned the result directly. `await` handles both.
    result = await mjml2html(source, {
      validationLevel: 'strict',
      // No web fonts: the report must not fetch anything when opened.
      fonts: {},
      keepComments: false,
      ignoreIncludes: true,
    });
  } catch (error) {
    throw new TemplateError(`MJML rejected the report template: ${(error as Error).message}`);
  }
  if (result.errors.length > 0) {
    throw new TemplateError(
      `MJML rejected the report template: ${result.errors.map((e) => e.formattedMessage).join('; ')}`,
    );
  }
  return result.html;
}
