/**
 * The renderer's own process (see `renderInChild.ts`): receives one request, renders it, sends the result back
 * and exits, so the memory canvas, Chart.js and MJML take goes back to the OS with it.
 */
import { renderReport } from './renderReport';
import type { RenderRequest, RenderReply } from './renderInChild';

// A renderer started ahead of its request (`warmRenderer`) whose parent leaves without sending one.
process.once('disconnect', () => process.exit(0));

process.once('message', (request: RenderRequest) => {
  void renderReport(request.data, request.options).then(
    (report) => reply({ ok: true, report }),
    (error: unknown) => {
      const { name, message } = error instanceof Error ? error : new Error(String(error));
      reply({ ok: false, error: { name, message } });
    },
  );
});

function reply(message: RenderReply): void {
  process.send!(message, () => process.exit(0));
}
